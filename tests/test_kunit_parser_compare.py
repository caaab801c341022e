"""Our KTAP reading against the kernel's own ``tools/testing/kunit/kunit_parser.py``, on the
kernel's ``tools/testing/kunit/test_data/*.log`` (both taken from the pinned tree's worktree,
read-only; imported first on a fresh machine, by the ``pinned_worktree`` fixture).

Counted per log, in kunit_parser's terms: passed, failed, skipped, crashed (a test that did not
complete). Ours are the cases :func:`harness.results.kunit.case_runs` makes (what boot-and-test
reports): pass; fail; skip; crash or not run (ERROR) for crashed. Every log gives the same
counts but those in :data:`DIFFERENCES`, each with the reason.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from harness.results import kunit
from harness.results.ktap import Status

# log -> (ours, theirs, why): (passed, failed, skipped, crashed)
DIFFERENCES: dict[str, tuple[tuple[int, int, int, int], tuple[int, int, int, int], str]] = {
    "test_is_test_passed-kselftest.log": (
        (4, 0, 0, 0), (2, 0, 0, 0),
        "kselftest/runner.sh output: we parse the '# '-prefixed TAP of each program as its "
        "subtests (2 programs x 2 subtests); kunit_parser reads those lines as diagnostics and "
        "counts the 2 programs"),
    "test_is_test_passed-no_tests_no_plan.log": (
        (0, 0, 0, 1), (1, 0, 0, 0),
        "'# Subtest: case' with no plan and no result under it: output was lost, so we make the "
        "case an ERROR; kunit_parser marks the case 'no tests' (an error, not counted) and "
        "counts its parent suite as one passed test"),
}


#: tools/testing/kunit/test_data/*.log of the pinned 6.12 tree, named here so that the tests
#: exist before the tree is imported; test_the_kernel_logs_are_all_compared keeps it exact.
LOGS = [
    "test_config_printk_time.log", "test_insufficient_memory.log",
    "test_interrupted_tap_output.log", "test_is_test_passed-all_passed.log",
    "test_is_test_passed-all_passed_nested.log", "test_is_test_passed-failure.log",
    "test_is_test_passed-kselftest.log", "test_is_test_passed-missing_plan.log",
    "test_is_test_passed-no_tests_no_plan.log", "test_is_test_passed-no_tests_run_no_header.log",
    "test_is_test_passed-no_tests_run_with_header.log", "test_kernel_panic_interrupt.log",
    "test_multiple_prefixes.log", "test_output_isolated_correctly.log",
    "test_output_with_prefix_isolated_correctly.log", "test_parse_attributes.log",
    "test_parse_ktap_output.log", "test_parse_subtest_header.log", "test_pound_no_prefix.log",
    "test_pound_sign.log", "test_skip_all_tests.log", "test_skip_tests.log",
    "test_strip_hyphen.log",
]
pytestmark = pytest.mark.kernel  # reads the pinned tree (imported when missing)


@pytest.fixture(scope="module")
def kunit_dir(pinned_worktree: Path) -> Path:
    d = pinned_worktree / "tools" / "testing" / "kunit"
    assert (d / "kunit_parser.py").is_file() and (d / "test_data").is_dir(), d
    return d


@contextlib.contextmanager
def _kernel_parser(kunit_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(kunit_dir))
    try:
        printer = importlib.import_module("kunit_printer")
        parser = importlib.import_module("kunit_parser")
        parser.stdout = printer.Printer(io.StringIO())  # keep its progress report quiet
        yield parser
    finally:
        sys.path.remove(str(kunit_dir))


def theirs(parser: ModuleType, lines: list[str]) -> tuple[int, int, int, int]:
    c = parser.parse_run_tests(lines).counts
    return c.passed, c.failed, c.skipped, c.crashed


def ours(lines: list[str]) -> tuple[int, int, int, int]:
    n: Counter[str] = Counter()
    for run in kunit.case_runs(lines):
        leaves = [node for _key, node in run.nodes() if not node.subtests]
        for leaf in leaves:
            state = run.state() if leaf is run.result else leaf.status.compared()
            if state in (Status.CRASH, Status.ERROR, Status.HANG, Status.TIMEOUT):
                n["crashed"] += 1
            else:
                n[state.value] += 1
    return n["pass"], n["fail"], n["skip"], n["crashed"]


@pytest.mark.parametrize("log", LOGS)
def test_same_counts_as_kunit_parser(log: str, kunit_dir: Path) -> None:
    lines = (kunit_dir / "test_data" / log).read_text(errors="replace").splitlines(True)
    with _kernel_parser(kunit_dir) as parser:
        want = theirs(parser, lines)
    got = ours(lines)
    if log in DIFFERENCES:
        our_expected, their_expected, why = DIFFERENCES[log]
        assert (got, want) == (our_expected, their_expected), why
        assert got != want  # a listed difference that has gone away must leave the list
    else:
        assert got == want


def test_the_kernel_logs_are_all_compared(kunit_dir: Path) -> None:
    assert sorted(p.name for p in kunit_dir.glob("test_data/*.log")) == sorted(LOGS)
    assert set(DIFFERENCES) <= set(LOGS)


def test_the_panic_log_matches_through_our_crash_and_not_run(kunit_dir: Path) -> None:
    """kunit_parser's 2 'crashed' of test_kernel_panic_interrupt.log are our crash of the case
    that was running and the case never reached (not run)."""
    lines = (kunit_dir / "test_data" / "test_kernel_panic_interrupt.log").read_text().splitlines()
    runs = kunit.case_runs(lines)
    tail = [(r.name, r.state()) for r in runs[-2:]]
    assert tail == [("kunit:string-stream-test.<case 2 of 3>", Status.CRASH),
                    ("kunit:string-stream-test.<case 3 of 3>", Status.ERROR)]
    assert "Kernel panic - not syncing" in runs[-2].console_excerpt[0]
