"""The verdict: every judgement and exit rule of kwb, in one module.

The types (build on these; a new source of results such as KUnit needs none of its own):

* :class:`harness.vm.outcome.RunOutcome` -- what happened in the guest, for a console command,
  a test program or a whole run: pass, fail, skip, timeout, crash, hang, infra-error, not-run,
  interrupted. ``RunResult.outcome`` and ``TestRun.console`` (crash/hang) carry it.
* :class:`harness.results.status.Status` -- one test or subtest in one run: KTAP's pass, fail,
  skip, xfail, xpass, todo, error, timeout, plus crash/hang (the kernel went down while it ran)
  and missing (comparisons). KTAP and KUnit output is parsed straight into it
  (``ktap.TestResult.status``); ``Status.compared()`` is the comparison's view (XFAIL, XPASS,
  TODO count as PASS) and ``TestRun.state()`` a program's status with the console's view.
* :class:`Exit` -- the exit statuses, and :class:`Judgement` -- *the* verdict: exit status,
  problems, skips, notes and the failures it excused. :func:`decide` makes it once per command;
  the terminal summary, results.json, JUnit, the HTML report and the process exit status all
  render that one object and decide nothing themselves.
* ``compare.Verdict`` is a comparison row's category (regression, fixed, ...), not a status;
  ``bisect.Verdict`` (good/bad/skip of a bisect step) is unrelated.

The rules here: the guest's outcome per test (:func:`test_outcome`: exit 4 is a skip; past its
timeout with the guest still answering is a TIMEOUT, a failure of that test; "hang" only for a
guest that stops answering), per run (:func:`guest_outcome`, :func:`result_outcome`), a test's
record → :class:`~harness.results.model.TestRun` (:func:`test_run`), judging a run
(:func:`judge_run`) and a comparison (:func:`judge_comparison`), known failures.

Exit statuses (:class:`Exit`), the most severe cause wins:

* 130 / 143 -- interrupted by SIGINT / SIGTERM (what had finished is reported);
* 4 -- the kernel crashed (oops, panic, BUG, WARNING) or hung;
* 1 -- a test failed, errored or timed out (for a comparison: a regression);
* 5 -- infrastructure error: the run itself could not be done (boot, guest, harness);
* 3 -- incomplete: nothing failed, but a test was skipped or did not run at all;
* 0 -- every test that should run ran and passed (XFAIL/XPASS/TODO pass, but are reported).

For a comparison: 0 when there is no regression, no crash or hang in the patched run, no skip
and no missing test, and neither run is an infra error. Failures on both base and patched:
one listed in known-failures.txt never fails the comparison; one that is *not* listed does not
either by default -- the patch did not cause it -- but is reported loudly, as a note asking for
it to be fixed or reviewed into known-failures.txt; with ``fail_unlisted_on_both=True`` (a CI
that wants a clean slate) it fails. A test that fails on patched without a base result to
compare with (skipped or missing on base) always fails the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

from harness import paths
from harness.errors import WorkbenchError
from harness.vm.outcome import RunOutcome

from . import ktap
from .compare import Comparison, Verdict
from .model import RunResult, TestRun, known_reason
from .status import Status

KNOWN_FAILURES = paths.KERNEL_CONFIG_DIR / "known-failures.txt"

__all__ = [
    "KNOWN_FAILURES", "Exit", "Judgement", "decide", "exit_status", "guest_outcome", "judge",
    "judge_comparison", "judge_run", "known_reason", "load_known_failures",
    "parse_known_failures", "result_outcome", "test_outcome", "test_run",
]


class Exit(IntEnum):
    OK = 0
    FAILED = 1
    INCOMPLETE = 3
    CRASHED = 4
    INFRA = 5
    INTERRUPTED = 130  # SIGINT
    TERMINATED = 143  # SIGTERM


_EXIT_SEVERITY = (Exit.INTERRUPTED, Exit.TERMINATED, Exit.CRASHED, Exit.FAILED, Exit.INFRA,
                  Exit.INCOMPLETE, Exit.OK)
_SIGNAL_EXIT = {"SIGINT": Exit.INTERRUPTED, "SIGTERM": Exit.TERMINATED}


@dataclass
class Judgement:
    """The verdict: an exit status and why.

    ``problems`` and ``skips`` (``(test key, what happened)``) make it non-zero; ``notes`` are
    reported loudly but are not fatal (known failures, XFAIL/TODO, failures on both sides);
    ``excused`` maps ``(run label, test key)`` to why a failure of that test does not count.
    """

    exit: Exit = Exit.OK
    problems: list[str] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    excused: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, exit: Exit, problem: str) -> None:
        self.problems.append(problem)
        self._raise(exit)

    def skip(self, key: str, what: str) -> None:
        self.skips.append((key, what))
        self._raise(Exit.INCOMPLETE)

    def _raise(self, exit: Exit) -> None:
        if _EXIT_SEVERITY.index(exit) < _EXIT_SEVERITY.index(self.exit):
            self.exit = exit

    def merge(self, other: Judgement) -> None:
        self.problems += other.problems
        self.skips += other.skips
        self.notes += other.notes
        self.excused.update(other.excused)
        self._raise(other.exit)

    @property
    def word(self) -> str:
        """``OK``, ``FAILED``, ``CRASHED``, ``INTERRUPTED``..."""
        return "OK" if self.exit is Exit.OK else self.exit.name

    def result_line(self) -> str:
        return f"RESULT: {self.word} (exit status {int(self.exit)})"

    def skip_headline(self) -> str | None:
        """The loud line: how many tests did not run."""
        count = len({key for key, _what in self.skips})
        if not count:
            return None
        return (
            f"SKIP: {count} test{'s' if count != 1 else ''} skipped"
            " — they did not run, this is not a pass"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.word,
            "exit_status": int(self.exit),
            "problems": list(self.problems),
            "skips": [{"test": k, "what": w} for k, w in self.skips],
            "notes": list(self.notes),
            "excused": [{"run": r, "test": k, "why": w} for (r, k), w in self.excused.items()],
        }


# ---------------------------------------------------------------------------------------------
# What happened in the guest → outcomes and statuses


def test_outcome(console: RunOutcome, exit_code: int | None, *, timed_out: bool,
                 guest_alive: bool) -> RunOutcome:
    """A test's outcome from the console's view of its command.

    Exit 4 (KSFT_SKIP) is a skip; exit 124 (kselftest's runner timed it out) and a command
    the console interrupted at its timeout while the guest still answers are a TIMEOUT -- a
    failure of that test. HANG stays for a guest that stopped answering; CRASH for a report.
    """
    console = RunOutcome(console)  # one type, whatever enum the console driver hands over
    if console is RunOutcome.FAIL and exit_code == ktap.KSFT_SKIP:
        return RunOutcome.SKIP
    if console is RunOutcome.FAIL and exit_code == ktap.TIMEOUT_EXIT:
        return RunOutcome.TIMEOUT
    if console is RunOutcome.HANG and timed_out and guest_alive:
        return RunOutcome.TIMEOUT
    return console


def guest_outcome(tests: Sequence[tuple[str, RunOutcome]],
                  outside: Sequence[tuple[str, str]]) -> tuple[RunOutcome, str]:
    """A guest run's outcome and reason from its tests' outcomes (``(name, outcome)``) and the
    kernel reports seen outside any test (``(kind, first line)``): crash > hang > fail > pass.
    """
    extra = f"; {len(outside)} kernel report(s) outside the tests" if outside else ""
    crashed = [n for n, o in tests if o is RunOutcome.CRASH]
    if outside and not crashed:
        kind, line = outside[0]
        return RunOutcome.CRASH, f"kernel report ({kind}) outside the tests: {line}"
    if crashed:
        return RunOutcome.CRASH, f"crash: {', '.join(crashed)}{extra}"
    hung = [n for n, o in tests if o is RunOutcome.HANG]
    if hung:
        return RunOutcome.HANG, f"hang: {', '.join(hung)}{extra}"
    failed = [f"{n} ({o})" if o is RunOutcome.TIMEOUT else n
              for n, o in tests if o in (RunOutcome.FAIL, RunOutcome.TIMEOUT)]
    if failed:
        return RunOutcome.FAIL, f"fail: {', '.join(failed)}"
    return RunOutcome.PASS, "all tests passed or skipped"


def result_outcome(outcome: RunOutcome) -> RunOutcome:
    """A guest run's outcome as results keep it: pass, fail, crash, hang, infra-error or
    interrupted (a skip-only run is judged by its skips; a timeout is a failed test)."""
    return {
        RunOutcome.PASS: RunOutcome.PASS,
        RunOutcome.SKIP: RunOutcome.PASS,
        RunOutcome.FAIL: RunOutcome.FAIL,
        RunOutcome.TIMEOUT: RunOutcome.FAIL,
        RunOutcome.CRASH: RunOutcome.CRASH,
        RunOutcome.HANG: RunOutcome.HANG,
        RunOutcome.INTERRUPTED: RunOutcome.INTERRUPTED,
    }.get(RunOutcome(outcome), RunOutcome.INFRA_ERROR)


def test_run(name: str, outcome: RunOutcome, exit_code: int | None, output: str,
             duration: float, *, note: str = "", excerpt: Sequence[str] = ()) -> TestRun:
    """One test's record in the guest → its :class:`TestRun` (the program's Status and, for a
    crash or hang, what the console saw)."""
    result = ktap.from_exit_status(name, exit_code, output)
    if outcome is RunOutcome.NOT_RUN:
        result = ktap.TestResult(name, Status.ERROR,
                                 reason=f"not run: {note or 'the guest was gone'}")
    elif outcome is RunOutcome.TIMEOUT:
        if exit_code != ktap.TIMEOUT_EXIT:
            result.status = Status.TIMEOUT
            result.reason = note or f"timed out after {duration:g} s; interrupted"
    elif outcome is RunOutcome.HANG:
        result.status = Status.TIMEOUT
        result.reason = f"no exit after {duration:.0f} s: {note or 'killed'}"
    elif outcome is RunOutcome.CRASH and not result.status.failed:
        result.status = Status.ERROR
        result.reason = "the kernel reported a problem while this test ran"
    console = outcome if outcome.kernel_down else None
    return TestRun(name, result, round(duration, 2), exit_code, output, console, list(excerpt))


# ---------------------------------------------------------------------------------------------
# Judging one run


def own_failures(run: RunResult) -> list[tuple[str, Status, ktap.TestResult]]:
    """Failing tests whose failure is not just that of a failing subtest (those are listed)."""
    out = []
    for key, (state, node, _run) in run.entries().items():
        if state.failed and (
            state.kernel_down or not any(s.status.failed for s in node.subtests)
        ):
            out.append((key, state, node))
    return out


def skipped(run: RunResult) -> list[tuple[str, ktap.TestResult]]:
    """Skipped tests; a parent skipped because its subtests were is left to them."""
    return [
        (key, node)
        for key, (state, node, _run) in run.entries().items()
        if state is Status.SKIP and not any(s.status is Status.SKIP for s in node.subtests)
    ]


def _interrupted(j: Judgement, run: RunResult, where: str) -> None:
    if run.interrupted is None and run.outcome is not RunOutcome.INTERRUPTED:
        return
    sig = run.interrupted or "SIGINT"
    why = run.reason or f"interrupted by {sig}"
    j.add(_SIGNAL_EXIT.get(sig, Exit.INTERRUPTED),
          f"{where}: {why} (the tests that finished are reported)")


def judge_run(run: RunResult, known: Mapping[str, str] | None = None) -> Judgement:
    """Exit status of one run. Failures listed in ``known`` are reported but do not count."""
    known = known or {}
    j = Judgement()
    where = f"{run.label} ({run.accelerator})"
    _interrupted(j, run, where)
    if run.outcome is RunOutcome.INFRA_ERROR:
        j.add(Exit.INFRA, f"{where}: the run did not complete: {run.reason or 'infra error'}")
    if run.outcome.kernel_down:
        first = run.excerpt[0] if run.excerpt else run.reason
        j.add(Exit.CRASHED, f"{where}: kernel {run.outcome.value}: {first}".rstrip(": "))
    for key, state, node in own_failures(run):
        reason = known_reason(key, known)
        text = f"{key}: {state.value}" + (f": {node.reason}" if node.reason else "")
        if state.kernel_down:
            j.add(Exit.CRASHED, f"{where}: {text}")
        elif reason is not None:
            j.notes.append(f"known environment failure: {text} ({reason})")
            j.excused[(run.label, key)] = f"known environment failure: {reason}"
        else:
            j.add(Exit.FAILED, f"{where}: {text}")
    for key, node in skipped(run):
        j.skip(key, f"({run.label}): {node.reason or 'no reason given'}")
    stopped = run.outcome in (RunOutcome.INFRA_ERROR, RunOutcome.INTERRUPTED)
    if not run.tests and not stopped:
        j.add(Exit.INCOMPLETE, f"{where}: no tests ran")
    for key, (_state, node, _run) in run.entries().items():
        if node.status in (Status.XFAIL, Status.XPASS, Status.TODO):
            j.notes.append(f"{node.status.value.upper()} {key}: {node.reason or '-'}")
    return j


# ---------------------------------------------------------------------------------------------
# Judging a comparison

_SKIPS = (Verdict.NEW_SKIP, Verdict.SKIP_BOTH, Verdict.SKIP_BASE)
_MISSING = (Verdict.MISSING_BASE, Verdict.MISSING_PATCHED)
_NO_BASELINE = (Verdict.SKIP_BASE, Verdict.MISSING_BASE, Verdict.NEW_ON_PATCHED)


def judge_comparison(comp: Comparison) -> Judgement:
    """Exit status of base vs patched (the known failures and policy are the comparison's)."""
    j = Judgement()
    b, p = comp.base.label, comp.patched.label
    for run in (comp.base, comp.patched):
        _interrupted(j, run, run.label)
        if run.outcome is RunOutcome.INFRA_ERROR:
            j.add(Exit.INFRA, f"{run.label}: the run did not complete: {run.reason}")
    if comp.patched.outcome.kernel_down:
        first = comp.patched.excerpt[0] if comp.patched.excerpt else comp.patched.reason
        j.add(Exit.CRASHED, f"{p} kernel {comp.patched.outcome.value}: {first}")
    if comp.base.outcome.kernel_down:
        first = comp.base.excerpt[0] if comp.base.excerpt else comp.base.reason
        j.notes.append(f"the {b} kernel had a {comp.base.outcome.value} too: {first}")
    for row in comp.rows:
        if row.verdict is Verdict.FIXED and row.base.failed:
            j.excused[(b, row.test)] = f"fixed on {p}"
        if comp.explained(row):
            continue
        text = f"{row.test}: {row.note}"
        conf = comp.confirmations.get(row.test)  # re-run on fresh boots (harness.vm.confirm)
        if conf is not None:
            text += f" [{conf.text()}]"
        if row.verdict is Verdict.REGRESSION and conf is not None \
                and not conf.confirmed_regression and not row.patched.kernel_down:
            j.notes.append(f"not a confirmed regression: {text}")
            j.excused[(p, row.test)] = f"not a confirmed regression ({conf.finding.value})"
        elif row.verdict is Verdict.REGRESSION:
            kind = Exit.CRASHED if row.patched.kernel_down else Exit.FAILED
            j.add(kind, f"regression: {text}")
        elif row.verdict is Verdict.UNCHANGED_FAIL:
            if row.patched.kernel_down:
                j.add(Exit.CRASHED, f"{row.patched.value} on both kernels: {text}")
            elif row.known is None and comp.fail_unlisted_on_both:
                j.add(Exit.FAILED, f"fails on both (policy: unlisted failures count): {text}")
            else:
                j.notes.append(f"fails on both: {text}")
                for label in (b, p):
                    j.excused[(label, row.test)] = row.note
        elif row.verdict in _MISSING:
            j.add(Exit.INCOMPLETE, f"{row.verdict.value}: {text}")
        elif row.verdict in _SKIPS:
            j.skip(row.test, f"({row.verdict.value}): {row.note}")
        elif row.verdict is Verdict.FIXED:
            j.notes.append(f"fixed: {text}")
        elif row.verdict is Verdict.NEW_ON_PATCHED and row.patched is Status.SKIP:
            j.skip(row.test, f"({row.verdict.value}): {row.note}")
        elif row.verdict is Verdict.NEW_ON_PATCHED and not row.patched.failed:
            j.notes.append(f"new on {p}: {row.test}")
        if row.verdict in (Verdict.SKIP_BASE, Verdict.MISSING_BASE, Verdict.NEW_ON_PATCHED) \
                and row.patched.failed:
            j.add(Exit.FAILED, f"fails on {p} with no {b} result to compare: {row.test}")
    j.notes.extend(n for n in judge_run(comp.patched).notes if not n.startswith("known"))
    return j


# ---------------------------------------------------------------------------------------------
# The one verdict of a command


def decide(runs: Sequence[RunResult], comparison: Comparison | None = None,
           known: Mapping[str, str] | None = None) -> Judgement:
    """The verdict of a command: of the comparison when there is one (it carries its known
    failures), else of every run (``known`` applies). Every report renders this object and
    the process exits with its ``exit``."""
    if comparison is not None:
        return judge_comparison(comparison)
    j = Judgement()
    for run in runs:
        j.merge(judge_run(run, known))
    if not runs:
        j.add(Exit.INCOMPLETE, "no run was made")
    return j


def judge(subject: RunResult | Comparison, known: Mapping[str, str] | None = None) -> Judgement:
    """Why the exit status is what it is. ``known`` applies to a single run only (a
    comparison carries its own)."""
    if isinstance(subject, Comparison):
        return judge_comparison(subject)
    return judge_run(subject, known)


def exit_status(subject: RunResult | Comparison, known: Mapping[str, str] | None = None) -> int:
    return int(judge(subject, known).exit)


# ---------------------------------------------------------------------------------------------
# kernel-config/known-failures.txt


def parse_known_failures(text: str, source: str = "known-failures.txt") -> dict[str, str]:
    """``name  # reason`` per line; ``#`` lines and blank lines are comments.

    Every entry needs a reason and names are unique: anything else is an error naming the
    line, so that a typo never silently un-lists (or lists) a test. Names may contain spaces
    (kselftest subtest names do), not ``#``.
    """
    known: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, hashed, reason = line.partition("#")
        name, reason = name.strip(), reason.strip()
        where = f"{source}:{number}"
        if not hashed or not reason:
            raise WorkbenchError(f"{where}: {name!r} has no reason; write 'name  # reason'")
        if name in known:
            raise WorkbenchError(f"{where}: {name!r} is listed twice")
        known[name] = reason
    return known


def load_known_failures(path: Path | None = None) -> dict[str, str]:
    """The reviewed known-failures list; the default file may be absent (no entries)."""
    target = path or KNOWN_FAILURES
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path is None:
            return {}
        raise WorkbenchError(f"{target}: no such known-failures file") from None
    return parse_known_failures(text, str(target))
