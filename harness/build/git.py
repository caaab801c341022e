"""The one git layer: every repository operation kwb makes goes through here, over GitPython.

``git.Repo`` opens a repository (a tool-owned bare repository or one of its worktrees) and
``repo.git.<command>`` runs git's porcelain (am, worktree, bisect, ...) in it; objects are
written through GitPython's object database.  Every command runs with ``LC_ALL=C`` (GitPython
sets it), so the output parsed here and by the callers does not depend on the locale.

Callers never build a ``git`` command line themselves: they call the named operations below,
or :func:`run` / :func:`attempt` for the plumbing sequences (history, bisect) that have no
better name.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import git as gitpython
from gitdb.base import IStream

from harness.errors import WorkbenchError

#: No system or global git configuration reaches kwb's own commits (am.*, commit.gpgSign, ...).
NO_USER_CONFIG = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
#: The identity of kwb's own reflog entries and commits when the caller gives none.
KWB_IDENTITY = {"GIT_COMMITTER_NAME": "kwb", "GIT_COMMITTER_EMAIL": "kwb@localhost",
                **NO_USER_CONFIG}


class GitError(WorkbenchError):
    """A git command failed; the message names the command, where it ran and git's words."""


@dataclass(frozen=True)
class Result:
    """What a git command did: exit status and its (text) output."""

    status: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    @property
    def output(self) -> str:
        return self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr


@contextlib.contextmanager
def repo(path: Path, env: Mapping[str, str] | None = None) -> Iterator[gitpython.Repo]:
    """The repository at ``path`` (a bare git dir, a work tree or a worktree of a repository),
    closed (its cat-file helpers gone) on exit."""
    try:
        r = gitpython.Repo(str(path))
    except (gitpython.InvalidGitRepositoryError, gitpython.NoSuchPathError) as exc:
        raise GitError(f"{path}: not a git repository") from exc
    if env:
        r.git.update_environment(**env)
    try:
        yield r
    finally:
        r.close()


def _cmd(path: Path, env: Mapping[str, str] | None) -> gitpython.Git:
    """A command runner in ``path`` without opening it as a Repo (for paths that may not be a
    repository yet, or whose git dir is given with ``--git-dir``)."""
    g = gitpython.Git(str(path))
    if env:
        g.update_environment(**env)
    return g


def _exec(g: gitpython.Git, args: tuple[str, ...], *, stdin: bytes | None = None,
          as_bytes: bool = False) -> tuple[int, str | bytes, str]:
    with contextlib.ExitStack() as stack:
        istream = None
        if stdin is not None:
            fh = stack.enter_context(tempfile.TemporaryFile())
            fh.write(stdin)
            fh.seek(0)
            istream = fh
        status, out, err = g.execute(["git", *args], with_extended_output=True,
                                     with_exceptions=False, istream=istream,
                                     stdout_as_string=not as_bytes,
                                     strip_newline_in_stdout=False)
    return status, out, err if isinstance(err, str) else err.decode(errors="replace")


def attempt(path: Path, *args: str, env: Mapping[str, str] | None = None,
            stdin: bytes | None = None) -> Result:
    """``git ARGS`` in ``path``; never raises for a non-zero exit: the caller reads it."""
    status, out, err = _exec(_cmd(path, env), args, stdin=stdin)
    assert isinstance(out, str)
    return Result(status, out, err)


def run(path: Path, *args: str, env: Mapping[str, str] | None = None,
        stdin: bytes | None = None, what: str | None = None) -> str:
    """``git ARGS`` in ``path``: its stdout, stripped; GitError naming it if it fails."""
    res = attempt(path, *args, env=env, stdin=stdin)
    if not res.ok:
        raise _error(path, args, res.status, res.output, what)
    return res.stdout.strip()


