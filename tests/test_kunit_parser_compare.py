"""Our KTAP reading against the kernel's own ``tools/testing/kunit/kunit_parser.py``, on the
kernel's ``tools/testing/kunit/test_data/*.log`` (both taken from the pinned tree's worktree,
read-only; the test skips where the tree has not been imported).

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
from conftest import REAL_CACHE

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


def _kunit_dir() -> Path | None:
    for wt in sorted(REAL_CACHE.glob("worktrees/*-base")):
        d = wt / "tools" / "testing" / "kunit"
        if (d / "kunit_parser.py").is_file() and (d / "test_data").is_dir():
            return d
    return None


KUNIT_DIR = _kunit_dir()
pytestmark = pytest.mark.skipif(KUNIT_DIR is None, reason="the pinned tree is not imported "
                                "(kwb tree): no tools/testing/kunit to compare with")


@contextlib.contextmanager
def _kernel_parser() -> Iterator[ModuleType]:
    assert KUNIT_DIR is not None
    sys.path.insert(0, str(KUNIT_DIR))
    try:
        printer = importlib.import_module("kunit_printer")
        parser = importlib.import_module("kunit_parser")
        parser.stdout = printer.Printer(io.StringIO())  # keep its progress report quiet
        yield parser
    finally:
        sys.path.remove(str(KUNIT_DIR))


def _logs() -> list[str]:
    return sorted(p.name for p in KUNIT_DIR.glob("test_data/*.log")) if KUNIT_DIR else []


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


@pytest.mark.parametrize("log", _logs())
def test_same_counts_as_kunit_parser(log: str) -> None:
    assert KUNIT_DIR is not None
    lines = (KUNIT_DIR / "test_data" / log).read_text(errors="replace").splitlines(True)
    with _kernel_parser() as parser:
        want = theirs(parser, lines)
    got = ours(lines)
    if log in DIFFERENCES:
        our_expected, their_expected, why = DIFFERENCES[log]
        assert (got, want) == (our_expected, their_expected), why
        assert got != want  # a listed difference that has gone away must leave the list
    else:
        assert got == want


def test_the_kernel_logs_are_all_compared() -> None:
    assert len(_logs()) >= 20
    assert set(DIFFERENCES) <= set(_logs())


def test_the_panic_log_matches_through_our_crash_and_not_run() -> None:
    """kunit_parser's 2 'crashed' of test_kernel_panic_interrupt.log are our crash of the case
    that was running and the case never reached (not run)."""
    assert KUNIT_DIR is not None
    lines = (KUNIT_DIR / "test_data" / "test_kernel_panic_interrupt.log").read_text().splitlines()
    runs = kunit.case_runs(lines)
    tail = [(r.name, r.state()) for r in runs[-2:]]
    assert tail == [("kunit:string-stream-test.<case 2 of 3>", Status.CRASH),
                    ("kunit:string-stream-test.<case 3 of 3>", Status.ERROR)]
    assert "Kernel panic - not syncing" in runs[-2].console_excerpt[0]
