"""Bisect — the first base commit on which the series stops applying, stops building, or a
test fails or regresses.

``git bisect`` runs in a worktree of the tool-owned repository (never in a user's checkout) in
``--no-checkout`` mode: git only keeps the bisection's bookkeeping (``refs/bisect/*``,
``BISECT_HEAD``, ``BISECT_LOG``, all private to that worktree).  This module checks every
candidate out itself, runs the injected :class:`Step` on it, writes the verdict to
``runs/bisect-<id>/steps.json`` and only then tells git — so each step is on record, and a
bisection stopped anywhere (Ctrl-C, a crash, a lost worktree) resumes where it was.

What is "bad" is the step's business; :func:`make_step` builds one from a criterion
(``apply``, ``build``, ``test:NAME``, ``regression``) over an injected :class:`Pipeline`
(apply the series, build, boot and test), so the real stages plug in and tests use a fake.
"""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from harness import paths
from harness.build import tree as tree_mod
from harness.errors import WorkbenchError
from harness.proc import info, run

Kind = Literal["good", "bad", "skip"]
KINDS: tuple[str, ...] = ("good", "bad", "skip")
STAGES: tuple[str, ...] = ("apply", "build", "boot", "test")

EXIT_FOUND = 0
EXIT_ERROR = 1
EXIT_INCONCLUSIVE = 2
EXIT_INTERRUPTED = 130

RESUME_CMD = "kwb bisect --resume {id}"
RESET_CMD = "kwb bisect --reset {id}"

# Test statuses as a Pipeline reports them (case-insensitive; results.State's values): a test
# that fails, or crashes or hangs the kernel, is bad; anything else ("skip", "error",
# "timeout", "missing", a guest that did not boot...) is no answer on that base.
PASS_STATUSES = frozenset({"pass", "passed", "ok"})
FAIL_STATUSES = frozenset({"fail", "failed", "crash", "hang"})

