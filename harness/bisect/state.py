"""What a bisection keeps in ``runs/bisect-<id>/steps.json`` (:class:`BisectState`, one
:class:`StepRecord` per step) and how it ends (:class:`BisectResult`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .step import (
    EXIT_FOUND,
    EXIT_INCONCLUSIVE,
    BisectError,
    Verdict,
)


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


#: What a bisection runs with besides its criterion and tests: saved at the start, so that
#: ``--resume`` goes on with the same build, guest and series (``series`` is a hash of it).
RUN_PARAMS: tuple[str, ...] = ("config", "backend", "timeout", "series", "confirm", "revision")


def check_params(saved: dict[str, Any], given: dict[str, Any], bisect_id: str) -> dict[str, Any]:
    """The parameters a resumed bisection runs with: the saved ones; a value given again on
    the command line must be the saved one (a bisection judged half with one config, backend,
    timeout or series and half with another answers nothing).  ``None`` = not given."""
    out = dict(saved)
    for name in RUN_PARAMS:
        value = given.get(name)
        if value is None:
            continue
        if name not in saved:  # a step log from before parameters were saved
            out[name] = value
            continue
        if value != saved[name]:
            shown, fix = (("series (sha256 of its patches)", "put the series back as it was")
                          if name == "series" else
                          (f"--{name}", f"resume without --{name} (the saved one is used)"))
            raise BisectError(
                f"bisect {bisect_id}: {shown} differs from the one this bisection started "
                f"with: {saved[name]!r} then, {value!r} now; {fix}, or start a new bisection")
    return out


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
    params: dict[str, Any] = field(default_factory=dict)  # RUN_PARAMS (+ series_source)
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