def run_bytes(path: Path, *args: str, env: Mapping[str, str] | None = None,
              stdin: bytes | None = None) -> bytes:
    """``git ARGS`` in ``path``: its stdout as bytes, unstripped (blob contents)."""
    status, out, err = _exec(_cmd(path, env), args, stdin=stdin, as_bytes=True)
    if status != 0:
        raise _error(path, args, status, err, None)
    assert isinstance(out, bytes)
    return out


def _error(path: Path, args: tuple[str, ...], status: int, output: str,
           what: str | None) -> GitError:
    name = what or f"git {args[0]}" if args else "git"
    detail = output.strip()
    return GitError(f"{name} failed in {path} (exit {status}): git {' '.join(args)}"
                    + (f"\n{detail}" if detail else ""))


# --------------------------------------------------------------------------- repositories


def init_bare(path: Path, config: Mapping[str, str]) -> None:
    """A new bare repository at ``path`` with ``config`` set in it."""
    r = gitpython.Repo.init(str(path), bare=True)
    try:
        with r.config_writer() as cw:
            for key, value in config.items():
                section, option = key.rsplit(".", 1)
                cw.set_value(section, option, value)
    finally:
        r.close()


def is_repository(path: Path) -> bool:
    return (path / "HEAD").exists()


def common_dir(path: Path) -> Path | None:
    """The common git dir of the repository (or worktree) at ``path``; None if it is none."""
    res = attempt(path, "rev-parse", "--path-format=absolute", "--git-common-dir")
    return Path(res.stdout.strip()).resolve() if res.ok and res.stdout.strip() else None


def shared_clone(source: Path, dest: Path) -> None:
    """A bare ``--shared`` clone of ``source`` at ``dest``: objects borrowed, not copied;
    ``source`` is only read."""
    try:
        gitpython.Repo.clone_from(str(source), str(dest), multi_options=["--bare", "--shared"],
                                  quiet=True).close()
    except gitpython.GitCommandError as exc:
        raise GitError(f"git clone --shared {source} failed: {exc.stderr.strip()}") from exc
    with repo(dest) as r, r.config_writer() as cw:
        cw.set_value("gc", "auto", "0")


def fetch_all(dest: Path, source: Path) -> bool:
    """Fetch every branch and tag of ``source`` into ``dest`` (refs mirrored); False if the
    fetch failed (the old refs stay)."""
    return attempt(dest, "fetch", "-q", str(source), "+refs/heads/*:refs/heads/*",
                   "+refs/tags/*:refs/tags/*").ok


def resolve(path: Path, rev: str, kind: str = "commit") -> str | None:
    """The full id of ``rev`` peeled to ``kind`` (commit, tree, blob); None if there is none."""
    res = attempt(path, "rev-parse", "-q", "--verify", f"{rev}^{{{kind}}}")
    return res.stdout.strip() if res.ok and res.stdout.strip() else None


def has_object(path: Path, oid: str) -> bool:
    """Is the (possibly abbreviated) object ``oid`` in the repository?"""
    return attempt(path, "cat-file", "-e", oid).ok


def update_ref(path: Path, ref: str, target: str) -> None:
    run(path, "update-ref", ref, target)


def is_ancestor(path: Path, ancestor: str, descendant: str) -> bool:
    with repo(path) as r:
        return r.is_ancestor(ancestor, descendant)


def subject(path: Path, rev: str) -> str:
    """The subject line of commit ``rev`` ("" if there is no such commit)."""
    sha = resolve(path, rev)
    if sha is None:
        return ""
    with repo(path) as r:
        summary = r.commit(sha).summary
    return summary if isinstance(summary, str) else summary.decode(errors="replace")


def message(path: Path, rev: str) -> str:
    with repo(path) as r:
        msg = r.commit(rev).message
    return msg if isinstance(msg, str) else msg.decode(errors="replace")


def rev_list(path: Path, spec: str, *, first_parent: bool = False,
             reverse: bool = False) -> list[str]:
    """The commits of ``spec`` (e.g. ``good..bad``), newest first unless ``reverse``."""
    args = ["rev-list", "--topo-order", *(["--first-parent"] if first_parent else []),
            *(["--reverse"] if reverse else []), spec]
    res = attempt(path, *args)
    return res.stdout.split() if res.ok else []


