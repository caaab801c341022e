"""Stage 5 — the build manifest: what was built, from what, with which tools, how long it took.

One JSON file per build dir (``<objdir>/kwb-manifest.json``); boot-and-test and bisect read it.
"""

from __future__ import annotations

import json
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness import __version__
from harness.errors import WorkbenchError
from harness.proc import run

SCHEMA_VERSION = 1
FILE_NAME = "kwb-manifest.json"


@dataclass
class Manifest:
    variant: str  # "base", "patched", or a name of the caller's ("each-1", "bisect")
    tree: dict[str, str]  # source, repo, base_commit, head_commit
    series: dict[str, Any] | None  # title, version, source, change_id, patches[...]
    config: dict[str, Any]  # name, fragments, sha256, path, skipped_undefined
    artifacts: dict[str, Any]  # objdir, bzImage, selftests{name: path}, build_log
    timings: dict[str, float] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)
    each_patch: list[dict[str, Any]] | None = None
    created: str = ""
    schema_version: int = SCHEMA_VERSION

    @property
    def path(self) -> Path:
        return Path(self.artifacts["objdir"]) / FILE_NAME

    def write(self) -> Path:
        self.created = self.created or time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self.path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")
        return self.path


def load(path: Path) -> Manifest:
    if path.is_dir():
        path = path / FILE_NAME
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise WorkbenchError(f"{path}: cannot read the build manifest ({exc})") from exc
    if data.get("schema_version") != SCHEMA_VERSION:
        raise WorkbenchError(f"{path}: manifest schema {data.get('schema_version')} is not "
                             f"{SCHEMA_VERSION}; rebuild with this version of kwb")
    return Manifest(**data)


def _first_line(cmd: list[str]) -> str:
    if not shutil.which(cmd[0]):
        return "not installed"
    res = run(cmd, check=False)
    return (res.stdout or res.stderr).strip().splitlines()[0] if res.returncode == 0 else "?"


def tool_versions() -> dict[str, str]:
    return {
        "kwb": __version__,
        "python": platform.python_version(),
        "git": _first_line(["git", "--version"]),
        "gcc": _first_line(["gcc", "--version"]),
        "make": _first_line(["make", "--version"]),
        "ccache": _first_line(["ccache", "--version"]),
        "qemu": _first_line(["qemu-system-x86_64", "--version"]),
    }
