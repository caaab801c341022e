"""Shared fixtures: an isolated environment and small throw-away git repositories.

Every test runs with ``KWB_CACHE`` and ``XDG_CACHE_HOME`` in its own tmp dir and without the
user's git configuration (so code under test must not rely on a git identity being set).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import paths
from harness.build.manifest import Manifest
from harness.build.tree import Tree

#: The cache a person's kwb uses, read before any test isolates itself: the real-kernel tests
#: share it, so the pinned tree is imported once and builds stay incremental across runs.
REAL_CACHE = paths.cache_root()

#: Identity and dates for commits made by the tests: hashes are the same on every run.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2025-01-01T12:00:00Z",
    "GIT_COMMITTER_NAME": "Ada Author",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_COMMITTER_DATE": "2025-01-01T12:00:00Z",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in ``cwd`` with the tests' identity; return stdout (stripped); fail loudly."""
    res = subprocess.run(["git", *args], cwd=cwd, text=True, capture_output=True,
                         env={**os.environ, **GIT_ENV, **(env or {})})
    if res.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{res.stdout}{res.stderr}")
    return res.stdout.strip()


@dataclass
class GitRepo:
    """A throw-away repository with a working tree."""

    path: Path

    @property
    def git_dir(self) -> Path:
        return self.path / ".git"

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        return git(self.path, *args, env=env)

    def rev(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", ref + "^{commit}")

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)

    def commit(self, subject: str, files: dict[str, str] | None = None, *, body: str = "",
               author: tuple[str, str] | None = None) -> str:
        """Write ``files`` (path → content), commit everything, return the new hash."""
        self.write(files or {})
        self.git("add", "--all")
        env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]} if author else None
        message = subject + (f"\n\n{body}" if body else "")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.rev()

    def edit_line(self, name: str, lineno: int, text: str) -> None:
        """Replace line ``lineno`` (1-based) of ``name``."""
        lines = (self.path / name).read_text().splitlines()
        lines[lineno - 1] = text
        (self.path / name).write_text("\n".join(lines) + "\n")

    def format_patch(self, rev_range: str, outdir: Path, *args: str) -> list[Path]:
        """``git format-patch -o outdir args rev_range``; the files written, in order."""
        out = self.git("format-patch", "-o", str(outdir), *args, rev_range)
        return [Path(line) for line in out.splitlines() if line.strip()]


def numbered_file(lines: int = 30, prefix: str = "line") -> str:
    """A text file of distinct numbered lines, handy for patches with separate hunks."""
    return "".join(f"{prefix} {i}\n" for i in range(1, lines + 1))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cache dirs under tmp_path and no user/system git config; returns the KWB cache root."""
    cache = tmp_path / "kwb-cache"
    monkeypatch.setenv("KWB_CACHE", str(cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
    return cache


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., GitRepo]:
    """Factory: ``make_repo("name")`` → an empty repository (branch main) in tmp_path/name."""

    def make(name: str = "repo") -> GitRepo:
        path = tmp_path / name
        path.mkdir(parents=True)
        git(path, "init", "-q", "-b", "main")
        return GitRepo(path)

    return make


@pytest.fixture
def small_repo(make_repo: Callable[..., GitRepo]) -> GitRepo:
    """A repository with three commits on main; the last one is tagged ``base``.

    Files: README, src/a.c and src/b.c (30 numbered lines each, see numbered_file()).
    """
    repo = make_repo("small")
    repo.commit("Initial import", {"README": "a small tree\n", "src/a.c": numbered_file()})
    repo.commit("Add b.c", {"src/b.c": numbered_file(prefix="bee")})
    repo.commit("Touch README", {"README": "a small tree\nfor tests\n"})
    repo.git("tag", "base")
    return repo


@pytest.fixture
def tree_of() -> Callable[..., Tree]:
    """Factory: ``tree_of(repo, base="base")`` → a harness Tree over the repo's .git dir."""

    def make(repo: GitRepo, base: str = "base", source: str | None = None) -> Tree:
        return Tree(repo.git_dir, repo.rev(base), source or f"test:{repo.path.name}")

    return make


@pytest.fixture
def real_cache(monkeypatch: pytest.MonkeyPatch) -> Path:
    """For real-kernel tests: use the machine's kwb cache (tree, builds, ccache) as a user would."""
    monkeypatch.setenv("KWB_CACHE", str(REAL_CACHE))
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    return REAL_CACHE


@pytest.fixture(scope="session")
def built_kernel() -> Manifest:
    """The patched build of the pinned tree, made by the real pipeline in the machine's cache.

    On a fresh machine this imports the tree and builds cold (~10 min on 2 cores); afterwards it
    is an incremental no-op.  Tests that boot a kernel use this one, so they never skip for
    want of a build.
    """
    from harness.build.pipeline import BuildRequest, apply_and_build

    mp = pytest.MonkeyPatch()
    mp.setenv("KWB_CACHE", str(REAL_CACHE))
    try:
        return apply_and_build(BuildRequest())
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def built_base() -> Manifest:
    """The base build (no series) of the pinned tree in the default config, as
    :func:`built_kernel` makes the patched one."""
    from harness.build.pipeline import BuildRequest, apply_and_build

    mp = pytest.MonkeyPatch()
    mp.setenv("KWB_CACHE", str(REAL_CACHE))
    try:
        return apply_and_build(BuildRequest(variant="base"))
    finally:
        mp.undo()


@pytest.fixture(scope="session")
def real_kernel(built_kernel: Manifest) -> tuple[Path, Path]:
    """(bzImage, the kselftest/kvm dir) of :func:`built_kernel`."""
    bz = Path(built_kernel.artifacts["bzImage"])
    return bz, Path(built_kernel.artifacts["selftests"]["guest_memfd_test"]).parent


@pytest.fixture(scope="session")
def vng_kernel() -> tuple[Path, Path]:
    """(bzImage, the kselftest/kvm dir) of the patched build in the ``vng`` config (the default
    config is the hermetic guest, which virtme-ng cannot boot: no 9p, virtio, networking)."""
    from harness.build.pipeline import BuildRequest, apply_and_build

    mp = pytest.MonkeyPatch()
    mp.setenv("KWB_CACHE", str(REAL_CACHE))
    try:
        m = apply_and_build(BuildRequest(config_name="vng"))
    finally:
        mp.undo()
    return Path(m.artifacts["bzImage"]), \
        Path(m.artifacts["selftests"]["guest_memfd_test"]).parent


@pytest.fixture(scope="session")
def pinned_worktree() -> Path:
    """The pinned tree's base worktree in the machine's cache, imported when missing (on a
    fresh machine: ~2 min), for tests that read the kernel's own files (no build)."""
    from harness.build import locks, tree

    mp = pytest.MonkeyPatch()
    mp.setenv("KWB_CACHE", str(REAL_CACHE))
    try:
        t = tree.pinned_tree()
        with locks.worktree_lock(tree.worktree_path(t, "base")):  # not under a build's feet
            return tree.worktree(t, "base", t.base, checkout=False)
    finally:
        mp.undo()