def count(path: Path, spec: str) -> int:
    res = attempt(path, "rev-list", "--count", spec)
    return int(res.stdout.strip()) if res.ok and res.stdout.strip().isdigit() else 0


def head(path: Path) -> str:
    return run(path, "rev-parse", "HEAD")


def is_clean(worktree: Path) -> bool:
    """No change to a tracked file in ``worktree`` (untracked files do not count)."""
    res = attempt(worktree, "status", "--porcelain", "--untracked-files=no")
    return res.ok and not res.stdout.strip()


# --------------------------------------------------------------------------- objects


def read_blob(path: Path, spec: str, env: Mapping[str, str] | None = None) -> bytes:
    """The content of blob ``spec`` (``REV:PATH``, or ``:PATH`` from the index of ``env``)."""
    return run_bytes(path, "cat-file", "blob", spec, env=env)


def write_blob(path: Path, data: bytes) -> str:
    """Store ``data`` as a blob (verbatim: no filters) and return its id."""
    with repo(path) as r:
        sha = r.odb.store(IStream(gitpython.Blob.type, len(data), io.BytesIO(data))).hexsha
    return sha.decode() if isinstance(sha, bytes) else sha


def blob_of_file(worktree: Path, name: str) -> str | None:
    """The blob id the worktree's file ``name`` would have (None if it cannot be read)."""
    res = attempt(worktree, "hash-object", name)
    return res.stdout.strip() if res.ok else None


def commit_tree(path: Path, tree: str, message: str, parents: tuple[str, ...] = (),
                env: Mapping[str, str] | None = None) -> str:
    """A commit of ``tree`` with ``message`` (taken verbatim) on ``parents``; identity and
    dates from ``env``."""
    args = ["commit-tree", tree, *[a for p in parents for a in ("-p", p)], "-F", "-"]
    return run(path, *args, env=env, stdin=message.encode())


