"""Base histories to bisect on, built offline in the tool-owned repository.

The pinned tree is one commit; a bisection needs a history.  Two ways to make one:

* ``versions``: several Debian ``linux-source-6.12`` package versions (fetched with
  ``apt-get download``), each imported as a commit on the previous one, oldest first, with
  fixed identity and increasing fixed dates — the same ids on every machine.
* ``synthetic``: N commits on a base commit (the pinned one): ordinary churn (comments, docs,
  a driver message the small config does not build) in files the series does not touch, and
  at position k ONE commit that breaks guest_memfd — ``behaviour`` (fallocate(PUNCH_HOLE) at
  or past i_size fails with -EINVAL, so guest_memfd_test fails) or ``context`` (a line of
  virt/kvm/guest_memfd.c that the series changes is edited, so the series stops applying).
  Made with plumbing (a temporary index, hash-object, commit-tree): no checkout, seconds.

Both end in a named ref (``refs/heads/kwb/history-...``); docs/bisect.md says how to bisect
them.  ``kwb history --help`` is the command line.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import paths
from harness.build import git
from harness.build import series as series_mod
from harness.build import tree as tree_mod
from harness.errors import WorkbenchError
from harness.proc import info, run

GMEM_PATH = "virt/kvm/guest_memfd.c"
AUTHOR_NAME = "kwb history"
AUTHOR_EMAIL = "kwb@invalid"
SYNTHETIC_START = datetime(2025, 1, 2, tzinfo=UTC)  # after the pinned import's date
VERSIONS_START = datetime(2024, 12, 1, tzinfo=UTC)
CONTEXT_MARK = "/* kwb-history: context drift */"


@dataclass(frozen=True)
class Edit:
    """Replace the one occurrence of ``old`` in ``path`` by ``new``; ``old == ""`` appends
    ``new`` (creating the file if needed)."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Breakage:
    """The one breaking commit of a synthetic history."""

    name: str  # short, used in the ref name: "behaviour", "context", ...
    subject: str
    body: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class History:
    ref: str
    base: str  # the good end (the commit the history starts from)
    commits: tuple[str, ...]  # oldest first; commits[-1] is the bad end
    kind: str  # "synthetic-<breakage>" or "versions"
    k: int | None = None  # 1-based position of the breaking commit (synthetic)
    labels: tuple[str, ...] = ()  # versions: the package version of each commit

    @property
    def first_bad(self) -> str | None:
        return self.commits[self.k - 1] if self.k else None

    @property
    def bad(self) -> str:
        return self.commits[-1]


# --------------------------------------------------------------------------- the breakages

_FALLOCATE_CHECK = "\tif (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))\n\t\treturn -EINVAL;\n"


def guest_memfd_behaviour_break() -> Breakage:
    """A plausible-looking "hardening" of kvm_gmem_fallocate() that makes guest_memfd_test
    fail: its ``fallocate(PUNCH_HOLE) at total_size should succeed`` now gets -EINVAL."""
    new = (_FALLOCATE_CHECK
           + "\n\t/* There is nothing to punch past the end of the file. */\n"
           "\tif ((mode & FALLOC_FL_PUNCH_HOLE) &&\n"
           "\t    offset + len > i_size_read(file_inode(file)))\n"
           "\t\treturn -EINVAL;\n")
    return Breakage(
        "behaviour",
        "KVM: guest_memfd: reject PUNCH_HOLE beyond i_size",
        "kwb synthetic breaking commit: fallocate(FALLOC_FL_PUNCH_HOLE) on a range that ends\n"
        "past i_size now fails with -EINVAL, which breaks the guest_memfd ABI that\n"
        "tools/testing/selftests/kvm/guest_memfd_test.c checks (test_fallocate:\n"
        "\"fallocate(PUNCH_HOLE) at total_size should succeed\").",
        (Edit(GMEM_PATH, _FALLOCATE_CHECK, new),),
    )


# Lines of the 6.12 guest_memfd.c that a guestmem conversion changes (used when no series is
# given to read them from): the folio lookup and the ->free_folio hook.
DEFAULT_CONTEXT_LINES = (
    "\treturn filemap_grab_folio(inode->i_mapping, index);",
    "static void kvm_gmem_free_folio(struct folio *folio)",
    "\t.free_folio = kvm_gmem_free_folio,",
)


