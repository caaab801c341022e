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
from harness.results.verdict import Judgement

SCHEMA_VERSION = 1


@dataclass
class ResultsFile:
    runs: list[RunResult]
    comparison: dict[str, Any] | None = None  # as written; recompute with compare.compare()
    verdict: dict[str, Any] | None = None  # as written (Judgement.to_dict())
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


def results_dict(runs: Sequence[RunResult], comparison: Comparison | None = None, *,
                 judgement: Judgement) -> dict[str, Any]:
    verdict = judgement.to_dict()
    comp = None
    if comparison is not None:
        comp = comparison.to_dict()
        comp.update({k: verdict[k] for k in ("exit_status", "problems", "skips", "notes")})
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": f"kwb {__version__}",
        "created": now_iso(),
        "interrupted": any(r.interrupted for r in runs),
        "verdict": verdict,
        "runs": [r.to_dict() for r in runs],
        "comparison": comp,
    }


def write_json(path: Path, runs: Sequence[RunResult], comparison: Comparison | None = None, *,
               judgement: Judgement) -> Path:
    """Write results.json atomically."""
    data = results_dict(runs, comparison, judgement=judgement)
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
        verdict=data.get("verdict"),
        created=data.get("created"),
        tool=data.get("tool"),
    )


