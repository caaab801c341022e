"""Stage 2 — the series: patches read from a directory of ``git format-patch`` files, or from
mail — an mbox or a lore thread, read by b4 (:mod:`.thread`: the newest revision or the one
asked for, trailers from replies collected) — checked for complete numbering, then applied with
``git am -3`` on a fresh branch of a tool-owned worktree — all at once or one patch at a time.

A patch that does not apply is reported by number, subject, file and hunk, with the nearest
context in the tree and what 3-way could do (:mod:`.conflict`); the worktree is then reset so
that nothing half-applied remains.
"""

from __future__ import annotations

import gzip
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import errors as email_errors
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info

from . import conflict, git, thread
from .tree import Tree, has_commit

LORE_HOST = "lore.kernel.org"
PATCH_SUFFIXES = (".patch", ".eml")
#: Committer identity of the applied commits.  With ``--committer-date-is-author-date`` the same
#: series on the same base always gives the same commit hashes, whoever runs it.
AM_ENV = {
    "GIT_COMMITTER_NAME": "kwb",
    "GIT_COMMITTER_EMAIL": "kwb@localhost",
    **git.NO_USER_CONFIG,  # no am.*, commit.gpgSign, ... from the user's config
}

_PREFIX = re.compile(r"^\s*\[([^\]]*)\]\s*")
_NUMBER = re.compile(r"^(\d+)/(\d+)$")
_VERSION = re.compile(r"^(?:PATCH)?v(\d+)$", re.IGNORECASE)
_REPLY = re.compile(r"^\s*(re|aw|fwd?)\s*:", re.IGNORECASE)
_BASE_COMMIT = re.compile(r"^base-commit:\s*([0-9a-fA-F]{7,64})\s*$", re.MULTILINE)
_CHANGE_ID = re.compile(r"^change-id:\s*(\S+)\s*$", re.MULTILINE)
_GIT_DIFF = re.compile(r"^diff --git ", re.MULTILINE)
_UNIFIED = (re.compile(r"^--- \S", re.MULTILINE), re.compile(r"^\+\+\+ \S", re.MULTILINE),
            re.compile(r"^@@ -\d", re.MULTILINE))
_COVER_NAME = re.compile(r"^(v\d+-)?0000-")
_DIFF_FILES = re.compile(r"^diff --git a/(\S+) b/(\S+)$")


def diff_files(text: str | bytes) -> list[str]:
    """The files a patch touches (both sides of every ``diff --git``), in order, once each."""
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    out: list[str] = []
    for line in text.splitlines():
        if m := _DIFF_FILES.match(line):
            out += [f for f in (m[1], m[2]) if f not in out]
    return out
_NETWORK_FAILURE = ("Could not retrieve", "NameResolutionError", "Failed to resolve",
                    "Max retries exceeded", "ConnectionError", "ConnectTimeout", "timed out",
                    "Temporary failure in name resolution", "Network is unreachable")


@dataclass(frozen=True)
class Patch:
    """One message of the series: a patch (``index`` 1..N) or the cover letter (``index`` 0)."""

    index: int
    total: int
    subject: str  # without the [PATCH ...] prefix
    raw: bytes = field(repr=False)  # the message as git am reads it
    origin: str  # where it came from: "DIR/0001-foo.patch" or "FILE (message 2)"
    path: Path | None = None  # the file, when the message is a file of its own
    message_id: str | None = None
    author: str | None = None
    version: int = 1

    @property
    def label(self) -> str:
        return f"{self.index}/{self.total}"


@dataclass(frozen=True)
class Series:
    title: str
    version: int
    patches: tuple[Patch, ...]
    cover: Patch | None
    base_commit: str | None
    change_id: str | None
    source: str  # "dir:PATH", "mbox:PATH" or "msgid:ID"
    base_commit_origin: str | None = None  # the message the base-commit trailer was read from

    @property
    def count(self) -> int:
        """The number of patches (the cover letter not counted); 0 for an empty series."""
        return len(self.patches)