_SHA = re.compile(r"^[0-9a-f]{40}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class BisectError(WorkbenchError):
    """A bisection cannot go on (bad arguments, inconsistent state, a step that crashed)."""


class BisectInterrupted(BisectError):
    """Ctrl-C during a bisection: the state is saved and the message says how to resume."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=EXIT_INTERRUPTED)


class StageError(WorkbenchError):
    """Raised by a Pipeline stage that could not produce an outcome on this base (the guest
    did not boot, a test timed out...).  The step turns it into a verdict; any other exception
    stops the bisection (resumable)."""

    def __init__(self, stage: str, message: str, logs: Sequence[str] = ()) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage
        self.message = message
        self.logs = list(logs)


# --------------------------------------------------------------------------- verdicts, steps


@dataclass(frozen=True)
class Verdict:
    """What one step decided about one base commit, and why."""

    kind: Kind
    why: str
    stage: str = ""  # the stage that decided: apply / build / boot / test ("" if none ran)
    logs: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"verdict kind must be one of {KINDS}, not {self.kind!r}")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Verdict:
        return cls(data["kind"], data["why"], data.get("stage", ""), list(data.get("logs", [])),
                   dict(data.get("timings", {})))


class Step(Protocol):
    """Decide good / bad / skip for ``commit``, checked out (clean, detached) in ``worktree``.

    The worktree belongs to the bisection: the step may apply patches (move HEAD), build and
    leave files behind; the next checkout cleans up.  Raising StageError is not expected here
    (make_step's steps turn it into a verdict); any exception stops the bisection, resumable.
    """

    def __call__(self, commit: str, worktree: Path) -> Verdict: ...


@runtime_checkable
class Baselined(Protocol):
    """A step that first measures the good end (the ``regression`` criterion).

    The bisection calls ``measure_baseline`` once, on the good end, persists the data it
    returns and hands it back through ``load_baseline`` on resume.
    """

    def measure_baseline(self, commit: str, worktree: Path) -> tuple[Verdict, dict[str, str]]:
        ...

    def load_baseline(self, data: dict[str, str]) -> None: ...


_STEP_LOG_DIR: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "kwb_bisect_step_log_dir", default=None)


def step_log_dir() -> Path | None:
    """While a step runs: the directory for its logs (``runs/bisect-<id>/steps/NN-<sha>``).

    A pipeline may write its logs there so the step log points at them; None outside a step.
    """
    return _STEP_LOG_DIR.get()


# --------------------------------------------------------------------------- pipeline criteria


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
                 tests: Sequence[str] = ()) -> None:
        self.criterion = criterion
        self.pipeline = pipeline
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
        return self._judge_tests({k: v.strip().lower() for k, v in results.items()}, verdict)

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

    def __init__(self, pipeline: Pipeline, tests: Sequence[str]) -> None:
        if not tests:
            raise BisectError("the regression criterion needs the tests to run (--tests)")
        super().__init__(Criterion("regression"), pipeline, tests)
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
              tests: Sequence[str] = ()) -> CriterionStep:
    """The step that decides ``criterion`` with ``pipeline``'s stages."""
    crit = criterion if isinstance(criterion, Criterion) else Criterion.parse(criterion)
    if crit.kind == "regression":
        return RegressionStep(pipeline, tests)
    return CriterionStep(crit, pipeline, tests)


def _add_log(logs: list[str], log: str | os.PathLike[str] | None) -> None:
    if log and str(log) not in logs:
        logs.append(str(log))


# --------------------------------------------------------------------------- state and result


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class StepRecord:
    """One bisect step as kept in steps.json."""

    n: int
    commit: str
    subject: str
    verdict: str
    why: str
    stage: str
    logs: list[str]
    seconds: float
    checkout_seconds: float
    started: str
    timings: dict[str, float] = field(default_factory=dict)
    remaining: str = ""  # git's "N revisions left to test (roughly M steps)" before this step
    marked: bool = False  # git bisect has been told

    def as_verdict(self) -> Verdict:
        return Verdict(self.verdict, self.why, self.stage, self.logs,  # type: ignore[arg-type]
                       self.timings)


@dataclass
class BisectState:
    """Everything a bisection needs to be resumed, as kept in steps.json."""

    id: str
    repo: str
    source: str
    worktree_name: str
    good: str
    bad: str
    criterion: str = ""
    tests: list[str] = field(default_factory=list)
    first_parent: bool = False
    keep_worktree: bool = False
    status: str = "running"  # running | interrupted | failed | found | inconclusive | reset
    created: str = ""
    steps: list[StepRecord] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    baseline: dict[str, Any] | None = None
    result: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BisectState:
        data = dict(data)
        data.pop("version", None)
        steps = [StepRecord(**s) for s in data.pop("steps", [])]
        return cls(**data, steps=steps)

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, **asdict(self)}


@dataclass
class BisectResult:
    """The end of a bisection: the first bad commit (status "found") or, when skipped commits
    hide it, the candidates it may be (status "inconclusive")."""

    status: Literal["found", "inconclusive"]
    first_bad: str | None
    subject: str
    evidence: Verdict | None  # the verdict on first_bad, with its logs
    steps: list[StepRecord]
    n_steps: int
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (sha, subject)
    good: str = ""
    bad: str = ""
    run_dir: Path | None = None
    parent_evidence: str = ""  # why the commit before first_bad is good

    @property
    def exit_code(self) -> int:
        return EXIT_FOUND if self.status == "found" else EXIT_INCONCLUSIVE

    def summary(self) -> str:
        skipped = [s for s in self.steps if s.verdict == "skip"]
        secs = sum(s.seconds for s in self.steps)
        tail = (f"{self.n_steps} step(s), {len(skipped)} skipped, {secs:.0f}s"
                + (f"; step log: {self.run_dir / 'steps.json'}" if self.run_dir else ""))
        if self.status == "found":
            assert self.first_bad is not None and self.evidence is not None
            lines = [f"first bad commit: {self.first_bad} {self.subject}",
                     f"  {self.evidence.kind} at stage {self.evidence.stage or '-'}: "
                     f"{self.evidence.why}"]
            lines += [f"  log: {log}" for log in self.evidence.logs]
            if self.parent_evidence:
                lines.append(f"  and before it: {self.parent_evidence}")
        else:
            lines = [f"inconclusive: only skipped commits are left; the first bad commit is "
                     f"one of these {len(self.candidates)} (oldest first):"]
            tested = {s.commit: s for s in self.steps}
            for sha, subject in self.candidates:
                rec = tested.get(sha)
                if rec and rec.verdict == "skip":
                    note = f"skipped at {rec.stage or 'step'}"
                elif rec:
                    note = f"{rec.verdict}: {rec.why}"
                else:
                    note = "the --bad end" if sha == self.bad else "not tested"
                lines.append(f"  {sha[:12]} {subject}  [{note}]")
            if self.candidates:
                lines.append(f"  range: {self.candidates[0][0][:12]}^.."
                             f"{self.candidates[-1][0][:12]}")
        if skipped:
            lines.append("skipped bases:")
            lines += [f"  {s.commit[:12]} {s.subject}: {s.why}" for s in skipped]
        lines.append(tail)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "first_bad": self.first_bad, "subject": self.subject,
            "evidence": asdict(self.evidence) if self.evidence else None,
            "candidates": [list(c) for c in self.candidates], "n_steps": self.n_steps,
            "parent_evidence": self.parent_evidence,
        }


