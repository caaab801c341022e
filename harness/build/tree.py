"""Stage 1 — the kernel tree: the pinned Debian source imported deterministically, or a
developer's own linux.git used through a tool-owned shared clone.

Either way the tool works in a git repository it owns (under the cache) and in worktrees of
that repository; a user's checkout, index and branches are never touched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info, run

from . import git

PIN_FILE = paths.KERNEL_CONFIG_DIR / "pinned-tree.toml"


@dataclass(frozen=True)
class Pin:
    package: str
    version: str
    tarball: Path
    sha256: str
    topdir: str
    author_name: str
    author_email: str
    date: str

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9.+-]", "_", f"{self.package}_{self.version}")


@dataclass(frozen=True)
class Tree:
    """A git repository owned by the tool and the base commit the series goes on."""

    repo: Path
    base: str
    source: str  # human-readable: where the tree came from

    def git(self, *args: str) -> str:
        """``git ARGS`` in the repository: stdout, stripped (GitError if it fails)."""
        return git.run(self.repo, *args)


def load_pin(path: Path = PIN_FILE) -> Pin:
    try:
        data = tomllib.loads(path.read_text())
        t, c = data["tree"], data["commit"]
        return Pin(
            package=t["package"],
            version=t["version"],
            tarball=Path(t["tarball"]),
            sha256=t["sha256"].lower(),
            topdir=t["topdir"],
            author_name=c["name"],
            author_email=c["email"],
            date=c["date"],
        )
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise WorkbenchError(f"{path}: cannot read the tree pin: {exc!r}") from exc


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def installed_version(package: str) -> str | None:
    res = run(["dpkg-query", "-W", "-f=${Version}", package], check=False)
    return res.stdout.strip() if res.returncode == 0 and res.stdout.strip() else None


def ensure_tarball(pin: Pin) -> Path:
    """Install the pinned package with apt if needed, and check the tarball's hash."""
    if installed_version(pin.package) != pin.version or not pin.tarball.exists():
        if os.geteuid() != 0:
            raise WorkbenchError(
                f"{pin.package}={pin.version} is not installed and installing it needs root: "
                f"run `apt-get install {pin.package}={pin.version}` as root, then retry."
            )
        info(f"installing {pin.package}={pin.version} with apt")
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        res = run(["apt-get", "install", "-y", "-q", f"{pin.package}={pin.version}"],
                  env=env, check=False)
        if res.returncode != 0:
            run(["apt-get", "update", "-q"], env=env, check=False)
            res = run(["apt-get", "install", "-y", "-q", "--allow-downgrades",
                       f"{pin.package}={pin.version}"], env=env, check=False)
        if res.returncode != 0:
            output = res.stdout + res.stderr
            raise WorkbenchError(apt_version_gone(pin, output) or (
                f"apt-get install {pin.package}={pin.version} failed "
                f"(exit {res.returncode}):\n{output.strip()[-2000:]}"))
    digest = sha256_file(pin.tarball)
    if digest != pin.sha256:
        raise WorkbenchError(
            f"{pin.tarball}: sha256 {digest} differs from the pinned {pin.sha256} "
            f"({PIN_FILE.name}, {pin.package}={pin.version}); refusing to import a tree that is "
            "not the pinned one."
        )
    return pin.tarball


_APT_NO_VERSION = re.compile(r"^E: Version '([^']+)' for '([^']+)' was not found", re.MULTILINE)


def apt_version_gone(pin: Pin, apt_output: str) -> str | None:
    """The message for apt's "Version ... was not found" (the pinned version has left the
    archive, or apt's lists predate it); None when apt failed for another reason."""
    m = _APT_NO_VERSION.search(apt_output)
    if m is None:
        return None
    return (
        f"the pinned kernel source {m[2]}={m[1]} ({PIN_FILE}) is not available from apt: "
        "Debian removes superseded point releases from the archive, so this version is gone "
        "(or apt's package lists are stale: `apt-get update` was tried). Either pin a version "
        f"apt has (`apt-cache madison {m[2]}` lists them; set version and sha256 in "
        f"{PIN_FILE.name}: the base commit id then changes), or use your own tree with "
        "`--tree PATH --base REF`.")


