"""The contract between a bisection and its steps: a :class:`Step` decides good / bad / skip
for one base commit and returns a :class:`Verdict`; the errors and exit codes of a bisection."""

from __future__ import annotations

import contextvars
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from harness.errors import WorkbenchError

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



class BisectError(WorkbenchError):
    """A bisection cannot go on (bad arguments, inconsistent state, a step that crashed)."""


class BisectInterrupted(BisectError):
    """Ctrl-C during a bisection: the state is saved and the message says how to resume."""

    def __init__(self, message: str, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message, exit_code=exit_code)  # 130 for Ctrl-C, 143 for SIGTERM


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
