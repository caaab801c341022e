"""The join of guest records, KTAP parsing and results: records built by hand, and sessions
on the FAKE guest console (tests/fakes/fake_console.py, a fake named as such) for what a
session decides -- a test past its timeout (issue 10 defect 9) and an interrupted run (defect
10) -- where a real kernel cannot reach the state quickly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import cli, paths
from harness.build.manifest import Manifest
from harness.errors import WorkbenchError
from harness.results import verdict
from harness.results.report import jsonfile
from harness.results.status import Status
from harness.vm import backends, session, stage
from harness.vm.console.driver import Event
from harness.vm.outcome import RunOutcome

Outcome = RunOutcome
FAKE = Path(__file__).resolve().parent / "fakes" / "fake_console.py"

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


@pytest.mark.parametrize(("outcome", "code", "output", "status", "console", "state"), [
    (Outcome.PASS, 0, "", Status.PASS, None, Status.PASS),
    (Outcome.SKIP, 4, "", Status.SKIP, None, Status.SKIP),
    (Outcome.FAIL, 254, ASSERT_FAIL, Status.FAIL, None, Status.FAIL),
    (Outcome.TIMEOUT, None, "", Status.TIMEOUT, None, Status.TIMEOUT),
    (Outcome.TIMEOUT, 124, "", Status.TIMEOUT, None, Status.TIMEOUT),
    (Outcome.HANG, None, "", Status.TIMEOUT, Outcome.HANG, Status.HANG),
    (Outcome.CRASH, 0, "", Status.ERROR, Outcome.CRASH, Status.CRASH),
    (Outcome.NOT_RUN, None, "", Status.ERROR, None, Status.ERROR),
])
def test_record_to_test_run(outcome: Outcome, code: int | None, output: str, status: Status,
                            console: Outcome | None, state: Status) -> None:
    run = stage._test_run(record(outcome, code, output))
    assert run.result.status is status
    assert run.console is console
    assert run.state() is state
    if outcome is Outcome.FAIL:
        assert "ret == 0" in run.result.reason
    if outcome is Outcome.NOT_RUN:
        assert run.result.reason.startswith("not run")


def test_crash_keeps_the_excerpt() -> None:
    ev = Event("oops", "Oops: 0000 [#1] SMP", "Oops: 0000 [#1] SMP\nRIP: guestmem_free_folio",
               "/kwb/tests/guest_memfd_test", 3.0)
    run = stage._test_run(record(Outcome.CRASH, None, events=[ev]))
    assert run.console is Outcome.CRASH
    assert run.console_excerpt == ["Oops: 0000 [#1] SMP", "RIP: guestmem_free_folio"]
    assert run.result.status.failed


def test_a_test_that_was_not_built_is_named(tmp_path: Path) -> None:
    m = Manifest(variant="patched", tree={}, series=None, config={},
                 artifacts={"objdir": str(tmp_path), "selftests": {"guest_memfd_test": "/x"}})
    with pytest.raises(WorkbenchError, match="nope_test were not built"):
        stage.select_tests(m, ["guest_memfd_test", "nope_test"])
    assert stage.select_tests(m, ["guest_memfd_test"]) == {"guest_memfd_test": Path("/x")}


# --------------------------------------------------------------------------- the session's view


@pytest.mark.parametrize(("console", "code", "timed_out", "alive", "expected"), [
    (Outcome.HANG, None, True, True, Outcome.TIMEOUT),  # interrupted; the next test can run
    (Outcome.HANG, None, True, False, Outcome.HANG),  # the guest stopped answering
    (Outcome.FAIL, 124, False, True, Outcome.TIMEOUT),  # kselftest's own timeout (rc 124)
    (Outcome.FAIL, 4, False, True, Outcome.SKIP),
    (Outcome.FAIL, 1, False, True, Outcome.FAIL),
    (Outcome.CRASH, None, True, True, Outcome.CRASH),  # a report during it: the kernel's fault
])
def test_test_outcome(console: Outcome, code: int | None, timed_out: bool, alive: bool,
                      expected: Outcome) -> None:
    assert verdict.test_outcome(console, code, timed_out=timed_out, guest_alive=alive) \
        is expected


@dataclass(frozen=True)
class FakeBackend:
    """A backends.Backend starting the FAKE console; test 'paths' are fake scenario commands."""

    pidfile: Path
    name: str = "fake"

    def command(self, bzimage: Path, tests: dict[str, Path], accel: backends.Accel,
                opts: backends.GuestOptions) -> backends.GuestCommand:
        return backends.GuestCommand(
            [sys.executable, str(FAKE), "--pidfile", str(self.pidfile)],
            {name: str(path) for name, path in tests.items()}, env=dict(os.environ),
            boot_timeout=10)


def fake_session(tmp_path: Path, tests: dict[str, str], timeout: float) -> session.GuestRun:
    return session.run_tests(FakeBackend(tmp_path / "pids"), Path("/unused/bzImage"),
                             {n: Path(c) for n, c in tests.items()}, timeout, tmp_path / "logs",
                             accel=backends.Accel.TCG, grace=2)


def test_a_test_past_its_timeout_is_a_timeout_not_a_kernel_hang(tmp_path: Path) -> None:
    """Issue 10 defect 9: the guest answered Ctrl-C and ran the next test: TIMEOUT, exit 1."""
    g = fake_session(tmp_path, {"slow_test": "fake-hang", "next_test": "fake-pass"}, 1)
    assert [(t.name, t.outcome) for t in g.tests] == [("slow_test", Outcome.TIMEOUT),
                                                      ("next_test", Outcome.PASS)]
    assert g.tests[0].timed_out
    assert g.outcome is Outcome.FAIL and g.reason == "fail: slow_test (timeout)"
    runs = [stage._test_run(t) for t in g.tests]
    assert [t.state() for t in runs] == [Status.TIMEOUT, Status.PASS]
    assert runs[0].console is None
    assert runs[0].result.reason == "timed out after 1s; interrupted with Ctrl-C"
    assert verdict.result_outcome(g.outcome) is Outcome.FAIL


def test_a_guest_that_stops_answering_is_still_a_hang(tmp_path: Path) -> None:
    g = fake_session(tmp_path, {"frozen_test": "fake-freeze", "next_test": "fake-pass"}, 1)
    assert [t.outcome for t in g.tests] == [Outcome.HANG, Outcome.NOT_RUN]
    assert g.outcome is Outcome.HANG
    assert stage._test_run(g.tests[0]).state() is Status.HANG


def test_sigint_during_a_test_keeps_the_finished_tests(tmp_path: Path) -> None:
    """Issue 10 defect 10, the session's part: the interrupt carries what had finished."""
    logs = tmp_path / "logs"

    def interrupt_when_hanging() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any("fake test: hanging" in p.read_text(errors="replace")
                   for p in logs.glob("console-*.log")):
                os.kill(os.getpid(), signal.SIGINT)
                return
            time.sleep(0.05)

    threading.Thread(target=interrupt_when_hanging, daemon=True).start()
    with pytest.raises(session.SessionInterrupted) as exc:
        fake_session(tmp_path, {"done_test": "fake-pass", "hung_test": "fake-hang",
                                "later_test": "fake-pass"}, 60)
    g = exc.value.run
    assert isinstance(exc.value, KeyboardInterrupt) and exc.value.signal == "SIGINT"
    assert [(t.name, t.outcome) for t in g.tests] == [("done_test", Outcome.PASS)]
    assert g.outcome is Outcome.INTERRUPTED and g.interrupted == "SIGINT"
    assert g.reason == "interrupted by SIGINT after 1 test(s); not run: hung_test, later_test"
    assert "fake test: hanging" in g.console_log.read_text()


