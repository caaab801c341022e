"""The join of guest records, KTAP parsing and results (no guest: records are built by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.build.manifest import Manifest
from harness.errors import WorkbenchError
from harness.results import ktap, model
from harness.vm import session, stage
from harness.vm.console.driver import Event, Outcome

ASSERT_FAIL = """==== Test Assertion Failure ====
  guest_memfd_test.c:93: ret == 0
  pid=91 tid=91 errno=22 - Invalid argument
     1	0x0000000000401c2a: test_fallocate at guest_memfd_test.c:93
  fallocate failed
"""


def record(outcome: Outcome, code: int | None, output: str = "",
           **kw: object) -> session.TestRecord:
    return session.TestRecord("guest_memfd_test", "/kwb/tests/guest_memfd_test", outcome, code,
                              output, 1.5, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("outcome", "code", "output", "status", "console"), [
    (Outcome.PASS, 0, "", ktap.Status.PASS, None),
    (Outcome.SKIP, 4, "", ktap.Status.SKIP, None),
    (Outcome.FAIL, 254, ASSERT_FAIL, ktap.Status.FAIL, None),
    (Outcome.HANG, None, "", ktap.Status.TIMEOUT, model.ConsoleEvent.HANG),
    (Outcome.CRASH, 0, "", ktap.Status.ERROR, model.ConsoleEvent.CRASH),
    (Outcome.NOT_RUN, None, "", ktap.Status.ERROR, None),
])
def test_record_to_test_run(outcome: Outcome, code: int | None, output: str,
                            status: ktap.Status, console: model.ConsoleEvent | None) -> None:
    run = stage._test_run(record(outcome, code, output))
    assert run.result.status is status
    assert run.console is console
    if outcome is Outcome.FAIL:
        assert "ret == 0" in run.result.reason
    if outcome is Outcome.NOT_RUN:
        assert run.result.reason.startswith("not run")


def test_crash_keeps_the_excerpt() -> None:
    ev = Event("oops", "Oops: 0000 [#1] SMP", "Oops: 0000 [#1] SMP\nRIP: guestmem_free_folio",
               "/kwb/tests/guest_memfd_test", 3.0)
    run = stage._test_run(record(Outcome.CRASH, None, events=[ev]))
    assert run.console is model.ConsoleEvent.CRASH
    assert run.console_excerpt == ["Oops: 0000 [#1] SMP", "RIP: guestmem_free_folio"]
    assert run.result.status.failed


def test_a_test_that_was_not_built_is_named(tmp_path: Path) -> None:
    m = Manifest(variant="patched", tree={}, series=None, config={},
                 artifacts={"objdir": str(tmp_path), "selftests": {"guest_memfd_test": "/x"}})
    with pytest.raises(WorkbenchError, match="nope_test were not built"):
        stage.select_tests(m, ["guest_memfd_test", "nope_test"])
    assert stage.select_tests(m, ["guest_memfd_test"]) == {"guest_memfd_test": Path("/x")}
