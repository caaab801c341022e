"""Base vs patched: a verdict per test and subtest, and the exit status of a run or comparison.

Verdicts (:class:`Verdict`), compared by :class:`~harness.results.model.State`; "failing" means
fail, error, timeout, crash or hang:

* ``regression`` -- passed on base, failing on patched; or crashes/hangs the patched kernel
  when it did not crash/hang the base one (whatever it did on base);
* ``fixed`` -- failing on base, passes on patched;
* ``unchanged-pass``;
* ``unchanged-fail`` -- failing on both: *not* a regression (fails on base too). When the
  test is listed in ``kernel-config/known-failures.txt`` it is a "known environment failure";
* ``new-skip`` (skipped on patched only), ``skip-both``, ``skip-base`` (skipped on base only,
  so the patched result has no baseline) -- all flagged loudly: a skip is not a pass;
* ``missing-in-base`` / ``missing-in-patched`` -- the test ran in one run only. A test missing
  from a run whose kernel crashed or hung counts as crashed/hung there, not as missing.

Exit status (:func:`exit_status`, codes in :class:`~harness.results.model.Exit`): 0 only when
nothing failed, crashed or hung and no test was skipped. For a comparison: 0 when there is
no regression, no crash or hang in the patched run, no skip and no missing test, and neither
run is an infra error.

Policy for failures on both sides (``fail_unlisted_on_both``): a failure on both base and
patched that is listed in known-failures.txt never fails the comparison. One that is *not*
listed does not fail it either by default -- the patch did not cause it -- but it is reported
loudly, as a note asking for it to be fixed or reviewed into known-failures.txt. With
``fail_unlisted_on_both=True`` (for a CI that wants a clean slate) it fails the comparison.
A test that fails on patched without a base result to compare with (skipped or missing on
base) always fails the comparison.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness import paths
from harness.errors import WorkbenchError

from .ktap import KEY_SEP, TestResult
from .model import (
    Exit,
    Judgement,
    Outcome,
    RunResult,
    State,
    TestRun,
    judge_run,
    known_reason,
)

KNOWN_FAILURES = paths.KERNEL_CONFIG_DIR / "known-failures.txt"


class Verdict(StrEnum):
    REGRESSION = "regression"
    FIXED = "fixed"
    UNCHANGED_PASS = "unchanged-pass"
    UNCHANGED_FAIL = "unchanged-fail"
    NEW_SKIP = "new-skip"
    SKIP_BOTH = "skip-both"
    SKIP_BASE = "skip-base"
    MISSING_BASE = "missing-in-base"
    MISSING_PATCHED = "missing-in-patched"


# Report order: what needs a person's attention first.
VERDICT_ORDER = (
    Verdict.REGRESSION,
    Verdict.MISSING_PATCHED,
    Verdict.MISSING_BASE,
    Verdict.NEW_SKIP,
    Verdict.SKIP_BASE,
    Verdict.SKIP_BOTH,
    Verdict.UNCHANGED_FAIL,
    Verdict.FIXED,
    Verdict.UNCHANGED_PASS,
)
_SKIPS = (Verdict.NEW_SKIP, Verdict.SKIP_BOTH, Verdict.SKIP_BASE)
_MISSING = (Verdict.MISSING_BASE, Verdict.MISSING_PATCHED)
_KERNEL_DOWN = (State.CRASH, State.HANG)


@dataclass
class Row:
    test: str  # key: "program" or "program::subtest"
    base: State
    patched: State
    verdict: Verdict
    note: str = ""
    known: str | None = None  # the known-failures.txt reason, when listed
    base_reason: str = ""
    patched_reason: str = ""
    leaf: bool = True  # no subtests on either side

    @property
    def verdict_text(self) -> str:
        return self.verdict.value + (" (known)" if self.known is not None else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "base": self.base.value,
            "patched": self.patched.value,
            "verdict": self.verdict.value,
            "note": self.note,
            "known": self.known,
            "base_reason": self.base_reason,
            "patched_reason": self.patched_reason,
            "leaf": self.leaf,
        }


@dataclass
class Comparison:
    base: RunResult
    patched: RunResult
    rows: list[Row]
    known: dict[str, str] = field(default_factory=dict)
    fail_unlisted_on_both: bool = False

    def by_verdict(self, verdict: Verdict) -> list[Row]:
        return [r for r in self.rows if r.verdict is verdict]

    def counts(self) -> Counter[Verdict]:
        return Counter(r.verdict for r in self.rows)

    def _explained(self, row: Row) -> bool:
        """A parent whose verdict a subtest row with the same verdict already reports."""
        prefix = row.test + KEY_SEP
        return any(r.verdict is row.verdict and r.test.startswith(prefix) for r in self.rows)

    def judgement(self) -> Judgement:
        j = Judgement()
        b, p = self.base.label, self.patched.label
        for run in (self.base, self.patched):
            if run.outcome is Outcome.INFRA_ERROR:
                j.add(Exit.INFRA, f"{run.label}: the run did not complete: {run.reason}")
        if self.patched.outcome in (Outcome.CRASH, Outcome.HANG):
            first = self.patched.excerpt[0] if self.patched.excerpt else self.patched.reason
            j.add(Exit.CRASHED, f"{p} kernel {self.patched.outcome.value}: {first}")
        if self.base.outcome in (Outcome.CRASH, Outcome.HANG):
            first = self.base.excerpt[0] if self.base.excerpt else self.base.reason
            j.notes.append(f"the {b} kernel had a {self.base.outcome.value} too: {first}")
        for row in self.rows:
            if self._explained(row):
                continue
            text = f"{row.test}: {row.note}"
            if row.verdict is Verdict.REGRESSION:
                kind = Exit.CRASHED if row.patched in _KERNEL_DOWN else Exit.FAILED
                j.add(kind, f"regression: {text}")
            elif row.verdict is Verdict.UNCHANGED_FAIL:
                if row.patched in _KERNEL_DOWN:
                    j.add(Exit.CRASHED, f"{row.patched.value} on both kernels: {text}")
                elif row.known is None and self.fail_unlisted_on_both:
                    j.add(Exit.FAILED, f"fails on both (policy: unlisted failures count): {text}")
                else:
                    j.notes.append(f"fails on both: {text}")
            elif row.verdict in _MISSING:
                j.add(Exit.INCOMPLETE, f"{row.verdict.value}: {text}")
            elif row.verdict in _SKIPS:
                j.skip(row.test, f"({row.verdict.value}): {row.note}")
            elif row.verdict is Verdict.FIXED:
                j.notes.append(f"fixed: {text}")
            if row.verdict in (Verdict.SKIP_BASE, Verdict.MISSING_BASE) and row.patched.failed:
                j.add(Exit.FAILED, f"fails on {p} with no {b} result to compare: {row.test}")
        j.notes.extend(n for n in judge_run(self.patched).notes if not n.startswith("known"))
        return j

    def to_dict(self) -> dict[str, Any]:
        j = self.judgement()
        return {
            "base": self.base.label,
            "patched": self.patched.label,
            "policy": {"fail_unlisted_on_both": self.fail_unlisted_on_both},
            "exit_status": int(j.exit),
            "problems": j.problems,
            "skips": [{"test": k, "what": w} for k, w in j.skips],
            "notes": j.notes,
            "counts": {v.value: n for v, n in self.counts().items()},
            "rows": [r.to_dict() for r in self.rows],
        }


def _effective(state: State | None, run: RunResult) -> tuple[State, str]:
    """A test absent from a run whose kernel went down did not run *because* it went down."""
    if state is not None:
        return state, ""
    if run.outcome is Outcome.CRASH:
        return State.CRASH, f"did not run: the {run.label} kernel crashed"
    if run.outcome is Outcome.HANG:
        return State.HANG, f"did not run: the {run.label} kernel hung"
    return State.MISSING, ""


def _verdict(b: State, p: State) -> Verdict:
    if p is State.MISSING:
        return Verdict.MISSING_PATCHED
    if b is State.MISSING:
        return Verdict.MISSING_BASE
    if p in _KERNEL_DOWN and b not in _KERNEL_DOWN:
        return Verdict.REGRESSION
    if p is State.SKIP:
        return Verdict.SKIP_BOTH if b is State.SKIP else Verdict.NEW_SKIP
    if b is State.SKIP:
        return Verdict.SKIP_BASE
    if b.failed:
        return Verdict.UNCHANGED_FAIL if p.failed else Verdict.FIXED
    return Verdict.REGRESSION if p.failed else Verdict.UNCHANGED_PASS


def _note(row: Row, b_label: str, p_label: str) -> str:
    b, p = row.base.value, row.patched.value
    why = row.patched_reason or row.base_reason
    tail = f": {why}" if why else ""
    match row.verdict:
        case Verdict.REGRESSION:
            return f"{b} → {p}" + (f": {row.patched_reason}" if row.patched_reason else "")
        case Verdict.FIXED:
            return f"{b} → {p}"
        case Verdict.UNCHANGED_FAIL:
            differ = f" ({b_label}: {b}, {p_label}: {p})" if b != p else ""
            if row.known is not None:
                return f"known environment failure: {row.known}{differ}"
            return f"not a regression (fails on base too){differ}; not in known-failures.txt"
        case Verdict.NEW_SKIP:
            return f"skipped on {p_label} only ({b_label}: {b}){tail}"
        case Verdict.SKIP_BOTH:
            return f"skipped on both{tail}"
        case Verdict.SKIP_BASE:
            return f"skipped on {b_label} only: the {p_label} result ({p}) has no baseline"
        case Verdict.MISSING_BASE:
            return f"ran on {p_label} only ({p}), not on {b_label}"
        case Verdict.MISSING_PATCHED:
            return f"ran on {b_label} only ({b}), not on {p_label}"
    return ""


def _reason(entry: tuple[State, TestResult, TestRun] | None) -> str:
    if entry is None:
        return ""
    state, node, test = entry
    why = node.reason or "; ".join(node.errors)
    if node is test.result and state in _KERNEL_DOWN and test.console_excerpt:
        kernel = f"kernel {state.value}: {test.console_excerpt[0]}"
        return f"{kernel}; {why}" if why else kernel
    return why


def compare(
    base: RunResult,
    patched: RunResult,
    known: Mapping[str, str] | None = None,
    *,
    fail_unlisted_on_both: bool = False,
) -> Comparison:
    """A row per test and subtest of either run, regressions first."""
    known = dict(known or {})
    b_entries, p_entries = base.entries(), patched.entries()
    keys = list(b_entries) + [k for k in p_entries if k not in b_entries]
    rows: list[Row] = []
    for key in keys:
        b_entry, p_entry = b_entries.get(key), p_entries.get(key)
        b_state, b_why = _effective(b_entry[0] if b_entry else None, base)
        p_state, p_why = _effective(p_entry[0] if p_entry else None, patched)
        b_node = b_entry[1] if b_entry else None
        p_node = p_entry[1] if p_entry else None
        row = Row(
            test=key,
            base=b_state,
            patched=p_state,
            verdict=_verdict(b_state, p_state),
            base_reason=_reason(b_entry) or b_why,
            patched_reason=_reason(p_entry) or p_why,
            leaf=not (b_node and b_node.subtests) and not (p_node and p_node.subtests),
        )
        if row.verdict is Verdict.UNCHANGED_FAIL:
            row.known = known_reason(key, known)
        row.note = _note(row, base.label, patched.label)
        rows.append(row)
    rows.sort(key=lambda r: VERDICT_ORDER.index(r.verdict))  # stable: run order within
    return Comparison(base, patched, rows, known, fail_unlisted_on_both)


def judge(subject: RunResult | Comparison, known: Mapping[str, str] | None = None) -> Judgement:
    """Why the exit status is what it is. ``known`` applies to a single run only (a
    comparison carries its own)."""
    if isinstance(subject, Comparison):
        return subject.judgement()
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
