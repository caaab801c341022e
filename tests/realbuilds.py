"""Finding the machine's existing real kernel builds for the real-kernel tests.

The cache (``~/.cache/kwb/builds``) holds builds of every named config a person or a test made:
compile-only cross builds (``arm64-cross``: no bzImage, another ARCH's .config), debug and
module builds, and bzImages being rebuilt right now (``--each-patch``, a bisect step).  A test
that reuses one must pick a bootable x86 build of the config it asks for, whose manifest still
describes its files.  One function decides that for every test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _settled(mf: Path, data: dict[str, Any]) -> bool:
    """Its bzImage and selftests exist and none is newer than the manifest (a file newer than
    its manifest is being rebuilt: the manifest no longer describes it)."""
    art = data.get("artifacts") or {}
    if not art.get("bzImage"):  # compile-only (cross) builds have none
        return False
    files = [Path(art["bzImage"]), *map(Path, (art.get("selftests") or {}).values())]
    limit = mf.stat().st_mtime + 1
    return all(f.is_file() and f.stat().st_mtime <= limit for f in files)


def newest(cache: Path, variant: str, *, config_name: str = "default",
           need: dict[str, str] | None = None) -> Path | None:
    """The manifest of the newest settled, bootable ``variant`` build (``base``/``patched``) of
    the named config in ``cache``, or None.  A patched build must have been made with its whole
    series applied; ``need`` lists .config values it must have (e.g. CONFIG_KUNIT=y)."""
    from harness.build import config

    found: list[tuple[float, Path]] = []
    for mf in cache.glob(f"builds/*-{variant}-*/kwb-manifest.json"):
        try:
            data = json.loads(mf.read_text())
        except (OSError, ValueError):
            continue
        if (data.get("config") or {}).get("name") != config_name or not _settled(mf, data):
            continue
        patches = (data.get("series") or {}).get("patches") or [{}]
        if variant == "patched" and patches[-1].get("commit") != data["tree"]["head_commit"]:
            continue
        if need:
            cfg = config.read_config(Path(data["config"]["path"]))
            if any(cfg.get(k) != v for k, v in need.items()):
                continue
        found.append((mf.stat().st_mtime, mf))
    return max(found)[1] if found else None