@dataclass(frozen=True)
class AppliedCommit:
    index: int
    total: int
    subject: str  # the commit's subject line
    commit: str  # full hash


# --------------------------------------------------------------------------- parsing


@dataclass
class _Msg:
    origin: str
    raw: bytes
    path: Path | None
    subject: str
    index: int | None
    total: int | None
    version: int
    text: str
    author: str
    message_id: str | None
    cover_name: bool = False
    has_diff: bool = field(init=False)

    def __post_init__(self) -> None:
        self.has_diff = bool(_GIT_DIFF.search(self.text)) or all(
            r.search(self.text) for r in _UNIFIED)


def split_subject(subject: str) -> tuple[int | None, int | None, int, str]:
    """``[RFC PATCH v3 01/12] foo: bar`` → (1, 12, 3, "foo: bar"); unnumbered gives None."""
    rest = " ".join(subject.split())
    index = total = None
    version = 1
    while m := _PREFIX.match(rest):
        for tok in m[1].replace(",", " ").split():
            if n := _NUMBER.match(tok):
                index, total = int(n[1]), int(n[2])
            elif v := _VERSION.match(tok):
                version = int(v[1])
        rest = rest[m.end():]
    return index, total, version, rest


def _body_text(msg: EmailMessage) -> str:
    chunks: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            charset = part.get_content_charset() or "utf-8"
            try:
                chunks.append(payload.decode(charset, errors="replace"))
            except LookupError:
                chunks.append(payload.decode("utf-8", errors="replace"))
    return "\n".join(chunks)


def _parse_message(raw: bytes, origin: str, path: Path | None = None) -> _Msg:
    """Parse one e-mail; a message that is not a patch e-mail is an error naming ``origin``."""
    if not raw.strip():
        raise WorkbenchError(f"{origin}: empty message")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        if any(isinstance(d, email_errors.MissingHeaderBodySeparatorDefect) for d in msg.defects):
            raise WorkbenchError(f"{origin}: unparsable mail headers (not an e-mail message?)")
        subject_h, from_h = msg["subject"], msg["from"]
        if subject_h is None or from_h is None:
            missing = " and ".join(h for h, v in (("Subject:", subject_h), ("From:", from_h))
                                   if v is None)
            raise WorkbenchError(f"{origin}: unparsable mail headers: no {missing} header")
        addresses = getattr(from_h, "addresses", ())
        if not any("@" in a.addr_spec for a in addresses):
            raise WorkbenchError(f"{origin}: unparsable From: header {str(from_h)!r} "
                                 "(git am needs the author's e-mail address)")
        subject, author = str(subject_h), str(from_h)
        mid = msg["message-id"]
        text = _body_text(msg)
    except (ValueError, TypeError, IndexError, LookupError,
            email_errors.MessageError) as exc:
        raise WorkbenchError(f"{origin}: unparsable message: {exc}") from exc
    index, total, version, bare = split_subject(subject)
    message_id = str(mid).strip().strip("<>") if mid else None
    return _Msg(origin, raw, path, bare, index, total, version, text, author, message_id,
                cover_name=path is not None and bool(_COVER_NAME.match(path.name)))


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot read: {exc.strerror}") from exc


def _mbox_bytes(path: Path) -> bytes:
    """The bytes of an mbox file, gunzipped if needed (lore serves threads as .mbox.gz)."""
    data = _read_file(path)
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise WorkbenchError(f"{path}: corrupt gzip file: {exc}") from exc
    return data