@dataclass(frozen=True)
class _Position:
    """Where git bisect stands after a command."""

    candidate: str | None = None
    first_bad: str | None = None
    only_skipped: list[str] | None = None
    remaining: str = ""


def _parse_bisect_output(out: str) -> _Position:
    lines = out.splitlines()
    for ln in lines:
        m = re.match(r"^([0-9a-f]{40}) is the first bad commit", ln)
        if m:
            return _Position(first_bad=m[1])
    if any("only 'skip'ped commits left" in ln for ln in lines):
        return _Position(only_skipped=[ln.strip() for ln in lines if _SHA.match(ln.strip())])
    remaining = next((ln.strip() for ln in lines if ln.startswith("Bisecting:")), "")
    return _Position(remaining=remaining)


# --------------------------------------------------------------------------- the bisection


def run_dir_for(bisect_id: str) -> Path:
    if not _ID.match(bisect_id):
        raise BisectError(f"bad bisect id {bisect_id!r}")
    return paths.runs_dir() / f"bisect-{bisect_id}"


def list_ids() -> list[str]:
    """Bisection ids with a step log, oldest first."""
    runs = sorted(paths.runs_dir().glob("bisect-*/steps.json"), key=lambda p: p.stat().st_mtime)
    return [p.parent.name.removeprefix("bisect-") for p in runs]


