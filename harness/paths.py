"""Where the workbench keeps its state: trees, worktrees, build dirs, ccache, logs.

Everything lives under ``$XDG_CACHE_HOME/kwb`` (``~/.cache/kwb``), or ``$KWB_CACHE`` when set.
Nothing is ever written into a user's own kernel tree.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KERNEL_CONFIG_DIR = PROJECT_ROOT / "kernel-config"
PATCHES_DIR = PROJECT_ROOT / "patches"
SELFTESTS_DIR = PROJECT_ROOT / "selftests"


def cache_root() -> Path:
    env = os.environ.get("KWB_CACHE")
    if env:
        return Path(env).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser().resolve() / "kwb"


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def repos_dir() -> Path:
    return ensure(cache_root() / "repos")


def worktrees_dir() -> Path:
    return ensure(cache_root() / "worktrees")


def builds_dir() -> Path:
    return ensure(cache_root() / "builds")


def runs_dir() -> Path:
    return ensure(cache_root() / "runs")


def ccache_dir() -> Path:
    return ensure(cache_root() / "ccache")