def _assemble(msgs: list[_Msg], source: str, where: str) -> Series:
    """Sort out cover letter, numbering and trailers of a series' messages."""
    replies = [m for m in msgs if _REPLY.match(m.subject)]  # a whole thread was given
    skipped = f"{len(replies)} repl{'ies' if len(replies) > 1 else 'y'}"
    if replies:
        info(f"{where}: skipping {skipped} in the thread")
        msgs = [m for m in msgs if not _REPLY.match(m.subject)]
    versions: dict[int, list[str]] = {}
    for m in msgs:
        versions.setdefault(m.version, []).append(Path(m.origin).name)
    if len(versions) > 1:
        listing = "; ".join(f"v{v}: {', '.join(names)}" for v, names in sorted(versions.items()))
        raise WorkbenchError(f"{where}: mixes versions of the series ({listing}); "
                             "remove the stale ones")

    covers = [m for m in msgs if m.index == 0 or m.cover_name]
    patches = [m for m in msgs if not (m.index == 0 or m.cover_name)]
    if len(covers) > 1:
        raise WorkbenchError(f"{where}: more than one cover letter: "
                             + ", ".join(m.origin for m in covers))
    cover = covers[0] if covers else None
    if cover and cover.has_diff:
        raise WorkbenchError(f"{cover.origin}: the cover letter contains a diff")
    if not patches:
        what = ["only a cover letter"] * bool(cover) + [skipped] * bool(replies)
        raise WorkbenchError(f"{where}: no patches" + (f" ({', '.join(what)})" if what else ""))
    for m in patches:
        if not m.has_diff:
            raise WorkbenchError(f"{m.origin}: message {m.subject!r} has no diff")

    numbered = [m for m in patches if m.index is not None]
    if not numbered:  # "[PATCH] foo" files: take them in order
        for i, m in enumerate(patches, 1):
            m.index, m.total = i, len(patches)
    elif len(numbered) != len(patches):
        raise WorkbenchError(f"{where}: unnumbered patch among numbered ones: "
                             + ", ".join(m.origin for m in patches if m.index is None))
    _check_numbering(patches, cover, where)
    patches.sort(key=lambda m: m.index or 0)
    total = len(patches)

    base_commit = change_id = base_origin = None
    for m in [*covers, *patches]:
        if base_commit is None and (b := _BASE_COMMIT.search(m.text)):
            base_commit, base_origin = b[1].lower(), m.origin
        if change_id is None and (c := _CHANGE_ID.search(m.text)):
            change_id = c[1]
    version = next(iter(versions))

    def make(m: _Msg, index: int) -> Patch:
        return Patch(index, total, m.subject, m.raw, m.origin, m.path, m.message_id, m.author,
                     m.version)

    cover_patch = make(cover, 0) if cover else None
    if cover and "*** SUBJECT HERE ***" in cover.subject:
        info(f"{cover.origin}: the cover letter still has git's template subject")
    title = cover.subject if cover else patches[0].subject
    return Series(title, version, tuple(make(m, m.index or 0) for m in patches), cover_patch,
                  base_commit, change_id, source, base_origin)


def _check_numbering(patches: list[_Msg], cover: _Msg | None, where: str) -> None:
    totals: dict[int, list[str]] = {}
    for m in [*patches, *([cover] if cover and cover.total is not None else [])]:
        totals.setdefault(m.total or 0, []).append(f"{Path(m.origin).name} ({m.index}/{m.total})")
    if len(totals) > 1:
        raise WorkbenchError(f"{where}: inconsistent patch count: "
                             + "; ".join(", ".join(v) for v in totals.values()))
    total = next(iter(totals))
    seen: dict[int, str] = {}
    for m in patches:
        assert m.index is not None
        if m.index in seen:
            raise WorkbenchError(f"{where}: patch {m.index}/{total} appears twice: "
                                 f"{seen[m.index]} and {m.origin}")
        if not 1 <= m.index <= total:
            raise WorkbenchError(f"{m.origin}: patch number {m.index}/{total} is out of range")
        seen[m.index] = m.origin
    missing = [i for i in range(1, total + 1) if i not in seen]
    if missing:
        raise WorkbenchError(
            f"{where}: incomplete series: patch {', '.join(f'{i}/{total}' for i in missing)} "
            f"missing (have {', '.join(str(i) for i in sorted(seen))})")