def new_id(good: str, bad: str, criterion: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    key = hashlib.sha256(f"{good} {bad} {criterion}".encode()).hexdigest()[:6]
    base = f"{stamp}-{key}"
    bid, n = base, 1
    while run_dir_for(bid).exists():
        n += 1
        bid = f"{base}-{n}"
    return bid


class Bisection:
    """A resumable bisection driven step by step; see the module doc.

    ``Bisection.start(...)`` sets one up, ``Bisection.load(id)`` finds one again; ``run(step)``
    runs (or resumes) it to the end, ``reset()`` abandons it.
    """

    def __init__(self, state: BisectState) -> None:
        self.state = state
        self.run_dir = run_dir_for(state.id)
        self.tree = tree_mod.Tree(Path(state.repo), state.good, state.source)

    # ----- setting up and finding again

    @classmethod
    def start(cls, tree: tree_mod.Tree, good: str, bad: str, *, criterion: str = "",
              tests: Sequence[str] = (), bisect_id: str | None = None,
              first_parent: bool = False, keep_worktree: bool = False) -> Bisection:
        """Resolve the ends, make the tool-owned worktree and ``git bisect start`` in it."""
        good_sha, bad_sha = _resolve(tree, good, "--good"), _resolve(tree, bad, "--bad")
        if good_sha == bad_sha:
            raise BisectError(f"--good and --bad are the same commit {good_sha[:12]}")
        anc = run(["git", "--git-dir", str(tree.repo), "merge-base", "--is-ancestor",
                   good_sha, bad_sha], check=False)
        if anc.returncode != 0:
            raise BisectError(f"--good {good} ({good_sha[:12]}) is not an ancestor of --bad "
                              f"{bad} ({bad_sha[:12]}): were they swapped?")
        bisect_id = bisect_id or new_id(good_sha, bad_sha, criterion)
        rd = run_dir_for(bisect_id)
        if (rd / "steps.json").exists():
            raise BisectError(f"bisection {bisect_id} exists already ({rd}): resume it with "
                              f"`{RESUME_CMD.format(id=bisect_id)}` or reset it with "
                              f"`{RESET_CMD.format(id=bisect_id)}`")
        rd.mkdir(parents=True, exist_ok=True)
        state = BisectState(
            id=bisect_id, repo=str(tree.repo), source=tree.source,
            worktree_name=f"bisect-{bisect_id}", good=good_sha, bad=bad_sha,
            criterion=criterion, tests=list(tests), first_parent=first_parent,
            keep_worktree=keep_worktree, created=_now())
        self = cls(state)
        with self._locked():
            self._event("start", f"good {good_sha} bad {bad_sha}"
                        + (f" criterion {criterion}" if criterion else ""))
            wt = tree_mod.worktree(self.tree, state.worktree_name, good_sha)
            self._git_start(wt)
            self._save()
        n = len(self._rev_list(f"{good_sha}..{bad_sha}"))
        info(f"bisect {bisect_id}: {n} commit(s) in {good_sha[:12]}..{bad_sha[:12]} "
             f"(about {max(n, 1).bit_length()} steps); worktree {wt}; step log "
             f"{rd / 'steps.json'}")
        return self

    @classmethod
    def load(cls, bisect_id: str | None = None) -> Bisection:
        """The bisection ``bisect_id``, or the most recent unfinished one."""
        if bisect_id is None:
            ids = [i for i in list_ids() if cls._read(i).status in ("running", "interrupted",
                                                                     "failed")]
            if not ids:
                raise BisectError("no unfinished bisection to resume")
            bisect_id = ids[-1]
        return cls(cls._read(bisect_id))

    @staticmethod
    def _read(bisect_id: str) -> BisectState:
        path = run_dir_for(bisect_id) / "steps.json"
        try:
            return BisectState.from_json(json.loads(path.read_text()))
        except FileNotFoundError as exc:
            raise BisectError(f"no bisection {bisect_id} ({path} does not exist)") from exc
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise BisectError(f"{path}: unreadable step log: {exc!r}") from exc

    @property
    def id(self) -> str:
        return self.state.id

    @property
    def worktree(self) -> Path:
        return paths.worktrees_dir() / f"{self.tree.repo.stem}-{self.state.worktree_name}"

    # ----- running

    def run(self, step: Step, *, max_steps: int | None = None) -> BisectResult:
        """Run the bisection to its end (or ``max_steps`` more steps; then raise BisectError
        saying how to resume).  Safe to call again on a resumed, finished or interrupted one."""
        st = self.state
        if st.status == "reset":
            raise BisectError(f"bisection {st.id} was reset; start a new one")
        with self._locked():
            if st.result is not None:
                return self._result_from_state()
            if st.status in ("interrupted", "failed"):
                self._event("resume", f"after {len(st.steps)} step(s)")
                info(f"bisect {st.id}: resuming after {len(st.steps)} step(s)")
            try:
                pos = self._reconcile()
                if isinstance(step, Baselined):
                    self._baseline(step)
                done = 0
                while pos.first_bad is None and pos.only_skipped is None:
                    if max_steps is not None and done >= max_steps:
                        st.status = "interrupted"
                        self._event("pause", f"stopped after {done} step(s) (max_steps)")
                        self._save()
                        raise BisectError(f"bisect {st.id}: stopped after {done} step(s); "
                                          f"resume with `{RESUME_CMD.format(id=st.id)}`")
                    pos = self._one_step(step, pos)
                    done += 1
            except KeyboardInterrupt as exc:
                st.status = "interrupted"
                self._event("interrupt", "Ctrl-C")
                self._save()
                msg = (f"bisect {st.id} interrupted after {len(st.steps)} step(s); the state "
                       f"is kept: resume with `{RESUME_CMD.format(id=st.id)}`, or abandon it "
                       f"with `{RESET_CMD.format(id=st.id)}`")
                info(msg)
                raise BisectInterrupted(msg) from exc
            except WorkbenchError:
                if st.status == "running":
                    st.status = "failed"
                    self._save()
                raise
            return self._finish(pos)

    def _one_step(self, step: Step, pos: _Position) -> _Position:
        st = self.state
        commit = pos.candidate
        assert commit is not None
        n = len(st.steps) + 1
        subject = self._subject(commit)
        info(f"bisect {st.id} step {n}: {commit[:12]} {subject}"
             + (f" ({pos.remaining.removeprefix('Bisecting: ')})" if pos.remaining else ""))
        started = _now()
        t0 = time.monotonic()
        wt = tree_mod.worktree(self.tree, st.worktree_name, commit)
        checkout_secs = time.monotonic() - t0
        log_dir = self.run_dir / "steps" / f"{n:02d}-{commit[:12]}"
        verdict = self._call(step, commit, wt, log_dir)
        rec = StepRecord(n=n, commit=commit, subject=subject, verdict=verdict.kind,
                         why=verdict.why, stage=verdict.stage, logs=list(verdict.logs),
                         seconds=round(time.monotonic() - t0, 3),
                         checkout_seconds=round(checkout_secs, 3), started=started,
                         timings={k: round(v, 3) for k, v in verdict.timings.items()},
                         remaining=pos.remaining)
        st.steps.append(rec)
        self._save()  # the verdict is on record before git hears of it
        label = {"good": "good", "bad": "BAD", "skip": "skipped"}[verdict.kind]
        info(f"  {label} ({rec.seconds:.1f}s): {verdict.why}")
        out = self._mark(rec.verdict, commit)
        rec.marked = True
        self._save()
        return self._position(out)

    def _call(self, step: Step, commit: str, wt: Path, log_dir: Path) -> Verdict:
        log_dir.mkdir(parents=True, exist_ok=True)
        token = _STEP_LOG_DIR.set(log_dir)
        try:
            verdict = step(commit, wt)
        except (KeyboardInterrupt, BisectError):
            raise
        except Exception as exc:
            self.state.status = "failed"
            self._event("error", f"step on {commit}: {exc!r}")
            self._save()
            raise BisectError(
                f"bisect {self.id}: the step crashed on {commit[:12]}: {exc}; the state is kept: "
                f"fix the cause and resume with `{RESUME_CMD.format(id=self.id)}`",
                log=getattr(exc, "log", None)) from exc
        finally:
            _STEP_LOG_DIR.reset(token)
        if not isinstance(verdict, Verdict):
            raise BisectError(f"the step returned {verdict!r}, not a Verdict")
        return verdict

    def _baseline(self, step: Baselined) -> None:
        st = self.state
        if st.baseline is not None:
            step.load_baseline(dict(st.baseline["results"]))
            return
        info(f"bisect {st.id}: measuring the good end {st.good[:12]} first (baseline)")
        t0 = time.monotonic()
        wt = tree_mod.worktree(self.tree, st.worktree_name, st.good)
        log_dir = self.run_dir / "steps" / f"00-baseline-{st.good[:12]}"
        log_dir.mkdir(parents=True, exist_ok=True)
        token = _STEP_LOG_DIR.set(log_dir)
        try:
            verdict, results = step.measure_baseline(st.good, wt)
        finally:
            _STEP_LOG_DIR.reset(token)
        st.baseline = {"commit": st.good, "results": results, "why": verdict.why,
                       "logs": verdict.logs, "seconds": round(time.monotonic() - t0, 3),
                       "timings": verdict.timings}
        self._save()
        info(f"  {verdict.why}")

    # ----- git

    def _git(self, *args: str, check: bool = True) -> str:
        res = run(["git", "-C", str(self.worktree), *args], env={"LC_ALL": "C"}, check=False)
        if check and res.returncode != 0:
            raise BisectError(f"git {' '.join(args)} failed in {self.worktree} "
                              f"(exit {res.returncode}): {(res.stderr or res.stdout).strip()}")
        return res.stdout + res.stderr

    def _git_start(self, wt: Path) -> _Position:
        args = ["bisect", "start", "--no-checkout"]
        if self.state.first_parent:
            args.append("--first-parent")
        return self._position(self._git(*args, self.state.bad, self.state.good))

    def _mark(self, kind: str, commit: str) -> str:
        res = run(["git", "-C", str(self.worktree), "bisect", kind, commit],
                  env={"LC_ALL": "C"}, check=False)
        out = res.stdout + res.stderr
        # git exits 2 when only skipped commits are left; _position reads that from the output
        if res.returncode != 0 and _parse_bisect_output(out).only_skipped is None:
            raise BisectError(f"git bisect {kind} {commit[:12]} failed in {self.worktree}: "
                              f"{out.strip()}")
        return out

    def _position(self, out: str) -> _Position:
        pos = _parse_bisect_output(out)
        if pos.first_bad or pos.only_skipped is not None:
            return pos
        head = run(["git", "-C", str(self.worktree), "rev-parse", "-q", "--verify",
                    "BISECT_HEAD"], check=False).stdout.strip()
        if not _SHA.match(head):
            raise BisectError(f"git bisect gave no candidate in {self.worktree}:\n{out.strip()}")
        return _Position(candidate=head, remaining=pos.remaining)

    def _git_marks(self) -> tuple[list[str], list[tuple[str, str]]] | None:
        """(start arguments, [(kind, sha)...]) from ``git bisect log``; None if no bisection."""
        if not (self.worktree / ".git").exists():
            return None
        res = run(["git", "-C", str(self.worktree), "bisect", "log"], env={"LC_ALL": "C"},
                  check=False)
        if res.returncode != 0:
            return None
        start: list[str] = []
        marks: list[tuple[str, str]] = []
        for line in res.stdout.splitlines():
            if not line.startswith("git bisect "):
                continue
            words = shlex.split(line)[2:]
            if words and words[0] == "start":
                start = [w for w in words[1:] if not w.startswith("--")]
            elif words and words[0] in KINDS:
                marks += [(words[0], w) for w in words[1:]]
        return start, marks

    def _reconcile(self) -> _Position:
        """Check git's bisect state against the step log; rebuild or complete it if needed."""
        st = self.state
        if not (self.worktree / ".git").exists():  # lost (deleted by hand): make it again
            tree_mod.worktree(self.tree, st.worktree_name, st.good)
        found = self._git_marks()
        logged = [(s.verdict, s.commit) for s in st.steps if s.marked]
        if found is None:
            if st.steps:
                info(f"bisect {st.id}: no git bisect state in {self.worktree}; replaying "
                     f"{len(logged)} verdict(s) from the step log")
                self._event("replay", f"{len(logged)} mark(s) from steps.json")
            self._git_start(self.worktree)
            git_marks: list[tuple[str, str]] = []
        else:
            start, git_marks = found
            if start[:1] != [st.bad] or sorted(start[1:]) != [st.good]:
                raise BisectError(
                    f"the git bisect state in {self.worktree} (start {' '.join(start)}) is not "
                    f"bisection {st.id}'s (bad {st.bad}, good {st.good}): reset it with "
                    f"`{RESET_CMD.format(id=st.id)}`")
            recorded = [(s.verdict, s.commit) for s in st.steps]
            extra = [m for m in git_marks if m not in recorded]
            if extra:
                raise BisectError(
                    f"the git bisect state in {self.worktree} has marks the step log "
                    f"{self.run_dir / 'steps.json'} does not: "
                    + ", ".join(f"{k} {c[:12]}" for k, c in extra)
                    + f"; it was changed by hand: reset with `{RESET_CMD.format(id=st.id)}`")
        for s in st.steps:
            if (s.verdict, s.commit) not in git_marks:
                self._mark(s.verdict, s.commit)
            s.marked = True
        self._save()
        return self._position(self._git("bisect", "next", check=False))

    def _finish(self, pos: _Position) -> BisectResult:
        st = self.state
        if pos.first_bad:
            st.status = "found"
            first = pos.first_bad
            ev = next((s.as_verdict() for s in reversed(st.steps)
                       if s.commit == first and s.verdict == "bad"), None)
            if ev is None:
                ev = Verdict("bad", "given as the bad end (--bad); no other commit could be it",
                             "", [])
            parent = run(["git", "--git-dir", str(self.tree.repo), "rev-parse", "-q",
                          "--verify", f"{first}^"], check=False).stdout.strip()
            parent_ev = ""
            if parent == st.good:
                parent_ev = f"{parent[:12]} is the good end (--good)"
            else:
                rec = next((s for s in reversed(st.steps)
                            if s.commit == parent and s.verdict == "good"), None)
                if rec:
                    parent_ev = f"{parent[:12]} ({rec.subject}) is good: {rec.why}"
            result = BisectResult("found", first, self._subject(first), ev, list(st.steps),
                                  len(st.steps), good=st.good, bad=st.bad,
                                  run_dir=self.run_dir, parent_evidence=parent_ev)
        else:
            st.status = "inconclusive"
            cands = set(pos.only_skipped or [])
            order = [c for c in reversed(self._rev_list(f"{st.good}..{st.bad}")) if c in cands]
            order += sorted(cands - set(order))
            result = BisectResult("inconclusive", None, "", None, list(st.steps),
                                  len(st.steps), [(c, self._subject(c)) for c in order],
                                  good=st.good, bad=st.bad, run_dir=self.run_dir)
        st.result = result.to_json()
        self._event("end", st.status)
        (self.run_dir / "bisect.log").write_text(self._git("bisect", "log", check=False))
        self._save()
        (self.run_dir / "result.txt").write_text(result.summary() + "\n")
        self._cleanup_git()
        info(result.summary())
        return result

    def _result_from_state(self) -> BisectResult:
        st = self.state
        r = st.result or {}
        ev = Verdict.from_json(r["evidence"]) if r.get("evidence") else None
        return BisectResult(r["status"], r.get("first_bad"), r.get("subject", ""), ev,
                            list(st.steps), r.get("n_steps", len(st.steps)),
                            [(c[0], c[1]) for c in r.get("candidates", [])], good=st.good,
                            bad=st.bad, run_dir=self.run_dir,
                            parent_evidence=r.get("parent_evidence", ""))

    # ----- reset

    def reset(self) -> None:
        """Abandon the bisection: no git bisect state and (unless kept) no worktree is left.
        The step log stays in the run dir, marked "reset"."""
        with self._locked():
            self._cleanup_git()
            if self.state.result is None:
                self.state.status = "reset"
            self._event("reset", "")
            self._save()
        info(f"bisect {self.id}: reset (step log kept in {self.run_dir})")

    def _cleanup_git(self) -> None:
        wt = self.worktree
        if (wt / ".git").exists():
            run(["git", "-C", str(wt), "bisect", "reset"], check=False)
            run(["git", "-C", str(wt), "am", "--abort"], check=False)
        if not self.state.keep_worktree:
            git = ["git", "--git-dir", str(self.tree.repo)]
            run([*git, "worktree", "remove", "--force", str(wt)], check=False)
            shutil.rmtree(wt, ignore_errors=True)
            run([*git, "worktree", "prune"], check=False)

    # ----- helpers

    def _subject(self, commit: str) -> str:
        return run(["git", "--git-dir", str(self.tree.repo), "log", "-1", "--format=%s",
                    commit], check=False).stdout.strip()

    def _rev_list(self, spec: str) -> list[str]:
        args = ["git", "--git-dir", str(self.tree.repo), "rev-list", "--topo-order"]
        if self.state.first_parent:
            args.append("--first-parent")
        return run([*args, spec], check=False).stdout.split()

    def _event(self, what: str, detail: str) -> None:
        self.state.events.append({"time": _now(), "event": what, "detail": detail})

    def _save(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        path = self.run_dir / "steps.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.state.to_json(), indent=2) + "\n")
        os.replace(tmp, path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with open(self.run_dir / "lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise BisectError(f"bisection {self.id} is being run by another kwb "
                                  "process") from exc
            yield


def _resolve(tree: tree_mod.Tree, ref: str, what: str) -> str:
    sha = tree_mod.has_commit(tree, ref)
    if not sha:
        raise BisectError(f"{what} {ref}: no such commit in {tree.repo} ({tree.source})")
    return sha


def bisect(tree: tree_mod.Tree, good: str, bad: str, step: Step, **kwargs: Any) -> BisectResult:
    """Start a bisection and run it to its end (kwargs: see Bisection.start)."""
    return Bisection.start(tree, good, bad, **kwargs).run(step)


def step_stats(steps: Sequence[StepRecord], cold_build_seconds: float | None = None,
               ) -> dict[str, float | int | None]:
    """Benchmark numbers of a bisection: steps, seconds per step and per build, and the ratio
    of a warm (incremental) build step to a cold build of the same tree when one is given."""
    secs = sorted(s.seconds for s in steps)
    builds = sorted(s.timings["build"] for s in steps if "build" in s.timings)
    median = secs[len(secs) // 2] if secs else None
    build_median = builds[len(builds) // 2] if builds else None
    ratio = None
    if cold_build_seconds and build_median is not None:
        ratio = round(build_median / cold_build_seconds, 3)
    return {"n_steps": len(steps), "total_seconds": round(sum(secs), 1),
            "median_step_seconds": median, "median_build_seconds": build_median,
            "cold_build_seconds": cold_build_seconds, "warm_to_cold_ratio": ratio}


def describe(bisect_id: str) -> str:
    """A bisection in a few lines: ends, criterion, status, steps, and the result if any."""
    b = Bisection.load(bisect_id)
    st = b.state
    lines = [f"bisect {st.id}: {st.status}", f"  good {st.good}", f"  bad  {st.bad}",
             f"  criterion {st.criterion or '-'}" + (f", tests {' '.join(st.tests)}"
                                                      if st.tests else ""),
             f"  worktree {b.worktree}", f"  step log {b.run_dir / 'steps.json'}"]
    for s in st.steps:
        lines.append(f"  {s.n:2d}. {s.commit[:12]} {s.verdict:4s} {s.seconds:7.1f}s  {s.subject}")
    if st.result is not None:
        lines.append(b._result_from_state().summary())
    elif st.status in ("running", "interrupted", "failed"):
        lines.append(f"  resume: {RESUME_CMD.format(id=st.id)}   reset: "
                     f"{RESET_CMD.format(id=st.id)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``kwb bisect list|show ID|reset ID|stats ID`` (or ``python -m harness.bisect …``) —
    managing bisections (running one needs the pipeline: that is ``kwb bisect --good …``)."""
    import argparse

    ap = argparse.ArgumentParser(prog="kwb bisect")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="the bisections with a step log, oldest first")
    sub.add_parser("show", help="one bisection's steps and result").add_argument("id")
    sub.add_parser("reset", help="abandon a bisection (keeps its step log)").add_argument("id")
    sp = sub.add_parser("stats", help="benchmark figures of a bisection, as JSON")
    sp.add_argument("id")
    sp.add_argument("--cold-seconds", type=float,
                    help="a cold build of the same tree (ci/bench-build), for the ratio")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "list":
            for bid in list_ids():
                st = Bisection._read(bid)
                print(f"{bid}  {st.status:12s} {len(st.steps):3d} step(s)  "
                      f"{st.criterion or '-'}  {st.good[:12]}..{st.bad[:12]}")
        elif args.cmd == "show":
            print(describe(args.id))
        elif args.cmd == "stats":
            st = Bisection._read(args.id)
            stats = step_stats(st.steps, args.cold_seconds)
            first = st.steps[0].timings.get("build") if st.steps else None
            print(json.dumps({**stats, "first_step_build_seconds": first,
                              "per_step": [{"n": x.n, "commit": x.commit[:12],
                                            "verdict": x.verdict, "seconds": x.seconds,
                                            **x.timings} for x in st.steps]}, indent=2))
        else:
            Bisection.load(args.id).reset()
    except WorkbenchError as exc:
        print(f"kwb: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
