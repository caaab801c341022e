"""The build stage's locks: who may touch a worktree, a build dir, a repository, the CPUs.

* ``worktree`` + ``objdir``: held by apply-and-build for the whole apply → config → build →
  manifest (a second ``kwb pipeline`` must not check out, clean or ``git am`` in the tree the
  first one is compiling, nor re-merge its .config);
* ``repository``: held while a tree is imported or cloned (the first run of two at once);
* ``make``: one kernel make at a time on the machine (``~/.cache/kwb/build.lock``; others queue).

Always taken in that order (worktree, objdir, make), so two kwb processes cannot deadlock.
All are ``flock`` locks on files beside what they protect: they go away with the process that
held them, killed or not.  They are re-entrant within one process (the ``--each-patch`` build
runs inside apply-and-build's lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from harness import paths
from harness.proc import info

_held: dict[Path, int] = {}  # lock file -> depth, in this process


@contextlib.contextmanager
def hold(lock_file: Path, what: str) -> Iterator[None]:
    """Hold the flock on ``lock_file``; say so (naming ``what`` and the holder) when waiting."""
    key = Path(os.path.abspath(lock_file))
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    key.parent.mkdir(parents=True, exist_ok=True)
    fh: IO[str]
    with open(key, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            info(f"{what} is in use by another kwb (pid {holder}); waiting for it "
                 f"(lock {key})")
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]


def is_held(lock_file: Path) -> bool:
    """Whether this process holds ``lock_file``."""
    return Path(os.path.abspath(lock_file)) in _held


def objdir_lock(objdir: Path) -> contextlib.AbstractContextManager[None]:
    return hold(objdir.parent / f"{objdir.name}.lock", f"build dir {objdir}")


def worktree_lock(worktree: Path) -> contextlib.AbstractContextManager[None]:
    return hold(worktree.parent / f"{worktree.name}.lock", f"worktree {worktree}")


def repository_lock(name: str) -> contextlib.AbstractContextManager[None]:
    return hold(paths.repos_dir() / f"{name}.lock", f"repository {name}")


def make_lock() -> contextlib.AbstractContextManager[None]:
    return hold(paths.cache_root() / "build.lock", "the machine's kernel build slot")