def empty_series(source: str) -> Series:
    return Series("", 1, (), None, None, None, source)


def from_dir(directory: Path = paths.PATCHES_DIR, *, allow_empty: bool = False) -> Series:
    """The series in a directory of format-patch files (``*.patch``, ``*.eml``), in name order.

    An empty directory gives a series of zero patches when ``allow_empty``, else an error.
    """
    if not directory.is_dir():
        raise WorkbenchError(f"patches directory {directory} does not exist")
    files = sorted(p for p in directory.iterdir()
                   if p.is_file() and p.suffix in PATCH_SUFFIXES and not p.name.startswith("."))
    if not files:
        if allow_empty:
            return empty_series(f"dir:{directory}")
        raise WorkbenchError(f"no patches in {directory} (expected git format-patch files, "
                             f"{' or '.join('*' + s for s in PATCH_SUFFIXES)})")
    msgs = [_parse_message(_read_file(f), str(f), f) for f in files]
    return _assemble(msgs, f"dir:{directory}", str(directory))


def from_mbox(path: Path, *, revision: int | None = None, source: str | None = None) -> Series:
    """The series in an mbox file or a thread (several revisions, replies), read by b4: the
    newest revision (or ``revision``), with the trailers given in replies collected."""
    if not path.is_file():
        raise WorkbenchError(f"--mbox {path}: no such file")
    data = _mbox_bytes(path)
    if not data.strip():
        raise WorkbenchError(f"{path}: no patches (empty, or not an mbox)")
    where = str(path)
    mails = thread.split(data, where)
    parsed = [_parse_message(m.raw, m.origin) for m in mails]  # kwb's own header checks
    versions = [m.version for m in parsed if not _REPLY.match(m.subject)]
    if replies := len(parsed) - len(versions):
        info(f"{where}: skipping {replies} repl{'ies' if replies > 1 else 'y'} in the thread "
             "(b4 collects the trailers they give)")
    if revision is not None or versions:
        _check_claimed_patches(parsed, revision or max(versions), where)
    picked = thread.pick(mails, where, revision)
    if len(picked.revisions) > 1 or revision is not None:
        others = [f"v{r}" for r in picked.revisions if r != picked.revision]
        info(f"{where}: using v{picked.revision}"
             + (" (chosen with --revision)" if revision is not None else ", the newest")
             + (f"; also in the thread: {', '.join(others)} (--revision N picks another)"
                if others else ""))
    if picked.trailers:
        info(f"{where}: trailers from replies, added as b4 does: " + "; ".join(picked.trailers))
    msgs = [_parse_message(m.raw, m.origin) for m in picked.patches]
    if picked.cover is not None:
        cover = _parse_message(picked.cover.raw, picked.cover.origin)
        cover.cover_name = True
        msgs.insert(0, cover)
    return _assemble(msgs, source or f"mbox:{path}", where)


def _check_claimed_patches(msgs: list[_Msg], version: int, where: str) -> None:
    """Every message of revision ``version`` numbered as a patch carries a diff, and no
    number appears twice (b4 would quietly leave such a message out, or renumber)."""
    seen: dict[int, str] = {}
    for m in msgs:
        if _REPLY.match(m.subject) or m.version != version or not m.index:
            continue
        if not m.has_diff:
            raise WorkbenchError(f"{m.origin}: message {m.subject!r} has no diff")
        if m.index in seen:
            raise WorkbenchError(f"{where}: patch {m.index}/{m.total} appears twice: "
                                 f"{seen[m.index]} and {m.origin}")
        seen[m.index] = m.origin


# --------------------------------------------------------------------------- lore / b4


