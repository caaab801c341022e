"""Bisect: find the first base commit where the series stops applying, building or passing.

``step`` (the Step contract, Verdict, errors, exit codes), ``criteria`` (apply / build /
test:NAME / regression over an injected Pipeline), ``state`` (steps.json), ``driver`` (the
resumable git bisection), ``admin`` (``kwb bisect list|show|reset|stats``), ``kernel`` (the real
Pipeline: apply, build, boot and test) and ``history`` (base histories to bisect on).

The names below are the package's public API (``from harness import bisect``).
"""

from __future__ import annotations

from .admin import describe, main, step_stats
from .criteria import (
    ApplyOutcome,
    BuildOutcome,
    Criterion,
    CriterionStep,
    Pipeline,
    RegressionStep,
    TestResults,
    make_step,
    series_error_files,
)
from .driver import Bisection, bisect, list_ids, new_id, run_dir_for
from .state import BisectResult, BisectState, StepRecord
from .step import (
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_INCONCLUSIVE,
    EXIT_INTERRUPTED,
    FAIL_STATUSES,
    PASS_STATUSES,
    RESET_CMD,
    RESUME_CMD,
    Baselined,
    BisectError,
    BisectInterrupted,
    Kind,
    StageError,
    Step,
    Verdict,
    step_log_dir,
)

__all__ = [
    "EXIT_ERROR", "EXIT_FOUND", "EXIT_INCONCLUSIVE", "EXIT_INTERRUPTED", "FAIL_STATUSES",
    "PASS_STATUSES", "RESET_CMD", "RESUME_CMD", "ApplyOutcome", "Baselined", "BisectError",
    "BisectInterrupted", "BisectResult", "BisectState", "Bisection", "BuildOutcome", "Criterion",
    "CriterionStep", "Kind", "Pipeline", "RegressionStep", "StageError", "Step", "StepRecord",
    "TestResults", "Verdict", "bisect", "describe", "list_ids", "main", "make_step", "new_id",
    "run_dir_for", "series_error_files", "step_log_dir", "step_stats",
]
