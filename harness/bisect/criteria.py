"""The criteria (``apply``, ``build``, ``test:NAME``, ``regression``): steps built over an
injected :class:`Pipeline` (apply the series, build, boot and test) by :func:`make_step`."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from .step import (
    FAIL_STATUSES,
    PASS_STATUSES,
    BisectError,
    Kind,
    StageError,
    Verdict,
)


@dataclass(frozen=True)
class ApplyOutcome:
    ok: bool
    message: str
    touched_files: list[str]  # the files the series touches (repo-relative), even on failure
    log: str | None = None


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    message: str
    error_files: list[str]  # files named in the first compiler errors (as printed)
    log: str | None = None


class TestResults(dict[str, str]):
    """``{test name: status}`` with the log files that show it (what Pipeline.test may return)."""

    __test__ = False  # not a pytest class

    def __init__(self, statuses: Mapping[str, str] | None = None,
                 logs: Sequence[str] = ()) -> None:
        super().__init__(statuses or {})
        self.logs = list(logs)


class Pipeline(Protocol):
    """The real stages, injected: apply the series on the base, build, boot and test.

    ``apply`` applies the series on ``commit`` (checked out in ``worktree``); ``build`` builds
    that tree incrementally (same O= dir, ccache); ``test`` boots the result and runs
    ``tests``, returning their statuses: "pass" / "fail" / anything else = no answer ("skip",
    "error", "timeout", "no-boot"...).  A stage that cannot run at all on this base (e.g. the
    guest does not boot) may raise StageError(stage, message, logs).  Return a TestResults to
    attach logs.
    """

    def apply(self, worktree: Path, commit: str) -> ApplyOutcome: ...

    def build(self, worktree: Path) -> BuildOutcome: ...

    def test(self, worktree: Path, tests: Sequence[str]) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Criterion:
    """What counts as bad: ``apply``, ``build``, ``test:NAME`` or ``regression``."""

    kind: Literal["apply", "build", "test", "regression"]
    test: str | None = None

    @classmethod
    def parse(cls, text: str) -> Criterion:
        text = text.strip()
        if text in ("apply", "build", "regression"):
            return cls(text)  # type: ignore[arg-type]
        if text.startswith("test:") and text[5:].strip():
            return cls("test", text[5:].strip())
        raise BisectError(
            f"unknown bisect criterion {text!r}: use apply, build, test:NAME or regression")

    def __str__(self) -> str:
        return f"test:{self.test}" if self.kind == "test" else self.kind

    def describe(self) -> str:
        return {
            "apply": "whether the series applies",
            "build": "whether the series builds",
            "test": f"whether test {self.test} passes",
            "regression": "whether any test regresses against the good end",
        }[self.kind]


def _short(message: str, limit: int = 400) -> str:
    text = " | ".join(ln.strip() for ln in message.strip().splitlines() if ln.strip())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _norm_path(path: str, worktree: Path) -> str:
    """A file named by a compiler ("../src/mm/x.c:12:3" or absolute) as a repo-relative path."""
    p = path.strip()
    if m := re.match(r"^(.*?):\d+(?::\d+)?(?::.*)?$", p):
        p = m[1]
    if os.path.isabs(p):
        with contextlib.suppress(ValueError):
            p = str(Path(p).resolve().relative_to(worktree.resolve()))
    while p.startswith(("./", "../")):
        p = p.split("/", 1)[1]
    return p


def series_error_files(error_files: Sequence[str], touched: Sequence[str],
                       worktree: Path) -> list[str]:
    """The error files that are files the series touches (matched on repo-relative paths)."""
    touched_set = {t.strip().removeprefix("./") for t in touched if t.strip()}
    out = []
    for raw in error_files:
        e = _norm_path(raw, worktree)
        if any(e == t or e.endswith("/" + t) for t in touched_set) and e not in out:
            out.append(e)
    return out


class CriterionStep:
    """The step for one criterion over a Pipeline (see module doc and docs/bisect.md).

    ``apply``: bad when the series does not apply.  ``build``: bad when the build breaks;
    skip when the series does not apply.  ``test:NAME`` / ``regression``: bad when the test
    fails (or regresses), or the build breaks in a file the series touches; skip when the
    series does not apply, the build breaks elsewhere, or the test gives no answer.
    """

    def __init__(self, criterion: Criterion, pipeline: Pipeline,
                 tests: Sequence[str] = (), confirm: int = 0) -> None:
        self.criterion = criterion
        self.pipeline = pipeline
        self.confirm = confirm  # fresh boots that must agree with the first (--confirm N)
        if criterion.kind == "test":
            assert criterion.test is not None
            tests = [criterion.test, *[t for t in tests if t != criterion.test]]
        self.tests = list(tests)

    def __call__(self, commit: str, worktree: Path) -> Verdict:
        logs: list[str] = []
        timings: dict[str, float] = {}
        crit = self.criterion

        def verdict(kind: Kind, why: str, stage: str) -> Verdict:
            return Verdict(kind, why, stage, logs, timings)

        try:
            t0 = time.monotonic()
            applied = self.pipeline.apply(worktree, commit)
            timings["apply"] = time.monotonic() - t0
            _add_log(logs, applied.log)
            if not applied.ok:
                if crit.kind == "apply":
                    return verdict("bad", f"the series no longer applies: "
                                   f"{_short(applied.message)}", "apply")
                return verdict("skip", f"the series does not apply on this base "
                               f"({_short(applied.message)}), so {crit.describe()} cannot be "
                               "checked here: skipped (as git bisect run exit 125)", "apply")
            if crit.kind == "apply":
                return verdict("good", "the series applies", "apply")

            t0 = time.monotonic()
            built = self.pipeline.build(worktree)
            timings["build"] = time.monotonic() - t0
            _add_log(logs, built.log)
            if not built.ok:
                return self._build_failed(built, applied, worktree, verdict)
            if crit.kind == "build":
                return verdict("good", "the series applies and builds", "build")

            t0 = time.monotonic()
            results = self.pipeline.test(worktree, self.tests)
            timings["test"] = time.monotonic() - t0
            for log in getattr(results, "logs", []):
                _add_log(logs, log)
        except StageError as exc:
            for log in exc.logs:
                _add_log(logs, log)
            return self._stage_error(exc, verdict)
        first = self._judge_tests(_statuses(results), verdict)
        return self._confirmed(first, _statuses(results), worktree, logs, verdict)

    def _confirmed(self, first: Verdict, statuses: dict[str, str], worktree: Path,
                   logs: list[str], verdict: Any) -> Verdict:
        """With ``confirm`` = N: the tests run again on N fresh boots, and the step's verdict
        steers the bisection only when every boot gives it; boots that disagree (a flaky test)
        make the step a skip, with every boot's results in the reason."""
        if self.confirm <= 0 or first.kind == "skip" or first.stage != "test":
            return first
        boots, kinds = [statuses], [first.kind]
        for _ in range(self.confirm):
            try:
                again = self.pipeline.test(worktree, self.tests)
            except StageError as exc:
                again, kinds = TestResults(logs=exc.logs), [*kinds, "skip"]
            for log in getattr(again, "logs", []):
                _add_log(logs, log)
            boots.append(_statuses(again))
            if len(kinds) < len(boots):
                kinds.append(self._judge_tests(boots[-1], verdict).kind)
        per_test = "; ".join(f"{name}: {' '.join(b.get(name, 'missing') for b in boots)}"
                             for name in self.tests)
        if all(k == first.kind for k in kinds):
            return verdict(first.kind, f"{first.why} (confirmed on {len(boots)} boots: "
                           f"{per_test})", first.stage)
        return verdict("skip", f"flaky here: {len(boots)} boots disagree "
                       f"({' '.join(kinds)}; {per_test}), so this step cannot steer the "
                       "bisection: skipped (as git bisect run exit 125)", "test")

    def _build_failed(self, built: BuildOutcome, applied: ApplyOutcome, worktree: Path,
                      verdict: Any) -> Verdict:
        where = ", ".join(built.error_files) or "an unknown place (no compiler error found)"
        if self.criterion.kind == "build":
            return verdict("bad", f"the build breaks in {where}: {_short(built.message)}",
                           "build")
        ours = series_error_files(built.error_files, applied.touched_files, worktree)
        if ours:
            return verdict("bad", f"the build breaks in files the series touches "
                           f"({', '.join(ours)}): {_short(built.message)}", "build")
        return verdict("skip", f"the build breaks in {where}, which the series does not touch, "
                       f"so {self.criterion.describe()} cannot be checked here: skipped (as git "
                       f"bisect run exit 125): {_short(built.message)}", "build")

    def _stage_error(self, exc: StageError, verdict: Any) -> Verdict:
        return verdict("skip", f"{exc.stage} failed ({_short(exc.message)}), so "
                       f"{self.criterion.describe()} cannot be checked here: skipped "
                       "(as git bisect run exit 125)", exc.stage)

    def _judge_tests(self, results: dict[str, str], verdict: Any) -> Verdict:
        name = self.criterion.test
        assert name is not None
        status = results.get(name, "missing")
        if status in PASS_STATUSES:
            return verdict("good", f"test {name} passes", "test")
        if status in FAIL_STATUSES:
            return verdict("bad", f"test {name} fails ({status})", "test")
        return verdict("skip", f"test {name} gave no answer (status {status!r}): skipped "
                       "(as git bisect run exit 125)", "test")