def clean_msgid(msgid: str) -> str:
    """``<id@host>``, ``id:id@host`` or a lore URL → ``id@host``."""
    text = msgid.strip()
    if text.startswith(("http://", "https://")):
        parts = [urllib.parse.unquote(p) for p in urllib.parse.urlparse(text).path.split("/")]
        text = next((p for p in reversed(parts) if "@" in p), text)
    return text.removeprefix("id:").strip().strip("<>")


def _lore_host() -> str:
    """lore.kernel.org, or the host of a ``b4.midmask`` the user configured."""
    res = git.attempt(Path.cwd(), "config", "--get", "b4.midmask")
    host = urllib.parse.urlparse(res.stdout.strip()).hostname if res.ok else None
    return host or LORE_HOST


def unreachable(host: str, timeout: float = 5.0) -> str | None:
    """Why ``host``:443 cannot be reached (None if it can), within about ``timeout`` seconds.

    The probe runs in a thread so that a hanging DNS lookup cannot stall the caller either.
    """
    result: list[str | None] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, 443), timeout=timeout):
                result.append(None)
        except OSError as exc:
            result.append(str(exc) or type(exc).__name__)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 1)
    return result[0] if result else f"no answer within {timeout:.0f} s"


def _offline(msgid: str, host: str, reason: str) -> WorkbenchError:
    return WorkbenchError(
        f"--msgid {msgid}: {host} is unreachable ({reason}); lore is needed to fetch a series "
        f"by message-id. Download the thread where there is network (`b4 mbox {msgid}`, or "
        "the thread's mbox.gz link on lore) and pass that file with --mbox FILE.")


def _b4() -> str:
    local = Path(sys.executable).with_name("b4")
    return str(local) if local.exists() else shutil.which("b4") or "b4"


def from_msgid(msgid: str, outdir: Path | None = None, *, thread_mbox: Path | None = None,
               revision: int | None = None, timeout: float = 120.0,
               probe_timeout: float = 5.0) -> Series:
    """The series of a lore thread: fetched with ``b4 mbox``, then read as any thread is
    (:func:`from_mbox`: newest revision, trailers from replies).

    ``thread_mbox`` is a thread already on disk (nothing is fetched).  Unreachable lore is
    detected quickly and reported with the ``--mbox`` way around it.
    """
    msgid = clean_msgid(msgid)
    if not msgid:
        raise WorkbenchError("--msgid: empty message-id")
    if thread_mbox is not None:
        return from_mbox(thread_mbox, revision=revision, source=f"msgid:{msgid}")
    outdir = outdir or paths.cache_root() / "series" / re.sub(r"[^A-Za-z0-9.@_-]", "_", msgid)
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    host = _lore_host()
    proxied = any(os.environ.get(v) for v in ("https_proxy", "HTTPS_PROXY", "all_proxy",
                                              "ALL_PROXY"))
    if not proxied and (reason := unreachable(host, probe_timeout)):
        raise _offline(msgid, host, reason)
    cmd = [_b4(), "mbox", "-o", str(outdir), "-n", "thread.mbx", msgid]
    env = {**os.environ, "XDG_CACHE_HOME": str(paths.cache_root())}  # b4's cache: ours
    info(f"fetching {msgid} with b4")
    try:
        res = subprocess.run(cmd, cwd=outdir, env=env, text=True, capture_output=True,
                             timeout=timeout)
    except FileNotFoundError as exc:
        raise WorkbenchError("b4 is not installed (pip install b4); it fetches --msgid") from exc
    except subprocess.TimeoutExpired as exc:
        raise _offline(msgid, host, f"b4 got no answer within {timeout:.0f} s") from exc
    output = (res.stdout + res.stderr).strip()
    if res.returncode != 0:
        if any(k in output for k in _NETWORK_FAILURE):
            last = output.splitlines()[-1] if output else ""
            raise _offline(msgid, host, last[:300])
        raise WorkbenchError(f"b4 mbox {msgid} failed (exit {res.returncode}):\n{output[-2000:]}")
    mbx = outdir / "thread.mbx"
    if not mbx.is_file() or not mbx.read_bytes().strip():
        raise WorkbenchError(f"b4 found no thread for {msgid}:\n{output[-2000:]}")
    return from_mbox(mbx, revision=revision, source=f"msgid:{msgid}")


