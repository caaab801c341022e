"""End to end on the real pinned tree: the real `kwb apply-and-build`, real git, make and gcc.

Marked ``kernel``: the first run imports the tree (~2 min) and builds cold (~7 min on 2 cores);
later runs are incremental.  CI runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import paths
from harness.build import config, kbuild, tree

pytestmark = pytest.mark.kernel

PINNED_BASE = "801ff5017250a3bf36584f20483d9cd0a8cdd33f"


def kwb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], text=True,
                          capture_output=True, cwd=paths.PROJECT_ROOT)


def test_pinned_tree_commit_is_deterministic(real_cache: Path) -> None:
    res = kwb("tree")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == PINNED_BASE


def test_apply_and_build_patched(real_cache: Path) -> None:
    res = kwb("apply-and-build")
    assert res.returncode == 0, res.stderr[-3000:]
    manifest = json.loads(Path(res.stdout.strip().splitlines()[-1]).read_text())
    assert manifest["schema_version"] == 1
    assert manifest["tree"]["base_commit"] == PINNED_BASE
    assert manifest["tree"]["source"].startswith("debian:linux-source-6.12=")
    series = manifest["series"]
    cover = paths.PATCHES_DIR / "v2-0000-cover-letter.patch"
    assert series["base_commit_trailer"] == PINNED_BASE, f"{cover} must cite the pinned base"
    subjects = [p["subject"] for p in series["patches"]]
    assert subjects == [
        "filemap: pass address_space mapping to ->free_folio()",
        "mm: guestmem: convert address_space operations to guestmem library",
        "mm: guestmem: add KUnit tests",
    ]
    assert manifest["tree"]["head_commit"] == series["patches"][-1]["commit"]
    cfg = config.read_config(Path(manifest["config"]["path"]))
    assert cfg["CONFIG_GUESTMEM"] == "y" and cfg["CONFIG_KVM_SW_PROTECTED_VM"] == "y"
    assert manifest["config"]["skipped_undefined"] == []
    assert Path(manifest["artifacts"]["bzImage"]).stat().st_size > 1_000_000
    for name in kbuild.selftest_names(paths.KERNEL_CONFIG_DIR / "tests.txt"):
        assert Path(manifest["artifacts"]["selftests"][name]).is_file(), name
    assert {"tree", "series", "config", "build"} <= set(manifest["timings"])
    assert manifest["tools"]["gcc"].startswith("gcc")

    # Nothing changed: the series is not re-applied and make has nothing to compile.
    again = kwb("apply-and-build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "not re-applying" in again.stderr
    second = json.loads(Path(again.stdout.strip().splitlines()[-1]).read_text())
    assert second["artifacts"]["noop"] is True
    assert second["tree"]["head_commit"] == manifest["tree"]["head_commit"]


def test_real_merge_names_a_dropped_symbol(real_cache: Path, tmp_path: Path) -> None:
    """merge_config.sh + olddefconfig on the real tree; Kconfig drops two requests."""
    t = tree.pinned_tree()
    src = tree.worktree(t, "base", t.base)
    frag = tmp_path / "bad.config"
    frag.write_text("CONFIG_VIRTUALIZATION=y\n"
                    "CONFIG_KVM_SW_PROTECTED_VM=y\n"  # needs EXPERT and KVM: nobody asked
                    "CONFIG_NO_SUCH_SYMBOL_KWB=y\n")
    with pytest.raises(Exception) as err:
        config.merge(src, tmp_path / "obj", "bad", [frag], tmp_path / "log", kbuild.make_env())
    text = str(err.value)
    assert "CONFIG_KVM_SW_PROTECTED_VM=y (bad.config:2)" in text
    assert "CONFIG_NO_SUCH_SYMBOL_KWB=y (bad.config:3)" in text
    assert "CONFIG_VIRTUALIZATION" not in text  # granted, so not reported