# --------------------------------------------------------------------------- the command's end


def _manifest(tmp_path: Path) -> Path:
    objdir = tmp_path / "objdir"
    objdir.mkdir()
    m = Manifest(variant="patched", tree={"head_commit": "abc"}, series=None, config={},
                 artifacts={"objdir": str(objdir), "bzImage": "/unused/bzImage",
                            "selftests": {"t": "/x/t", "u": "/x/u"}})
    return m.write()


def _fake_guest_run(tmp_path: Path, *records: session.TestRecord) -> session.GuestRun:
    log = tmp_path / "console-fake.log"
    log.write_text("fake console log\n")
    g = session.GuestRun("fake", "tcg", Outcome.NOT_RUN, "", log, tests=list(records))
    g.outcome, g.reason = verdict.guest_outcome([(r.name, r.outcome) for r in records], [])
    return g


def test_a_listed_known_failure_is_ok_in_every_report_and_the_exit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 10 defect 5: the summary said FAILED (exit status 1) and kwb exited 0."""
    known = tmp_path / "known-failures.txt"
    known.write_text("t  # this host has no nested SVM\n")
    monkeypatch.setattr(verdict, "KNOWN_FAILURES", known)
    failed = session.TestRecord("t", "/x/t", Outcome.FAIL, 1, "", 0.5)

    def fake_run_tests(*_a: object, **_k: object) -> session.GuestRun:  # a fake session
        return _fake_guest_run(tmp_path, failed)

    monkeypatch.setattr(session, "run_tests", fake_run_tests)
    monkeypatch.chdir(tmp_path)
    rc = cli.main(["boot-and-test", "--manifest", str(_manifest(tmp_path)), "--out", "out",
                   "--tests", "t"])
    text = capsys.readouterr().out
    assert "RESULT: OK (exit status 0)" in text and "FAILED" not in text
    assert ["t", "fail", "(known)", "0.5s"] in [line.split()[:4] for line in text.splitlines()]
    assert rc == 0
    out = tmp_path / "out"
    data = jsonfile.read_json(out / "results.json")
    assert data.verdict is not None and data.verdict["exit_status"] == 0
    assert data.verdict["excused"] == [{"run": "patched", "test": "t",
                                        "why": "known environment failure: "
                                               "this host has no nested SVM"}]
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and suite.get("errors") == "0"
    props = {e.get("name"): e.get("value") for e in suite.iter("property")}
    assert props["kwb.result"] == "OK" and props["kwb.exit_status"] == "0"
    skipped = suite.find("testcase[@name='t']/skipped")
    assert skipped is not None and skipped.get("message", "").startswith("fail, not counted")
    assert "Result: OK (exit status 0)" in (out / "report.html").read_text()
    latest = Path(os.environ["KWB_CACHE"]) / "runs" / "latest"
    assert latest.is_symlink() and Path(os.readlink(latest)) == out  # absolute: --out was relative


def test_an_interrupted_run_writes_results_for_the_finished_tests(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 10 defect 10: SIGTERM during a test: results.json, JUnit and HTML for the test
    that finished, marked interrupted; exit 143; the console log kept."""
    done = session.TestRecord("t", "/x/t", Outcome.PASS, 0, "ok", 0.5)

    def fake_run_tests(*_a: object, **_k: object) -> session.GuestRun:  # a fake session
        g = _fake_guest_run(tmp_path, done)
        raise session._interrupted(g, SystemExit(143), ["u"]) from SystemExit(143)

    monkeypatch.setattr(session, "run_tests", fake_run_tests)
    rc = cli.main(["boot-and-test", "--manifest", str(_manifest(tmp_path)),
                   "--out", str(tmp_path / "out"), "--tests", "t,u"])
    captured = capsys.readouterr()
    assert rc == 143
    assert captured.out.splitlines()[-5:-3] == [
        "PROBLEM: patched (tcg): interrupted by SIGTERM after 1 test(s); not run: u (the tests "
        "that finished are reported)",
        "RESULT: TERMINATED (exit status 143)"]
    assert "kwb: interrupted by SIGTERM" in captured.err
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["interrupted"] is True and data["verdict"]["exit_status"] == 143
    (run,) = data["runs"]
    assert run["interrupted"] == "SIGTERM" and run["outcome"] == "interrupted"
    assert [(t["name"], t["state"]) for t in run["tests"]] == [("t", "pass")]
    assert run["reason"] == "interrupted by SIGTERM after 1 test(s); not run: u"
    assert Path(run["console_log"]).read_text() == "fake console log\n"
    suite = ET.parse(tmp_path / "out" / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    props = {e.get("name"): e.get("value") for e in suite.iter("property")}
    assert props["interrupted"] == "SIGTERM" and props["kwb.exit_status"] == "143"
    assert [c.get("name") for c in suite.iter("testcase")] == ["t", "(kernel run)"]
    assert "interrupted" in (tmp_path / "out" / "report.html").read_text()


def test_runs_latest_is_replaced_atomically(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10 defect 8: a symlink made aside and renamed over: never a moment without it."""
    runs = tmp_path / "runs"
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    stage.point_latest(first, runs)
    calls: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append((os.readlink(src), os.readlink(dst)))  # both exist at the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    monkeypatch.chdir(tmp_path)
    latest = stage.point_latest(Path("b"), runs)  # relative, as --out b
    assert calls == [(str(second), str(first))]
    assert Path(os.readlink(latest)) == second and latest.resolve() == second
    assert sorted(p.name for p in runs.iterdir()) == ["latest"]  # no temporary left


# --------------------------------------------------------------------------- real kernel


def _kwb(*args: str, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "harness.cli", "boot-and-test", "--backend",
                             "qemu", "--out", str(out), *args],
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=paths.PROJECT_ROOT)


@pytest.mark.kernel
@pytest.mark.qemu
def test_real_test_past_its_timeout_is_a_timeout(real_cache: Path, built_kernel: Manifest,
                                                 tmp_path: Path) -> None:
    """Issue 10 defect 9 on the real kernel: set_memory_region_test runs for long under TCG;
    with --timeout 3 it is interrupted, the next test runs and passes in the same guest."""
    proc = _kwb("--manifest", str(built_kernel.path), "--timeout", "3",
                "--tests", "set_memory_region_test,guest_memfd_test", out=tmp_path / "out")
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 1, stdout + stderr
    assert "RESULT: FAILED (exit status 1)" in stdout.splitlines()
    (run,) = json.loads((tmp_path / "out" / "results.json").read_text())["runs"]
    assert run["outcome"] == "fail"
    assert [(t["name"], t["state"], t["console"]) for t in run["tests"]] == [
        ("set_memory_region_test", "timeout", None), ("guest_memfd_test", "pass", None)]


@pytest.mark.kernel
@pytest.mark.qemu
def test_real_sigint_during_a_test_writes_the_finished_ones(real_cache: Path,
                                                            built_kernel: Manifest,
                                                            tmp_path: Path) -> None:
    """Issue 10 defect 10 on the real kernel: SIGINT while set_memory_region_test runs."""
    out = tmp_path / "out"
    proc = _kwb("--manifest", str(built_kernel.path), "--timeout", "300",
                "--tests", "guest_memfd_test,set_memory_region_test", out=out)
    deadline = time.monotonic() + 300
    started = False
    while not started:
        assert time.monotonic() < deadline and proc.poll() is None, "the test never started"
        logs = list((out / built_kernel.variant).glob("console-*.log"))
        started = bool(logs) and "(timeout 300s): /kwb/tests/set_memory_region_test" in \
            logs[0].read_text(errors="replace")
        time.sleep(0.2)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stdout + stderr
    assert "RESULT: INTERRUPTED (exit status 130)" in stdout.splitlines()
    data = json.loads((out / "results.json").read_text())
    (run,) = data["runs"]
    assert data["interrupted"] is True and run["interrupted"] == "SIGINT"
    assert [(t["name"], t["state"]) for t in run["tests"]] == [("guest_memfd_test", "pass")]
    assert "not run: set_memory_region_test" in run["reason"]
    assert Path(run["console_log"]).is_file()
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert {e.get("name"): e.get("value") for e in suite.iter("property")}["interrupted"] \
        == "SIGINT"