def load(*, patches_dir: Path | None = None, mbox: Path | None = None, msgid: str | None = None,
         allow_empty: bool = False, revision: int | None = None) -> Series:
    """The series from whichever source the command line named (default: the patches dir)."""
    given = [n for n, v in (("--patches", patches_dir), ("--mbox", mbox), ("--msgid", msgid))
             if v is not None]
    if len(given) > 1:
        raise WorkbenchError(f"{' and '.join(given)}: give only one series source")
    if revision is not None and mbox is None and msgid is None:
        raise WorkbenchError(f"--revision {revision}: only for a thread (--mbox or --msgid)")
    if mbox is not None:
        return from_mbox(mbox, revision=revision)
    if msgid is not None:
        return from_msgid(msgid, revision=revision)
    return from_dir(patches_dir or paths.PATCHES_DIR, allow_empty=allow_empty)


# --------------------------------------------------------------------------- base and apply


def resolve_base(series: Series, tree: Tree, override: str | None = None) -> str:
    """The commit the series goes on: ``--base``, else the series' base-commit, else tree.base."""
    if override:
        sha = has_commit(tree, override)
        if sha is None:
            raise WorkbenchError(f"--base {override}: no such commit in {tree.source}")
        if series.base_commit and not sha.startswith(series.base_commit):
            info(f"--base {override} overrides the series' base-commit {series.base_commit}")
        return sha
    if series.base_commit:
        sha = has_commit(tree, series.base_commit)
        if sha is None:
            raise WorkbenchError(
                f"base-commit {series.base_commit} from {series.base_commit_origin} is not in "
                f"{tree.source}; pass --base REF or fetch it")
        return sha
    return tree.base


def _start(tree: Tree, wt: Path, base: str, branch: str) -> str:
    """Check ``wt`` is a worktree of ``tree``, then put ``branch`` (checked out) at ``base``."""
    common = git.common_dir(wt) if wt.is_dir() else None
    if common is None or common != tree.repo.resolve():
        raise WorkbenchError(f"{wt} is not a worktree of {tree.repo} ({tree.source})")
    sha = has_commit(tree, base)
    if sha is None:
        raise WorkbenchError(f"base {base}: no such commit in {tree.source}")
    _reset(wt, branch, sha)
    return sha


def _reset(wt: Path, branch: str, base: str) -> None:
    """Abort any am in progress and put ``branch`` back at ``base`` with a clean worktree."""
    git.checkout_clean(wt, base, branch=branch, env=AM_ENV)


def apply_iter(series: Series, tree: Tree, worktree_path: Path, base: str, branch: str, *,
               log: Path | None = None) -> Iterator[AppliedCommit]:
    """Apply the series one patch at a time, yielding each new commit as it is made.

    ``branch`` is (re)created at ``base`` right away, before the first patch.  Between two
    yields the worktree is clean and checked out at the commit just yielded, so the caller can
    build every patch in turn (``--each-patch``).  Stopping early leaves the branch at the last
    patch yielded.  A patch that fails raises WorkbenchError after resetting to ``base``.
    """
    wt = Path(worktree_path)
    base_sha = _start(tree, wt, base, branch)
    return _am_each(series, tree, wt, base_sha, branch, log)


def _am_each(series: Series, tree: Tree, wt: Path, base: str, branch: str,
             log: Path | None) -> Iterator[AppliedCommit]:
    for patch in series.patches:
        yield _am_one(patch, tree, wt, base, branch, log)