def commit_env(pin: Pin) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": pin.author_name,
        "GIT_AUTHOR_EMAIL": pin.author_email,
        "GIT_AUTHOR_DATE": pin.date,
        "GIT_COMMITTER_NAME": pin.author_name,
        "GIT_COMMITTER_EMAIL": pin.author_email,
        "GIT_COMMITTER_DATE": pin.date,
        **git.NO_USER_CONFIG,
    }


def _checked_members(tf: tarfile.TarFile, dest: Path) -> list[tarfile.TarInfo]:
    """The members of ``tf``, checked as tarfile's "tar" filter checks them, for Pythons
    without extraction filters (3.11 before 3.11.4, e.g. Debian 12's 3.11.2): no member and
    no link target outside ``dest``, no device file; setuid/setgid/sticky bits and group/other
    write permission dropped."""
    root = os.path.realpath(dest)
    inside = root + os.sep

    def outside(name: str) -> bool:
        target = os.path.realpath(os.path.join(root, name))
        return target != root and not target.startswith(inside)

    checked = []
    for ti in tf.getmembers():
        name = ti.name.lstrip("/")
        if os.path.isabs(ti.name) or outside(name):
            raise WorkbenchError(f"{tf.name}: member {ti.name!r} would land outside {dest}")
        if ti.ischr() or ti.isblk():
            raise WorkbenchError(f"{tf.name}: member {ti.name!r} is a device file")
        if ti.issym() and (os.path.isabs(ti.linkname)
                           or outside(os.path.join(os.path.dirname(name), ti.linkname))):
            raise WorkbenchError(f"{tf.name}: symlink {ti.name!r} -> {ti.linkname!r} points "
                                 f"outside {dest}")
        if ti.islnk() and (os.path.isabs(ti.linkname) or outside(ti.linkname)):
            raise WorkbenchError(f"{tf.name}: hard link {ti.name!r} -> {ti.linkname!r} points "
                                 f"outside {dest}")
        ti.mode &= 0o755
        checked.append(ti)
    return checked


def extract(tarball: Path, dest: Path) -> None:
    """Unpack ``tarball`` into ``dest``, refusing members that would escape it: tarfile's
    "tar" filter where this Python has it, the same checks by hand where it has not."""
    try:
        with tarfile.open(tarball) as tf:
            if hasattr(tarfile, "tar_filter"):
                tf.extractall(dest, filter="tar")
            else:
                tf.extractall(dest, members=_checked_members(tf, dest))
    except tarfile.TarError as exc:
        raise WorkbenchError(f"{tarball}: cannot unpack: {exc}") from exc


