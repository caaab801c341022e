"""Bisect: the driver and its criteria (``driver``), the real kernel pipeline behind it
(``kernel``) and the base histories to bisect on (``history``).

The names below are the package's public API (``from harness import bisect``).
"""

from __future__ import annotations

from .driver import (
    EXIT_ERROR,
    EXIT_FOUND,
    EXIT_INCONCLUSIVE,
    EXIT_INTERRUPTED,
    FAIL_STATUSES,
    PASS_STATUSES,
    RESET_CMD,
    RESUME_CMD,
    ApplyOutcome,
    Baselined,
    BisectError,
    BisectInterrupted,
    Bisection,
    BisectResult,
    BisectState,
    BuildOutcome,
    Criterion,
    CriterionStep,
    Kind,
    Pipeline,
    RegressionStep,
    StageError,
    Step,
    StepRecord,
    TestResults,
    Verdict,
    bisect,
    describe,
    list_ids,
    main,
    make_step,
    new_id,
    run_dir_for,
    series_error_files,
    step_log_dir,
    step_stats,
)

__all__ = [
    "EXIT_ERROR", "EXIT_FOUND", "EXIT_INCONCLUSIVE", "EXIT_INTERRUPTED", "FAIL_STATUSES",
    "PASS_STATUSES", "RESET_CMD", "RESUME_CMD", "ApplyOutcome", "Baselined", "BisectError",
    "BisectInterrupted", "BisectResult", "BisectState", "Bisection", "BuildOutcome", "Criterion",
    "CriterionStep", "Kind", "Pipeline", "RegressionStep", "StageError", "Step", "StepRecord",
    "TestResults", "Verdict", "bisect", "describe", "list_ids", "main", "make_step", "new_id",
    "run_dir_for", "series_error_files", "step_log_dir", "step_stats",
]