def apply(series: Series, tree: Tree, worktree_path: Path, base: str, branch: str, *,
          upto: int | None = None, log: Path | None = None) -> list[AppliedCommit]:
    """Apply patches 1..``upto`` (default: all) on a fresh ``branch`` at ``base``."""
    count = len(series.patches) if upto is None else upto
    if not 0 <= count <= len(series.patches):
        raise WorkbenchError(f"cannot apply {count} patches of a series of {len(series.patches)}")
    return list(itertools.islice(apply_iter(series, tree, worktree_path, base, branch, log=log),
                                 count))


def _am_one(patch: Patch, tree: Tree, wt: Path, base: str, branch: str,
            log: Path | None) -> AppliedCommit:
    before = git.head(wt)
    with tempfile.TemporaryDirectory(prefix="kwb-am-") as tmp:
        mail = Path(tmp) / "patch.mbox"
        mail.write_bytes(patch.raw if patch.raw.startswith(b"From ")
                         else b"From kwb Mon Sep 17 00:00:00 2001\n" + patch.raw)
        try:
            res = git.am(wt, mail, AM_ENV)
            _log(log, f"git am -3 patch {patch.label} {patch.subject}", res)
            if not res.ok:
                _fail(patch, tree, wt, base, branch, before, mail, res, log)
        except WorkbenchError:
            raise
        except BaseException:
            _reset(wt, branch, base)
            raise
    after = git.head(wt)
    if after == before or git.resolve(wt, "HEAD^") != before:
        _reset(wt, branch, base)
        raise WorkbenchError(
            f"patch {patch.label} {patch.subject!r} ({patch.origin}) changes nothing on "
            f"{before[:12]}: already applied there? (is the base right?) Branch {branch} was "
            f"reset to the base {base[:12]}.", log=str(log) if log else None)
    return AppliedCommit(patch.index, patch.total, git.subject(wt, after), after)


def _log(log: Path | None, title: str, res: git.Result) -> None:
    """git's output into the log, without its advice on continuing an am: kwb aborts it."""
    if log is None:
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    lines = conflict.without_advice(res.output)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"$ {title} (exit {res.status})\n" + "".join(f"{ln}\n" for ln in lines))


def patch_text(raw: bytes) -> str:
    """The decoded text of a patch e-mail (quoted-printable and base64 bodies decoded)."""
    try:
        return _body_text(BytesParser(policy=policy.default).parsebytes(raw))
    except (ValueError, TypeError, LookupError, email_errors.MessageError):
        return raw.decode("utf-8", errors="replace")


def _fail(patch: Patch, tree: Tree, wt: Path, base: str, branch: str, before: str, mail: Path,
          res: git.Result, log: Path | None) -> None:
    """Report a patch that git am could not apply, after undoing everything."""
    git.am_abort(wt, AM_ENV)
    # git am -3 only reports the merge conflicts; git apply names the hunks that do not apply.
    check = git.apply_check(wt, mail, AM_ENV)
    _log(log, f"git apply --check -v patch {patch.label}", check)
    text = patch_text(patch.raw)
    lines = conflict.report(text, res.output, check.output, wt)
    _reset(wt, branch, base)
    applied = git.count(wt, f"{base}..{before}")
    on = f"{base[:12]}" + (f" + {applied} patch{'es' if applied > 1 else ''}" if applied else "")
    if not any(not ln.startswith(("tried:", "  ")) for ln in lines):
        tail = conflict.without_advice(res.output)[-6:]
        lines = (tail or [f"git am exited {res.status}"]) + lines
    raise WorkbenchError(
        f"patch {patch.label} {patch.subject!r} ({patch.origin}) does not apply on {on} "
        f"of {tree.source}:\n  " + "\n  ".join(lines)
        + f"\nnothing was left applied: branch {branch} is back at the base {base[:12]}",
        log=str(log) if log else None)


def am_problems(output: str, raw: bytes = b"") -> list[str]:
    """The files and hunks named in git am / git apply output, one line each, deduplicated."""
    return conflict.problems(output, patch_text(raw) if raw else "")