def patch_removed_lines(patch: Path, path: str) -> list[str]:
    """The lines a patch (mbox or plain diff) removes or changes in ``path``."""
    out: list[str] = []
    current = None
    old_left = new_left = 0  # lines still to come in the current hunk
    for line in patch.read_text(errors="replace").splitlines():
        if old_left > 0 or new_left > 0:
            tag = line[:1]
            if tag in (" ", ""):
                old_left, new_left = old_left - 1, new_left - 1
            elif tag == "-":
                old_left -= 1
                if current == path:
                    out.append(line[1:])
            elif tag == "+":
                new_left -= 1
            continue  # "\ No newline at end of file" and the like
        if line.startswith("diff --git "):
            m = re.match(r"^diff --git a/(\S+) b/(\S+)", line)
            current = m[1] if m else None
        elif m := re.match(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", line):
            old_left = int(m[1]) if m[1] is not None else 1
            new_left = int(m[2]) if m[2] is not None else 1
    return out


def patch_files(patches: Sequence[Path]) -> set[str]:
    """The files a series touches (both sides of every diff)."""
    return {f for p in patches for f in series_mod.diff_files(p.read_bytes())}


def _safe_code_lines(text: str) -> list[bool]:
    """For each line: can a trailing ``/* ... */`` be appended without changing the code?
    (Not inside a block comment at its end, not a macro continuation, not a directive.)"""
    safe = []
    in_comment = False
    for line in text.split("\n"):
        i = 0
        while i < len(line):
            if in_comment:
                j = line.find("*/", i)
                if j < 0:
                    i = len(line)
                    break
                in_comment, i = False, j + 2
            else:
                j = line.find("/*", i)
                k = line.find("//", i)
                if k >= 0 and (j < 0 or k < j):
                    break
                if j < 0:
                    break
                in_comment, i = True, j + 2
        stripped = line.strip()
        safe.append(not in_comment and bool(stripped) and not stripped.endswith("\\")
                    and not stripped.startswith(("#", "*", "/*", "//")))
    return safe


def series_context_break(repo: Path, base: str, patches: Sequence[Path] = (),
                         path: str = GMEM_PATH, patch_no: int | None = None) -> Breakage:
    """A commit that edits a line of ``path`` which the series changes, so that the series
    no longer applies (not even with ``git am -3``: both sides change that line).

    The line is read from the last patch that changes ``path`` (or patch number ``patch_no``,
    1-based), so the series stops applying part-way; without patches, DEFAULT_CONTEXT_LINES
    are edited.  The edit only appends a comment: the tree still builds and behaves the same.
    """
    text = _read_blob(repo, f"{base}:{path}").decode(errors="surrogateescape")
    lines = text.split("\n")
    safe = _safe_code_lines(text)
    chosen: list[str] = []
    source = "the default guestmem conversion context"
    selected = list(reversed(list(enumerate(patches, 1))))
    if patch_no is not None:
        selected = [(n, p) for n, p in selected if n == patch_no]
        if not selected:
            raise WorkbenchError(f"--patch {patch_no}: the series has {len(patches)} patch(es)")
    for n, patch in selected:
        for removed in patch_removed_lines(patch, path):
            idx = [i for i, ln in enumerate(lines) if ln == removed]
            if len(idx) == 1 and safe[idx[0]]:
                chosen = [removed]
                source = f"patch {n} ({patch.name})"
                break
        if chosen:
            break
    if not chosen:
        if patches and patch_no is not None:
            raise WorkbenchError(f"patch {patch_no} changes no code line of {path} that occurs "
                                 "once: cannot make its context drift")
        chosen = [ln for ln in DEFAULT_CONTEXT_LINES if lines.count(ln) == 1]
        if not chosen:
            raise WorkbenchError(f"{path} at {base[:12]}: none of the default context lines is "
                                 "there; pass the series (--patches) to read them from it")
    edits = tuple(Edit(path, ln + "\n", f"{ln} {CONTEXT_MARK}\n") for ln in chosen)
    shown = "\n".join(f"  {ln.strip()}" for ln in chosen)
    return Breakage(
        "context",
        "KVM: guest_memfd: annotate folio handling",
        f"kwb synthetic breaking commit: edits lines of {path}\n"
        f"that the series changes (read from {source}),\n"
        f"so that the series no longer applies from here on:\n{shown}\n"
        "The code is unchanged: a comment is appended.",
        edits,
    )


# --------------------------------------------------------------------------- churn

# Cycled through by the synthetic history: a str appends a comment to that file; an Edit is a
# small harmless code change (driver messages; neither driver is in the small config).
KERNEL_CHURN: tuple[str | Edit, ...] = (
    "Documentation/process/changes.rst",
    Edit("drivers/net/ethernet/realtek/r8169_main.c",
         '"Mem-Wr-Inval unavailable\\n"', '"Memory-Write-Invalidate unavailable\\n"'),
    "lib/string.c",
    "Documentation/virt/kvm/api.rst",
    Edit("drivers/net/ethernet/intel/e1000e/netdev.c",
         '"Gigabit has been disabled, downgrading speed\\n"',
         '"Gigabit disabled, downgrading speed\\n"'),
    "sound/core/init.c",
    "mm/mmap.c",
    "fs/ext4/super.c",
    "README",
    "drivers/gpu/drm/drm_file.c",
)


def _comment(path: str, i: int) -> str:
    text = f"kwb-history: churn commit {i} (comment only)"
    if path.endswith((".c", ".h")):
        return f"/* {text} */\n"
    if path.endswith(".rst"):
        return f"\n.. {text}\n"
    if path.endswith((".txt", ".md")) or "/" not in path and path.isupper():
        return f"{text}\n"
    return f"# {text}\n"


def _area(path: str) -> str:
    if path.startswith("Documentation/"):
        return "docs"
    parts = path.split("/")
    if len(parts) == 1:
        return path
    if parts[0] == "drivers" and len(parts) > 2:
        return parts[-2]
    return "/".join(parts[:2]).removesuffix(".c").removesuffix(".h")


def _churn_plan(repo: Path, base: str, churn: Sequence[str | Edit] | None,
                avoid: Collection[str]) -> list[str | Edit]:
    def path_of(c: str | Edit) -> str:
        return c.path if isinstance(c, Edit) else c

    def exists(p: str) -> bool:
        return git.has_object(repo, f"{base}:{p}")

    plan = [c for c in (KERNEL_CHURN if churn is None else churn)
            if path_of(c) not in avoid and (churn is not None or exists(path_of(c)))]
    if plan:
        return plan
    listed = git.run(repo, "ls-tree", "-r", "--name-only", base)
    files = [f for f in listed.splitlines()
             if f.endswith((".c", ".h", ".rst", ".txt", ".md")) and f not in avoid]
    return list(files[:8]) or ["kwb-churn.txt"]


# --------------------------------------------------------------------------- plumbing


def _read_blob(repo: Path, spec: str, env: dict[str, str] | None = None) -> bytes:
    return git.read_blob(repo, spec, env)


def _identity(when: datetime) -> dict[str, str]:
    stamp = when.isoformat()
    return {"GIT_AUTHOR_NAME": AUTHOR_NAME, "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
            "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_NAME": AUTHOR_NAME,
            "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL, "GIT_COMMITTER_DATE": stamp,
            **git.NO_USER_CONFIG}


def _apply_edit(repo: Path, edit: Edit, env: dict[str, str], *, optional: bool = False) -> bool:
    """Stage ``edit`` in the index of ``env``; False if ``optional`` and its text is not there
    exactly once (an error otherwise)."""
    staged = git.run(repo, "ls-files", "-s", "--", edit.path, env=env).split()
    mode = staged[0] if staged else "100644"
    content = _read_blob(repo, f":{edit.path}", env=env).decode(
        errors="surrogateescape") if staged else ""
    if edit.old:
        count = content.count(edit.old)
        if count != 1 and optional:
            return False
        if count != 1:
            raise WorkbenchError(f"{edit.path}: expected the text to edit once, found it "
                                 f"{count} times: {edit.old[:80]!r}")
        content = content.replace(edit.old, edit.new)
    else:
        if content and not content.endswith("\n"):
            content += "\n"
        content += edit.new
    blob = git.write_blob(repo, content.encode(errors="surrogateescape"))
    git.run(repo, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{edit.path}", env=env)
    return True


def _commit(repo: Path, parent: str, message: str, env: dict[str, str]) -> str:
    return git.commit_tree(repo, git.run(repo, "write-tree", env=env), message, (parent,), env)


def synthetic(repo: Path, base: str, n: int, k: int, breakage: Breakage, *,
              churn: Sequence[str | Edit] | None = None, avoid: Collection[str] = (),
              ref: str | None = None) -> History:
    """N commits on ``base``: churn, and ``breakage`` as commit number ``k`` (1-based).

    Churn goes to ``churn`` (default KERNEL_CHURN, those present) minus ``avoid`` (pass the
    series' files) and the breakage's files.  Ids depend only on the inputs: fixed identity,
    dates SYNTHETIC_START + i hours.  The result is stored under ``ref`` (default
    refs/heads/kwb/history-synthetic-<breakage>-n<N>-k<K>).
    """
    if not 1 <= k <= n:
        raise WorkbenchError(f"the breaking commit must be one of the {n} commits (1..{n}), "
                             f"not {k}")
    resolved = git.resolve(repo, base)
    if resolved is None:
        raise WorkbenchError(f"{base}: no such commit in {repo}")
    base = resolved
    avoid = set(avoid) | {e.path for e in breakage.edits}
    plan = _churn_plan(repo, base, churn, avoid)
    ref = ref or f"refs/heads/kwb/history-synthetic-{breakage.name}-n{n}-k{k}"
    commits: list[str] = []
    with git.temporary_index(repo, base) as index:
        used_code_edits: set[Edit] = set()
        parent = base
        for i in range(1, n + 1):
            env = {**_identity(SYNTHETIC_START + timedelta(hours=i)), **index}
            trailer = f"Kwb-History: synthetic-{breakage.name} {i}/{n}"
            if i == k:
                for edit in breakage.edits:
                    _apply_edit(repo, edit, env)
                message = f"{breakage.subject}\n\n{breakage.body}\n\n{trailer}\n"
            else:
                item = plan[(i - 1 - (i > k)) % len(plan)]
                edit, what = item, "reword a message"
                if not isinstance(item, Edit) or item in used_code_edits or not _apply_edit(
                        repo, item, env, optional=True):
                    p = item.path if isinstance(item, Edit) else item
                    edit, what = Edit(p, "", _comment(p, i)), "add a comment"
                    _apply_edit(repo, edit, env)
                if isinstance(item, Edit):
                    used_code_edits.add(item)
                message = (f"{_area(edit.path)}: {what} ({Path(edit.path).name})\n\n"
                           "kwb synthetic churn: an ordinary change the series does not "
                           f"depend on.\n\n{trailer}\n")
            parent = _commit(repo, parent, message, env)
            commits.append(parent)
    git.update_ref(repo, ref, commits[-1])
    return History(ref, base, tuple(commits), f"synthetic-{breakage.name}", k)


def series_applies(repo: Path, commit: str, patches: Sequence[Path]) -> tuple[bool, str]:
    """Does the series apply on ``commit`` (as ``git am -3`` would, 3-way fallback included)?
    Checked in a temporary index: no checkout."""
    with git.temporary_index(repo, commit) as env:
        for p in patches:
            res = git.apply_cached(repo, p, env)
            if not res.ok:
                out = (res.stderr + res.stdout).strip().splitlines()
                detail = [ln for ln in out if re.search(r"conflict|error|not apply|^U ", ln,
                                                         re.I)] or out[-3:]
                return False, f"{p.name}: " + " | ".join(detail[:4])
    return True, ""


def check(repo: Path, history: Sequence[str], patches: Sequence[Path]) -> list[tuple[str, bool]]:
    """For each commit: does the series apply there?"""
    return [(c, series_applies(repo, c, patches)[0]) for c in history]


# --------------------------------------------------------------------------- package versions


def _dpkg_cmp(a: str, b: str) -> int:
    if a == b:
        return 0
    lt = run(["dpkg", "--compare-versions", a, "lt", b], check=False).returncode == 0
    return -1 if lt else 1


def fetch_deb(package: str, version: str) -> Path:
    """The .deb of ``package=version`` in the cache, fetched with apt-get download if needed."""
    debs = paths.ensure(paths.cache_root() / "debs")
    name = f"{package}_{version.replace(':', '%3a')}_all.deb"
    deb = debs / name
    if deb.is_file():
        return deb
    info(f"downloading {package}={version} with apt-get download (~150 MB)")
    res = run(["apt-get", "download", f"{package}={version}"], cwd=debs, check=False)
    found = sorted(debs.glob(f"{package}_{version.replace(':', '%3a')}_*.deb"))
    if res.returncode != 0 or not found:
        known = run(["apt-cache", "madison", package], check=False).stdout.strip()
        raise WorkbenchError(f"apt-get download {package}={version} failed: "
                             f"{(res.stderr or res.stdout).strip()}\nversions apt knows "
                             f"(run `apt-get update` if this is stale):\n{known}")
    return found[0]


def extract_tarball(deb: Path, package: str, dest: Path) -> Path:
    """The source tarball inside a linux-source .deb (/usr/src/<package>.tar.xz), to ``dest``."""
    member = f"usr/src/{package}.tar.xz"
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = dest / f"{package}.tar.xz"
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tf:
            for ti in tf:
                if ti.name.lstrip("./") == member and ti.isfile():
                    src = tf.extractfile(ti)
                    assert src is not None
                    with open(out, "wb") as fh:
                        while chunk := src.read(1 << 20):
                            fh.write(chunk)
                    break
    finally:
        proc.stdout.close()
        proc.wait()
    if not out.is_file():
        raise WorkbenchError(f"{deb}: has no {member}")
    return out


def _version_tree(repo: Path, pin: tree_mod.Pin, version: str) -> tuple[str, str]:
    """(tree id, tarball sha256) of one package version's source, imported once per repo (a
    parentless commit kept under refs/kwb/versions/); the pinned version reuses kwb-pinned."""
    mark = "refs/kwb/versions/" + re.sub(r"[^A-Za-z0-9.+-]", "_", version)
    if have := git.resolve(repo, mark, "tree"):
        m = re.search(r"sha256 ([0-9a-f]{64})", git.message(repo, mark))
        return have, m[1] if m else "?"
    if version == pin.version and (pinned := git.resolve(repo, "refs/tags/kwb-pinned", "tree")):
        return pinned, pin.sha256
    deb = fetch_deb(pin.package, version)
    with tempfile.TemporaryDirectory(prefix="kwb-deb-", dir=paths.cache_root()) as tmp:
        tarball = extract_tarball(deb, pin.package, Path(tmp))
        digest = tree_mod.sha256_file(tarball)
        info(f"importing {pin.package} {version} (a couple of minutes)")
        commit = tree_mod.import_tarball(
            repo, tarball, pin.topdir, pin,
            f"Import Debian {pin.package} {version}\n\nUnpacked from {tarball.name} "
            f"(sha256 {digest}) of {deb.name}.\n")
    git.update_ref(repo, mark, commit)
    return git.run(repo, "rev-parse", commit + "^{tree}"), digest


def versions(version_list: Sequence[str], *, pin: tree_mod.Pin | None = None,
             repo: Path | None = None) -> History:
    """Package versions (oldest first, whatever the order given) as successive commits in the
    pinned tree's repository, under refs/heads/kwb/history-versions-<first>_<last>.

    Each version is imported once (a couple of minutes; the pinned one is not re-imported);
    the chain itself is cheap: fixed identity, dates VERSIONS_START + i days.
    """
    pin = pin or tree_mod.load_pin()
    repo = repo or tree_mod.pinned_tree(pin).repo
    ordered = sorted(dict.fromkeys(version_list), key=functools.cmp_to_key(_dpkg_cmp))
    if len(ordered) < 2:
        raise WorkbenchError("a versions history needs at least two package versions")
    commits: list[str] = []
    for i, ver in enumerate(ordered):
        tree_id, digest = _version_tree(repo, pin, ver)
        when = (VERSIONS_START + timedelta(days=i)).isoformat()
        env = tree_mod.commit_env(dataclasses.replace(pin, date=when))
        message = (f"Import Debian {pin.package} {ver}\n\nUnpacked from {pin.tarball.name} "
                   f"(sha256 {digest}).\n\nKwb-History: versions {i + 1}/{len(ordered)}\n")
        commits.append(git.commit_tree(repo, tree_id, message, tuple(commits[-1:]), env))
    slug = "_".join(re.sub(r"[^A-Za-z0-9.+-]", "_", v) for v in (ordered[0], ordered[-1]))
    ref = f"refs/heads/kwb/history-versions-{slug}"
    git.update_ref(repo, ref, commits[-1])
    # the good end of a versions history is its first commit: bisect commits[0]..commits[-1]
    return History(ref, commits[0], tuple(commits), "versions", None, tuple(ordered))


# --------------------------------------------------------------------------- command line


def series_patch_files(path: Path | None = None) -> list[Path]:
    """The patch files of a series directory (default patches/) that carry a diff, in order:
    the cover letter is left out.  A file is taken as it is."""
    path = path or paths.PATCHES_DIR
    if path.is_file():
        return [path]
    return [p for p in sorted(path.glob("*.patch"))
            if re.search(r"^diff --git ", p.read_text(errors="replace"), re.M)]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kwb history", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sy = sub.add_parser("synthetic", help="N commits of churn on the pinned base, one breaking")
    sy.add_argument("--mode", choices=("behaviour", "context"), default="behaviour")
    sy.add_argument("-n", type=int, default=16, help="number of commits (default 16)")
    sy.add_argument("-k", type=int, default=11, help="position of the breaking one (1-based)")
    sy.add_argument("--base", default="refs/tags/kwb-pinned")
    sy.add_argument("--patches", type=Path, help="the series (dir or file; default patches/)")
    sy.add_argument("--patch", type=int, help="context mode: the patch whose lines to edit")
    ve = sub.add_parser("versions", help="Debian package versions as successive commits")
    ve.add_argument("version", nargs="+")
    ch = sub.add_parser("check", help="does the series apply at each commit of a history?")
    ch.add_argument("range", help="e.g. kwb-pinned..kwb/history-synthetic-context-n16-k11")
    ch.add_argument("--patches", type=Path)
    args = ap.parse_args(argv)
    notes: list[str] = []
    try:
        if args.cmd == "versions":
            h = versions(args.version)
        else:
            repo = tree_mod.pinned_tree().repo
            patches = series_patch_files(args.patches)
            if args.cmd == "check":
                commits = git.run(repo, "rev-list", "--reverse", args.range).split()
                for c, ok in check(repo, commits, patches):
                    print(f"{c[:12]} {'applies' if ok else 'DOES NOT APPLY'}")
                return 0
            if args.mode == "behaviour":
                brk = guest_memfd_behaviour_break()
            else:
                brk = series_context_break(repo, args.base, patches, patch_no=args.patch)
            h = synthetic(repo, args.base, args.n, args.k, brk, avoid=patch_files(patches))
            if patches:  # say what the series does on either side of the breaking commit
                for label, c in (("before", h.base if h.k == 1 else h.commits[h.k - 2]),
                                 ("at", h.first_bad or h.bad)):
                    ok, why = series_applies(repo, c, patches)
                    notes.append(f"series {'applies' if ok else 'does not apply'} {label} the "
                                 f"breaking commit ({c[:12]}){': ' + why if why else ''}")
    except WorkbenchError as exc:
        print(f"kwb: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"ref:   {h.ref}")
    print(f"good:  {h.base}")
    print(f"bad:   {h.bad}")
    if h.first_bad:
        print(f"first bad (by construction): {h.first_bad} (commit {h.k} of {len(h.commits)})")
    for label, c in zip(h.labels, h.commits, strict=False):
        print(f"  {c[:12]} {label}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