@contextlib.contextmanager
def temporary_index(path: Path, treeish: str | None = None) -> Iterator[dict[str, str]]:
    """The environment of a throw-away index (``GIT_INDEX_FILE``), read from ``treeish``."""
    with tempfile.TemporaryDirectory(prefix="kwb-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if treeish is not None:
            run(path, "read-tree", treeish, env=env)
        yield env


def import_directory(repo_dir: Path, src: Path, message: str, env: Mapping[str, str],
                     parent: str | None = None, keep_index: Path | None = None) -> str:
    """Commit exactly the files of directory ``src`` (ignore rules do not apply) to the bare
    repository ``repo_dir`` through a throw-away index; identity and dates from ``env``.
    ``keep_index``: where to keep that index (it describes ``src`` as committed, stat data
    included: see :func:`adopt_worktree`)."""
    with temporary_index(repo_dir) as index:
        full = {**env, **index}
        run(src, "--git-dir", str(repo_dir), "--work-tree", str(src), "add", "--force", "--all",
            ".", env=full, what="git add")
        tree = run(repo_dir, "write-tree", env=full)
        if keep_index is not None:
            shutil.copy2(index["GIT_INDEX_FILE"], keep_index)
    args = ["commit-tree", tree, "-m", message, *(["-p", parent] if parent else [])]
    return run(repo_dir, *args, env=env)


# --------------------------------------------------------------------------- worktrees


def worktree_add(repo_dir: Path, worktree: Path, commit: str) -> None:
    """A new detached worktree of ``repo_dir`` at ``worktree``, checked out at ``commit``."""
    with repo(repo_dir) as r:
        r.git.worktree("prune")
        try:
            r.git.worktree("add", "-q", "--force", "--detach", str(worktree), commit)
        except gitpython.GitCommandError as exc:
            raise GitError(f"git worktree add {worktree} failed: {exc.stderr.strip()}") from exc


def adopt_worktree(repo_dir: Path, src: Path, worktree: Path, commit: str, index: Path) -> None:
    """Make directory ``src``, whose files are exactly ``commit`` and which ``index`` describes
    (from :func:`import_directory`), the detached worktree ``worktree`` of ``repo_dir``, by
    moving it there: no checkout writes the ~80,000 files of a kernel tree a second time.
    ``worktree`` must not exist.  Its status is checked clean before it is used."""
    worktree_add_empty = ["worktree", "add", "-q", "--no-checkout", "--detach", str(worktree),
                          commit]
    run(repo_dir, *worktree_add_empty, what="git worktree add --no-checkout")
    admin = Path(run(worktree, "rev-parse", "--path-format=absolute", "--git-dir"))
    os.replace(worktree / ".git", src / ".git")
    worktree.rmdir()
    os.replace(src, worktree)
    shutil.copy2(index, admin / "index")
    dirty = run(worktree, "status", "--porcelain", "--untracked-files=no")
    if dirty:
        raise GitError(f"{worktree}: not clean after adopting the imported files: "
                       f"{dirty.splitlines()[:3]}")


def worktree_remove(repo_dir: Path, worktree: Path) -> None:
    """Remove ``worktree`` (however dirty) and forget it; what cannot be removed is left."""
    attempt(repo_dir, "worktree", "remove", "--force", str(worktree))
    attempt(repo_dir, "worktree", "prune")


def am_in_progress(worktree: Path) -> bool:
    res = attempt(worktree, "rev-parse", "--path-format=absolute", "--git-path", "rebase-apply")
    return res.ok and Path(res.stdout.strip()).exists()


def am_abort(worktree: Path, env: Mapping[str, str] | None = None) -> None:
    """Abort an am in progress in ``worktree`` (nothing happens if there is none); ``env``
    gives the identity git needs for its reflog."""
    if am_in_progress(worktree):
        res = attempt(worktree, "am", "--abort", env={**KWB_IDENTITY, **(env or {})})
        if not res.ok:
            raise _error(worktree, ("am", "--abort"), res.status, res.output, None)


def checkout_clean(worktree: Path, commit: str, *, branch: str | None = None,
                   env: Mapping[str, str] | None = None) -> None:
    """``worktree`` checked out at ``commit`` (on ``branch``, (re)created there, or detached)
    with no am in progress, no local change and no untracked or ignored file."""
    am_abort(worktree, env)
    with repo(worktree, env) as r:
        try:
            if branch:
                r.git.checkout("-q", "--force", "-B", branch, commit)
            else:
                r.git.checkout("-q", "--force", "--detach", commit)
            r.git.clean("-q", "-fdx")
        except gitpython.GitCommandError as exc:
            raise GitError(f"cannot reset {worktree} to {commit[:12]}: "
                           f"{exc.stderr.strip()}") from exc


def am(worktree: Path, mbox: Path, env: Mapping[str, str]) -> Result:
    """``git am -3`` of the mail in ``mbox``, committer dates = author dates (reproducible)."""
    return attempt(worktree, "am", "-3", "--committer-date-is-author-date", str(mbox), env=env)


def apply_check(worktree: Path, patch: Path, env: Mapping[str, str] | None = None) -> Result:
    """``git apply --check -v``: which hunks of ``patch`` apply on the worktree, without 3-way."""
    return attempt(worktree, "apply", "--check", "-v", str(patch), env=env)


def apply_cached(path: Path, patch: Path, env: Mapping[str, str]) -> Result:
    """``git apply --cached --3way`` of ``patch`` to the index of ``env`` (no checkout)."""
    return attempt(path, "apply", "--cached", "--3way", str(patch), env=env)


# --------------------------------------------------------------------------- bisect


def bisect(worktree: Path, *args: str) -> Result:
    """``git bisect ARGS`` in ``worktree`` (its exit status is the caller's to read)."""
    return attempt(worktree, "bisect", *args)