def import_tarball(
    repo: Path, tarball: Path, topdir: str, pin: Pin, message: str, parent: str | None = None,
    worktree: Path | None = None,
) -> str:
    """Import an unpacked source tarball as one commit (on ``parent`` if given).

    Debian's tarball carries a ``.gitignore`` that ignores everything at the top level, so the
    files are added with ``--force``: the commit holds exactly the tarball's files.  With
    ``worktree`` (which must not exist), the unpacked files become that worktree of the new
    commit instead of being deleted (the first checkout is then free: ~45 s on 2 cores).
    """
    if not git.is_repository(repo):
        git.init_bare(repo, {"core.autocrlf": "false", "core.fileMode": "true",
                             "core.symlinks": "true", "gc.auto": "0",
                             "commit.gpgSign": "false"})
    scratch = repo.parent / f".unpack-{repo.name}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        info(f"unpacking {tarball} (about 10 s)")
        extract(tarball, scratch)
        src = scratch / topdir
        if not src.is_dir():
            raise WorkbenchError(f"{tarball}: has no top directory {topdir}/")
        info("importing into git (about a minute)")
        index = scratch / "index"
        commit = git.import_directory(repo, src, message, commit_env(pin), parent,
                                      keep_index=index if worktree is not None else None)
        if worktree is not None:
            worktree.parent.mkdir(parents=True, exist_ok=True)
            try:
                git.adopt_worktree(repo, src, worktree, commit, index)
                info(f"the unpacked files are worktree {worktree} (no second checkout)")
            except (git.GitError, OSError) as exc:  # the commit stands; a checkout makes it
                info(f"could not keep the unpacked files as {worktree} ({exc}); it will be "
                     "checked out")
                git.worktree_remove(repo, worktree)
                shutil.rmtree(worktree, ignore_errors=True)
        return commit
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def pinned_tree(pin: Pin | None = None) -> Tree:
    """The pinned Debian tree, imported once and reused."""
    pin = pin or load_pin()
    repo = paths.repos_dir() / f"{pin.slug}.git"
    ref = "refs/tags/kwb-pinned"
    if git.is_repository(repo) and (commit := git.resolve(repo, ref)):
        return Tree(repo, commit, f"debian:{pin.package}={pin.version}")
    tarball = ensure_tarball(pin)
    msg = (f"Import Debian {pin.package} {pin.version}\n\n"
           f"Unpacked from {tarball.name} (sha256 {pin.sha256}).\n")
    base_wt = _worktree_dir(repo, "base")
    commit = import_tarball(repo, tarball, pin.topdir, pin, msg,
                            worktree=None if base_wt.exists() else base_wt)
    git.update_ref(repo, ref, commit)
    info(f"pinned tree imported: base commit {commit}")
    return Tree(repo, commit, f"debian:{pin.package}={pin.version}")


def user_tree(path: Path, base_ref: str) -> Tree:
    """A developer's linux.git: a tool-owned ``--shared`` bare clone, so nothing of theirs moves."""
    path = path.expanduser().resolve()
    common = git.common_dir(path) if path.is_dir() else None
    if common is None:
        raise WorkbenchError(f"--tree {path}: not a git repository")
    base = git.resolve(path, base_ref)
    if base is None:
        raise WorkbenchError(f"--base {base_ref}: no such commit in {path}")
    key = hashlib.sha256(str(common).encode()).hexdigest()[:12]
    repo = paths.repos_dir() / f"user-{path.name}-{key}.git"
    if not git.is_repository(repo):
        info(f"making a shared clone of {path} (objects are borrowed, not copied)")
        git.shared_clone(common, repo)
    else:
        git.fetch_all(repo, common)
    git.update_ref(repo, "refs/kwb/base", base)
    return Tree(repo, base, f"git:{path}@{base_ref}")


def has_commit(tree: Tree, rev: str) -> str | None:
    return git.resolve(tree.repo, rev)


def _worktree_dir(repo: Path, name: str) -> Path:
    return paths.worktrees_dir() / f"{repo.stem}-{name}"


def worktree_path(tree: Tree, name: str) -> Path:
    return _worktree_dir(tree.repo, name)


def worktree(tree: Tree, name: str, commit: str, *, checkout: bool = True) -> Path:
    """A tool-owned worktree called ``name``, checked out (detached, clean) at ``commit``.

    Reusing the worktree keeps unchanged files' mtimes, so incremental builds stay incremental.
    With ``checkout=False`` an existing worktree is returned as it is (the caller decides).
    """
    wt = worktree_path(tree, name)
    if not checkout and (wt / ".git").exists():
        return wt
    if not (wt / ".git").exists():
        shutil.rmtree(wt, ignore_errors=True)
        info(f"checking out {commit[:12]} into {wt}")
        git.worktree_add(tree.repo, wt, commit)
    else:  # an interrupted am must not linger
        git.checkout_clean(wt, commit)
    return wt