class RegressionStep(CriterionStep):
    """``regression``: bad when a test that passes at the good end fails, or the kernel that
    booted at the good end does not boot; the good end is measured first (Baselined)."""

    def __init__(self, pipeline: Pipeline, tests: Sequence[str], confirm: int = 0) -> None:
        if not tests:
            raise BisectError("the regression criterion needs the tests to run (--tests)")
        super().__init__(Criterion("regression"), pipeline, tests, confirm)
        self.baseline: dict[str, str] | None = None

    def load_baseline(self, data: dict[str, str]) -> None:
        self.baseline = dict(data)

    def measure_baseline(self, commit: str, worktree: Path) -> tuple[Verdict, dict[str, str]]:
        v = CriterionStep(Criterion("build"), self.pipeline)(commit, worktree)
        if v.kind != "good":
            raise BisectError(f"the good end {commit[:12]} is not good, so nothing can regress "
                              f"from it: {v.why}", log=v.logs[-1] if v.logs else None)
        try:
            results = self.pipeline.test(worktree, self.tests)
        except StageError as exc:
            raise BisectError(f"the good end {commit[:12]}: {exc}",
                              log=exc.logs[-1] if exc.logs else None) from exc
        statuses = {k: s.strip().lower() for k, s in results.items()}
        passing = sorted(k for k, s in statuses.items() if s in PASS_STATUSES)
        if not passing:
            raise BisectError(f"no test passes at the good end {commit[:12]} "
                              f"({statuses or 'no results'}): nothing can regress")
        logs = [*v.logs, *getattr(results, "logs", [])]
        self.baseline = statuses
        return Verdict("good", f"baseline: {len(passing)} test(s) pass at the good end: "
                       f"{', '.join(passing)}", "test", logs, v.timings), statuses

    def _stage_error(self, exc: StageError, verdict: Any) -> Verdict:
        if exc.stage == "boot":
            return verdict("bad", f"the kernel no longer boots ({_short(exc.message)}); it "
                           "booted at the good end", "boot")
        return super()._stage_error(exc, verdict)

    def _judge_tests(self, results: dict[str, str], verdict: Any) -> Verdict:
        if self.baseline is None:
            raise BisectError("regression step used before its baseline was measured")
        regressed, unknown = [], []
        for name, before in sorted(self.baseline.items()):
            if before not in PASS_STATUSES:
                continue
            now = results.get(name, "missing")
            if now in FAIL_STATUSES:
                regressed.append(f"{name} {before} -> {now}")
            elif now not in PASS_STATUSES:
                unknown.append(f"{name} ({now})")
        if regressed:
            return verdict("bad", "regression against the good end: "
                           + ", ".join(regressed), "test")
        if unknown:
            return verdict("skip", f"no answer from {', '.join(unknown)}, which passed at the "
                           "good end: skipped (as git bisect run exit 125)", "test")
        return verdict("good", "no regression against the good end", "test")


def make_step(criterion: str | Criterion, pipeline: Pipeline,
              tests: Sequence[str] = (), confirm: int = 0) -> CriterionStep:
    """The step that decides ``criterion`` with ``pipeline``'s stages; with ``confirm`` = N a
    test verdict is re-checked on N fresh boots before it steers the bisection."""
    crit = criterion if isinstance(criterion, Criterion) else Criterion.parse(criterion)
    if crit.kind == "regression":
        return RegressionStep(pipeline, tests, confirm)
    return CriterionStep(crit, pipeline, tests, confirm)


def _statuses(results: Mapping[str, str]) -> dict[str, str]:
    return {k: v.strip().lower() for k, v in results.items()}


def _add_log(logs: list[str], log: str | os.PathLike[str] | None) -> None:
    if log and str(log) not in logs:
        logs.append(str(log))
