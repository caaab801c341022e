"""results.json: its only writer and reader (schema: ``docs/results-schema.md``)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import __version__
from harness.errors import WorkbenchError
from harness.results.compare import Comparison
from harness.results.model import RunResult, now_iso

SCHEMA_VERSION = 1


@dataclass
class ResultsFile:
    runs: list[RunResult]
    comparison: dict[str, Any] | None = None  # as written; recompute with compare.compare()
    created: str | None = None
    tool: str | None = None

    def run(self, label: str | None = None) -> RunResult:
        """The run labelled ``label``, or the only run when no label is given."""
        if label is None:
            if len(self.runs) != 1:
                labels = ", ".join(r.label for r in self.runs)
                raise WorkbenchError(f"results hold {len(self.runs)} runs ({labels}): name one")
            return self.runs[0]
        for run in self.runs:
            if run.label == label:
                return run
        raise WorkbenchError(f"no run labelled {label!r} in these results")


def results_dict(runs: Sequence[RunResult], comparison: Comparison | None = None) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": f"kwb {__version__}",
        "created": now_iso(),
        "runs": [r.to_dict() for r in runs],
        "comparison": comparison.to_dict() if comparison is not None else None,
    }


def write_json(path: Path, runs: Sequence[RunResult], comparison: Comparison | None = None) -> Path:
    """Write results.json atomically."""
    data = results_dict(runs, comparison)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_json(path: Path) -> ResultsFile:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise WorkbenchError(f"{path}: no such results file") from exc
    except json.JSONDecodeError as exc:
        raise WorkbenchError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        found = data.get("schema_version") if isinstance(data, dict) else None
        raise WorkbenchError(
            f"{path}: results schema_version {found!r}, this kwb reads {SCHEMA_VERSION}"
        )
    try:
        runs = [RunResult.from_dict(r) for r in data["runs"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise WorkbenchError(f"{path}: malformed results ({type(exc).__name__}: {exc})") from exc
    return ResultsFile(
        runs=runs,
        comparison=data.get("comparison"),
        created=data.get("created"),
        tool=data.get("tool"),
    )


