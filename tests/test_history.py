"""Tests of harness.history on small repositories (and, read-only, on the pinned kernel repo
when it is there: a shared clone in tmp takes the new objects)."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from harness import paths
from harness.bisect import history as hist
from harness.build import tree
from harness.errors import WorkbenchError

ENV = {
    "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_AUTHOR_DATE": "2024-06-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-06-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}

GMEM_C = """\
/* gmem core */
int gmem_context = 1;

/*
 * int gmem_in_comment = 1;
 */
int punch_hole(void) { return 0; } /* punch_hole_ok */
#define GMEM_MACRO(x) \\
	((x) + 1)
"""


def git(cwd: Path, *args: str) -> str:
    res = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **ENV}, text=True,
                         capture_output=True)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KWB_CACHE", str(tmp_path / "cache"))


def small_repo(root: Path) -> tuple[Path, str, list[Path]]:
    """A bare repo with one base commit, and a one-patch series made on it."""
    src = root / "src"
    (src / "core").mkdir(parents=True)
    (src / "docs").mkdir()
    git(root, "init", "-q", "-b", "main", str(src))
    (src / "core" / "gmem.c").write_text(GMEM_C)
    (src / "core" / "other.c").write_text("int other;\n")
    (src / "docs" / "notes.rst").write_text("Notes\n=====\n")
    (src / "README").write_text("readme\n")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "base")
    base = git(src, "rev-parse", "HEAD")
    gm = src / "core" / "gmem.c"
    gm.write_text(gm.read_text().replace("int gmem_context = 1;", "int gmem_context = 2;"))
    git(src, "commit", "-q", "-am", "the series")
    git(src, "format-patch", "-q", "-1", "-o", str(root / "patches"))
    git(src, "reset", "-q", "--hard", "HEAD~1")
    bare = root / "repo.git"
    git(root, "clone", "-q", "--bare", str(src), str(bare))
    return bare, base, sorted((root / "patches").glob("*.patch"))


def blob(repo: Path, spec: str) -> str:
    return git(repo, "--git-dir", str(repo), "cat-file", "blob", spec)


def changed(repo: Path, commit: str) -> list[str]:
    return git(repo, "--git-dir", str(repo), "diff-tree", "--no-commit-id", "--name-only", "-r",
               commit).splitlines()


def behaviour() -> hist.Breakage:
    return hist.Breakage("behaviour", "gmem: break punch_hole", "test breakage",
                         (hist.Edit("core/gmem.c", "punch_hole_ok", "punch_hole_einval"),))


def test_synthetic_history_has_n_commits_and_the_break_at_k(tmp_path):
    repo, base, patches = small_repo(tmp_path)
    h = hist.synthetic(repo, base, 7, 4, behaviour(), avoid=hist.patch_files(patches))
    assert h.ref == "refs/heads/kwb/history-synthetic-behaviour-n7-k4"
    assert len(h.commits) == 7 and h.base == base and h.k == 4
    assert git(repo, "--git-dir", str(repo), "rev-parse", h.ref) == h.bad == h.commits[-1]
    assert git(repo, "--git-dir", str(repo), "rev-list", "--reverse", f"{base}..{h.ref}"
               ).splitlines() == list(h.commits)
    assert h.first_bad == h.commits[3]
    assert changed(repo, h.first_bad) == ["core/gmem.c"]
    assert "punch_hole_ok" in blob(repo, f"{h.commits[2]}:core/gmem.c")
    assert "punch_hole_einval" in blob(repo, f"{h.commits[3]}:core/gmem.c")
    assert "punch_hole_einval" in blob(repo, f"{h.bad}:core/gmem.c")
    for i, c in enumerate(h.commits, 1):
        msg = git(repo, "--git-dir", str(repo), "log", "-1", "--format=%B", c)
        assert f"Kwb-History: synthetic-behaviour {i}/7" in msg
        if i != 4:  # churn never touches the series' files or the broken one
            assert "core/gmem.c" not in changed(repo, c)
            assert "kwb synthetic churn" in msg
    dates = git(repo, "--git-dir", str(repo), "log", "--format=%cI", h.ref, "-7").splitlines()
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == 7


def test_synthetic_history_ids_are_deterministic(tmp_path):
    repo1, base, _ = small_repo(tmp_path / "one")
    repo2, base2, _ = small_repo(tmp_path / "two")
    assert base == base2
    h1 = hist.synthetic(repo1, base, 6, 2, behaviour())
    h2 = hist.synthetic(repo2, base, 6, 2, behaviour())
    assert h1.commits == h2.commits
    assert hist.synthetic(repo1, base, 6, 2, behaviour()).commits == h1.commits  # again
    h3 = hist.synthetic(repo1, base, 6, 3, behaviour())
    assert h3.commits[0] == h1.commits[0] and h3.commits[1] != h1.commits[1]
    assert h3.ref != h1.ref
    with pytest.raises(WorkbenchError, match="1..6"):
        hist.synthetic(repo1, base, 6, 7, behaviour())


def test_context_break_is_read_from_the_series_and_stops_it_applying(tmp_path):
    repo, base, patches = small_repo(tmp_path)
    brk = hist.series_context_break(repo, base, patches, path="core/gmem.c")
    assert brk.name == "context"
    assert [e.old for e in brk.edits] == ["int gmem_context = 1;\n"]
    assert "patch 1" in brk.body
    h = hist.synthetic(repo, base, 6, 3, brk, avoid=hist.patch_files(patches))
    applies = dict(hist.check(repo, [base, *h.commits], patches))
    assert [applies[c] for c in h.commits] == [True, True, False, False, False, False]
    assert applies[base]
    ok, why = hist.series_applies(repo, h.first_bad, patches)
    assert not ok and "0001" in why
    # the behaviour break leaves the series applying everywhere
    hb = hist.synthetic(repo, base, 4, 2, behaviour(), avoid=hist.patch_files(patches))
    assert all(ok for _, ok in hist.check(repo, hb.commits, patches))


def test_context_break_without_a_usable_line(tmp_path):
    repo, base, patches = small_repo(tmp_path)
    with pytest.raises(WorkbenchError, match="default context lines"):
        hist.series_context_break(repo, base, [], path="core/gmem.c")
    with pytest.raises(WorkbenchError, match="has 1 patch"):
        hist.series_context_break(repo, base, patches, path="core/gmem.c", patch_no=2)


def test_churn_fallbacks(tmp_path):
    repo, base, patches = small_repo(tmp_path)
    # of KERNEL_CHURN, only README is in this repo
    h = hist.synthetic(repo, base, 5, 5, behaviour())
    assert {f for c in h.commits[:4] for f in changed(repo, c)} == {"README"}
    # none of it: the repo's own text files, less the avoided and the broken ones
    h = hist.synthetic(repo, base, 5, 5, behaviour(), avoid={"core/other.c", "README"},
                       ref="refs/heads/y")
    assert {f for c in h.commits[:4] for f in changed(repo, c)} == {"docs/notes.rst"}
    assert ".. kwb-history: churn commit 1" in blob(repo, f"{h.bad}:docs/notes.rst")
    code = hist.Edit("core/other.c", "int other;", "int other_renamed;")
    h2 = hist.synthetic(repo, base, 3, 1, behaviour(), churn=[code], ref="refs/heads/x")
    assert "int other_renamed;" in blob(repo, f"{h2.commits[1]}:core/other.c")
    # a code edit is made once; the next time that file gets a comment
    assert "/* kwb-history: churn commit 3 (comment only) */" in blob(
        repo, f"{h2.commits[2]}:core/other.c")


def test_safe_code_lines():
    safe = hist._safe_code_lines(GMEM_C)
    lines = GMEM_C.split("\n")
    verdict = dict(zip(lines, safe, strict=True))
    assert verdict["int gmem_context = 1;"]
    assert not verdict[" * int gmem_in_comment = 1;"]
    assert not verdict["/* gmem core */"]
    assert not verdict["#define GMEM_MACRO(x) \\"]
    assert verdict["int punch_hole(void) { return 0; } /* punch_hole_ok */"]


def test_patch_parsing(tmp_path):
    _, _, patches = small_repo(tmp_path)
    assert hist.patch_files(patches) == {"core/gmem.c"}
    assert hist.patch_removed_lines(patches[0], "core/gmem.c") == ["int gmem_context = 1;"]
    assert hist.patch_removed_lines(patches[0], "core/other.c") == []


def make_deb(root: Path, package: str, version: str, content: str) -> Path:
    """A tiny linux-source-like .deb: /usr/src/<package>.tar.xz holding <package>/file.c."""
    src = root / f"src-{version}" / package
    src.mkdir(parents=True)
    (src / "file.c").write_text(content)
    pkg = root / f"pkg-{version}"
    (pkg / "usr" / "src").mkdir(parents=True)
    with tarfile.open(pkg / "usr" / "src" / f"{package}.tar.xz", "w:xz") as tf:
        tf.add(src, arcname=package)
    (pkg / "DEBIAN").mkdir()
    (pkg / "DEBIAN" / "control").write_text(
        f"Package: {package}\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: t <t@example.invalid>\nDescription: test\n")
    debs = paths.ensure(paths.cache_root() / "debs")
    deb = debs / f"{package}_{version}_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(pkg), str(deb)],
                   check=True, capture_output=True)
    return deb


def test_versions_history_from_package_files(tmp_path):
    pkg = "linux-source-9.9"
    make_deb(tmp_path, pkg, "9.9.2-1", "int v = 2;\n")
    make_deb(tmp_path, pkg, "9.9.10-1", "int v = 10;\n")
    pin = tree.Pin(pkg, "9.9.10-1", Path("/nonexistent"), "0" * 64, pkg, "kwb import",
                   "kwb@invalid", "2025-01-01T00:00:00+00:00")
    repo = paths.repos_dir() / "versions.git"
    h = hist.versions(["9.9.10-1", "9.9.2-1"], pin=pin, repo=repo)  # any order: sorted
    assert h.labels == ("9.9.2-1", "9.9.10-1")
    assert len(h.commits) == 2 and h.base == h.commits[0]
    assert blob(repo, f"{h.commits[0]}:file.c") == "int v = 2;"
    assert blob(repo, f"{h.bad}:file.c") == "int v = 10;"
    assert git(repo, "--git-dir", str(repo), "rev-parse", f"{h.bad}^") == h.commits[0]
    assert h.ref == "refs/heads/kwb/history-versions-9.9.2-1_9.9.10-1"
    assert "Import Debian linux-source-9.9 9.9.2-1" in git(
        repo, "--git-dir", str(repo), "log", "-1", "--format=%s", h.commits[0])
    # imported once: a second call reuses the commits; a fresh repo gets the same ids
    assert hist.versions(["9.9.2-1", "9.9.10-1"], pin=pin, repo=repo).commits == h.commits
    again = hist.versions(["9.9.2-1", "9.9.10-1"], pin=pin, repo=tmp_path / "other.git")
    assert again.commits == h.commits


@pytest.mark.kernel
def test_kernel_breakages_fit_the_pinned_tree(tmp_path, real_cache, monkeypatch):
    """Both breakages and the churn edits apply to the real 6.12 tree (a shared clone in tmp
    takes the new objects; the pinned repo is only read).  Seconds once the tree is imported."""
    pinned = tree.pinned_tree()
    monkeypatch.setenv("KWB_CACHE", str(tmp_path / "cache"))
    repo = tmp_path / "pin.git"
    git(tmp_path, "clone", "-q", "--bare", "--shared", str(pinned.repo), str(repo))
    base = pinned.base
    h = hist.synthetic(repo, base, 12, 7, hist.guest_memfd_behaviour_break())
    assert changed(repo, h.first_bad) == [hist.GMEM_PATH]
    assert "offset + len > i_size_read(file_inode(file))" in blob(
        repo, f"{h.first_bad}:{hist.GMEM_PATH}")
    kinds = [git(repo, "--git-dir", str(repo), "log", "-1", "--format=%s", c) for c in h.commits]
    assert sum("reword a message" in s for s in kinds) == 2  # both driver edits applied
    brk = hist.series_context_break(repo, base)
    assert len(brk.edits) == len(hist.DEFAULT_CONTEXT_LINES)
    hc = hist.synthetic(repo, base, 6, 2, brk)
    assert blob(repo, f"{hc.first_bad}:{hist.GMEM_PATH}").count(hist.CONTEXT_MARK) == 3
