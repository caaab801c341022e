"""Base vs patched: the two runs side by side, a :class:`Verdict` per test and subtest.

Verdicts (:class:`Verdict`), compared by :class:`~harness.results.model.Status`; "failing" means
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

Judging a comparison (its exit status, the policy for failures on both sides, known failures)
is :mod:`harness.results.verdict`'s; this module only puts the two runs side by side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from harness.vm.outcome import RunOutcome

from .confirm import Confirmation
from .ktap import KEY_SEP, TestResult
from .model import RunResult, TestRun, known_reason
from .status import Status


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
    NEW_ON_PATCHED = "new-on-patched"  # a KUnit case the base kernel does not have at all


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
    Verdict.NEW_ON_PATCHED,
    Verdict.UNCHANGED_PASS,
)
# Tests that may exist on one kernel only: a KUnit suite the series adds is absent from the
# base kernel's run (its tree has no such suite), which is neither a regression nor a pass.
NEW_ON_PATCHED_PREFIXES = ("kunit:",)


@dataclass
class Row:
    test: str  # key: "program" or "program::subtest"
    base: Status
    patched: Status
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
    # test key -> its re-runs on fresh boots of both kernels (harness.vm.confirm)
    confirmations: dict[str, Confirmation] = field(default_factory=dict)

    def by_verdict(self, verdict: Verdict) -> list[Row]:
        return [r for r in self.rows if r.verdict is verdict]

    def counts(self) -> Counter[Verdict]:
        return Counter(r.verdict for r in self.rows)

    def explained(self, row: Row) -> bool:
        """A parent whose verdict a subtest row with the same verdict already reports."""
        prefix = row.test + KEY_SEP
        return any(r.verdict is row.verdict and r.test.startswith(prefix) for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """The comparison's facts; results.json adds the verdict's (report.jsonfile)."""
        return {
            "base": self.base.label,
            "patched": self.patched.label,
            "policy": {"fail_unlisted_on_both": self.fail_unlisted_on_both},
            "counts": {v.value: n for v, n in self.counts().items()},
            "rows": [r.to_dict() for r in self.rows],
            "confirmations": [c.to_dict() for c in self.confirmations.values()],
        }


def _effective(state: Status | None, run: RunResult) -> tuple[Status, str]:
    """A test absent from a run whose kernel went down did not run *because* it went down."""
    if state is not None:
        return state, ""
    if run.outcome is RunOutcome.CRASH:
        return Status.CRASH, f"did not run: the {run.label} kernel crashed"
    if run.outcome is RunOutcome.HANG:
        return Status.HANG, f"did not run: the {run.label} kernel hung"
    return Status.MISSING, ""


def _verdict(b: Status, p: Status) -> Verdict:
    if p is Status.MISSING:
        return Verdict.MISSING_PATCHED
    if b is Status.MISSING:
        return Verdict.MISSING_BASE
    if p.kernel_down and not b.kernel_down:
        return Verdict.REGRESSION
    if p is Status.SKIP:
        return Verdict.SKIP_BOTH if b is Status.SKIP else Verdict.NEW_SKIP
    if b is Status.SKIP:
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
        case Verdict.NEW_ON_PATCHED:
            return f"new on {p_label} ({p}): the {b_label} kernel does not have it"
    return ""


def _reason(entry: tuple[Status, TestResult, TestRun] | None) -> str:
    if entry is None:
        return ""
    state, node, test = entry
    why = node.reason or "; ".join(node.errors)
    if node is test.result and state.kernel_down and test.console_excerpt:
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
        new = b_entry is None and p_entry is not None and key.startswith(
            NEW_ON_PATCHED_PREFIXES)
        if new:
            b_state, b_why = Status.MISSING, f"not on the {base.label} kernel"
        b_node = b_entry[1] if b_entry else None
        p_node = p_entry[1] if p_entry else None
        row = Row(
            test=key,
            base=b_state,
            patched=p_state,
            verdict=Verdict.NEW_ON_PATCHED if new else _verdict(b_state, p_state),
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
