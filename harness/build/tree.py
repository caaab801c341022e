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

    def git(self, *args: str, check: bool = True) -> str:
        return run(["git", "--git-dir", str(self.repo), *args], check=check).stdout.strip()


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
            run(["apt-get", "install", "-y", "-q", "--allow-downgrades",
                 f"{pin.package}={pin.version}"], env=env, what="apt-get install")
    digest = sha256_file(pin.tarball)
    if digest != pin.sha256:
        raise WorkbenchError(
            f"{pin.tarball}: sha256 {digest} differs from the pinned {pin.sha256} "
            f"({PIN_FILE.name}, {pin.package}={pin.version}); refusing to import a tree that is "
            "not the pinned one."
        )
    return pin.tarball


def commit_env(pin: Pin) -> dict[str, str]:
    return {
        "GIT_AUTHOR_NAME": pin.author_name,
        "GIT_AUTHOR_EMAIL": pin.author_email,
        "GIT_AUTHOR_DATE": pin.date,
        "GIT_COMMITTER_NAME": pin.author_name,
        "GIT_COMMITTER_EMAIL": pin.author_email,
        "GIT_COMMITTER_DATE": pin.date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }


def import_tarball(
    repo: Path, tarball: Path, topdir: str, pin: Pin, message: str, parent: str | None = None
) -> str:
    """Import an unpacked source tarball as one commit (on ``parent`` if given).

    Debian's tarball carries a ``.gitignore`` that ignores everything at the top level, so the
    files are added with ``--force``: the commit holds exactly the tarball's files.
    """
    if not (repo / "HEAD").exists():
        run(["git", "init", "-q", "--bare", str(repo)])
        for key, val in (("core.autocrlf", "false"), ("core.fileMode", "true"),
                         ("core.symlinks", "true"), ("gc.auto", "0"),
                         ("commit.gpgSign", "false")):
            run(["git", "--git-dir", str(repo), "config", key, val])
    scratch = repo.parent / f".unpack-{repo.name}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    index = scratch / "index"
    try:
        info(f"unpacking {tarball} (about 10 s)")
        with tarfile.open(tarball) as tf:
            tf.extractall(scratch, filter="tar")
        src = scratch / topdir
        if not src.is_dir():
            raise WorkbenchError(f"{tarball}: has no top directory {topdir}/")
        env = {**commit_env(pin), "GIT_INDEX_FILE": str(index)}
        git = ["git", "--git-dir", str(repo), "--work-tree", str(src)]
        info("importing into git (about a minute)")
        run([*git, "add", "--force", "--all", "."], env=env, what="git add")
        tree = run([*git, "write-tree"], env=env).stdout.strip()
        cmd = [*git, "commit-tree", tree, "-m", message]
        if parent:
            cmd += ["-p", parent]
        return run(cmd, env=env).stdout.strip()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def pinned_tree(pin: Pin | None = None) -> Tree:
    """The pinned Debian tree, imported once and reused."""
    pin = pin or load_pin()
    repo = paths.repos_dir() / f"{pin.slug}.git"
    ref = "refs/tags/kwb-pinned"
    if (repo / "HEAD").exists():
        res = run(["git", "--git-dir", str(repo), "rev-parse", "-q", "--verify", ref + "^{commit}"],
                  check=False)
        if res.returncode == 0:
            return Tree(repo, res.stdout.strip(), f"debian:{pin.package}={pin.version}")
    tarball = ensure_tarball(pin)
    msg = (f"Import Debian {pin.package} {pin.version}\n\n"
           f"Unpacked from {tarball.name} (sha256 {pin.sha256}).\n")
    commit = import_tarball(repo, tarball, pin.topdir, pin, msg)
    run(["git", "--git-dir", str(repo), "update-ref", ref, commit])
    info(f"pinned tree imported: base commit {commit}")
    return Tree(repo, commit, f"debian:{pin.package}={pin.version}")


def user_tree(path: Path, base_ref: str) -> Tree:
    """A developer's linux.git: a tool-owned ``--shared`` bare clone, so nothing of theirs moves."""
    path = path.expanduser().resolve()
    res = run(["git", "-C", str(path), "rev-parse", "--git-common-dir"], check=False)
    if res.returncode != 0:
        raise WorkbenchError(f"--tree {path}: not a git repository")
    common = (path / res.stdout.strip()).resolve()
    resolved = run(["git", "-C", str(path), "rev-parse", "-q", "--verify", base_ref + "^{commit}"],
                   check=False)
    if resolved.returncode != 0:
        raise WorkbenchError(f"--base {base_ref}: no such commit in {path}")
    base = resolved.stdout.strip()
    key = hashlib.sha256(str(common).encode()).hexdigest()[:12]
    repo = paths.repos_dir() / f"user-{path.name}-{key}.git"
    if not (repo / "HEAD").exists():
        info(f"making a shared clone of {path} (objects are borrowed, not copied)")
        run(["git", "clone", "-q", "--bare", "--shared", str(common), str(repo)], what="git clone")
        run(["git", "--git-dir", str(repo), "config", "gc.auto", "0"])
    else:
        run(["git", "--git-dir", str(repo), "fetch", "-q", str(common),
             "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], check=False)
    run(["git", "--git-dir", str(repo), "update-ref", "refs/kwb/base", base])
    return Tree(repo, base, f"git:{path}@{base_ref}")


def has_commit(tree: Tree, rev: str) -> str | None:
    res = run(["git", "--git-dir", str(tree.repo), "rev-parse", "-q", "--verify",
               rev + "^{commit}"], check=False)
    return res.stdout.strip() if res.returncode == 0 else None


def worktree_path(tree: Tree, name: str) -> Path:
    return paths.worktrees_dir() / f"{tree.repo.stem}-{name}"


def worktree(tree: Tree, name: str, commit: str, *, checkout: bool = True) -> Path:
    """A tool-owned worktree called ``name``, checked out (detached, clean) at ``commit``.

    Reusing the worktree keeps unchanged files' mtimes, so incremental builds stay incremental.
    With ``checkout=False`` an existing worktree is returned as it is (the caller decides).
    """
    wt = worktree_path(tree, name)
    if not checkout and (wt / ".git").exists():
        return wt
    git = ["git", "--git-dir", str(tree.repo)]
    if not (wt / ".git").exists():
        shutil.rmtree(wt, ignore_errors=True)
        run([*git, "worktree", "prune"], check=False)
        info(f"checking out {commit[:12]} into {wt}")
        run([*git, "worktree", "add", "-q", "--force", "--detach", str(wt), commit],
            what="git worktree add")
    else:
        wgit = ["git", "-C", str(wt)]
        run([*wgit, "am", "--abort"], check=False)  # an interrupted am must not linger
        run([*wgit, "checkout", "-q", "--force", "--detach", commit], what="git checkout")
        run([*wgit, "clean", "-q", "-fdx"], what="git clean")
    return wt
