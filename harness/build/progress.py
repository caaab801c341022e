"""Build progress: how many objects make will compile, counted as it goes, with an ETA.

The total is what make will actually do, estimated before it starts:

* **cold** (no object in the build dir): the object count measured for the named config in
  ``kernel-config/object-counts.toml`` (shipped, so the very first build has an ETA);
* **incremental**: the objects whose dependencies changed since the last build.  Kbuild writes a
  ``.<obj>.o.cmd`` file beside every object with its ``deps_`` list (headers, and
  ``$(wildcard include/config/FOO)`` for the config symbols it reads); kwb keeps the union of
  those dependencies in ``kwb-deps.json`` with the time of the last build, so an incremental
  estimate is a few thousand ``stat`` calls plus a substring search of the ``.cmd`` files for the
  few that changed — touching one file gives a total of one object, not the 1,700 lines of the
  previous full build.  Without an index (a build dir made by an older kwb) every ``.cmd`` file
  is parsed once (a few seconds).

Progress counts kbuild's compile lines (``CC``/``AS``/``HOSTCC`` of a ``.o``): a rich progress bar
on a terminal, a plain line a minute otherwise (CI).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.proc import info

COMPILE = re.compile(r"^\s+(?:CC|AS|HOSTCC|CC \[M\])\s+(\S+\.o)$")
# kbuild lines that mean work was done ("GEN Makefile" is printed by every O= build)
WORK = re.compile(r"^\s+(CC|AS|LD|AR|CC \[M\]|HOSTCC|OBJCOPY|LDS|UPD|BUILD)\s")
_SOURCE = re.compile(rb"\nsource_\S+ := (\S+)\n")
COUNTS_FILE = paths.KERNEL_CONFIG_DIR / "object-counts.toml"
INDEX = "kwb-deps.json"
#: more changed files than this: parse every .cmd file instead of searching for each one
MAX_NEEDLES = 64
_SKIP_DIRS = {"kselftest", ".git", "source"}
#: Objects compiled on every relink of vmlinux/bzImage (version stamp, kallsyms passes, the
#: boot image's objects that embed vmlinux's offsets), whatever changed: measured here, touching
#: virt/kvm/guest_memfd.c compiles guest_memfd.o and these 8 (3 kallsyms passes).
RELINK = ("init/version-timestamp.o", "arch/x86/boot/version.o",
          "arch/x86/boot/compressed/misc.o", "arch/x86/boot/compressed/piggy.o",
          "arch/x86/boot/header.o")


@dataclass(frozen=True)
class Estimate:
    """What make is expected to compile (None: unknown) and how that was worked out."""

    total: int | None
    how: str


def shipped_count(config_name: str | None, counts_file: Path = COUNTS_FILE,
                  config_sha256: str | None = None) -> int | None:
    """The measured object count of a full build: exact for a .config measured as it is
    (by its sha256), else the named config's figure."""
    try:
        data = tomllib.loads(counts_file.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if config_sha256:
        for entry in data.values():
            measured = entry.get("measured", {}) if isinstance(entry, dict) else {}
            if config_sha256 in measured:
                return int(measured[config_sha256])
    entry = data.get(config_name) if config_name else None
    return int(entry["objects"]) if isinstance(entry, dict) and "objects" in entry else None


def _config_sha256(objdir: Path) -> str | None:
    try:
        return hashlib.sha256((objdir / ".config").read_bytes()).hexdigest()
    except OSError:
        return None


def cmd_files(objdir: Path) -> Iterator[Path]:
    """The ``.<name>.o.cmd`` files of the kernel's objects in a build dir."""
    for root, dirs, files in os.walk(objdir):
        if root == str(objdir):
            dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for name in files:
            if name.startswith(".") and name.endswith(".o.cmd"):
                yield Path(root, name)


def count_objects(objdir: Path, *, host_tools: bool = True) -> int:
    """The kernel's ``*.o`` files in a build dir (as the shipped counts are measured; without
    ``host_tools``, not those of ``scripts/``, which the config step already builds)."""
    n = 0
    skip = _SKIP_DIRS if host_tools else _SKIP_DIRS | {"scripts"}
    for root, dirs, files in os.walk(objdir):
        if root == str(objdir):
            dirs[:] = [d for d in dirs if d not in skip]
        n += sum(1 for name in files if name.endswith(".o"))
    return n


def object_of(cmd: Path) -> Path:
    return cmd.with_name(cmd.name[1:-4])


def deps_of(data: bytes) -> list[str]:
    """The source and the dependencies (``deps_`` list) of a ``.cmd`` file, as written (relative
    to the build dir unless absolute); ``$(wildcard X)`` gives X."""
    out = []
    if m := _SOURCE.search(data):
        out.append(m[1].decode(errors="replace"))
    start = data.find(b"\ndeps_")
    if start < 0:
        return out
    end = data.find(b"\n\n", start + 1)
    block = data[start:end if end >= 0 else len(data)]
    for tok in block.split()[2:]:  # "deps_x.o", ":=", then the list
        if tok in (b"\\", b"$(wildcard"):
            continue
        out.append(tok.rstrip(b")").decode(errors="replace"))
    return out


class _Mtimes(dict[str, int]):
    """Modification times (ns) of dependencies, cached; -1 for a file that does not exist."""

    def __init__(self, objdir: Path) -> None:
        super().__init__()
        self.objdir = objdir

    def __missing__(self, dep: str) -> int:
        try:
            value = os.stat(os.path.join(self.objdir, dep)).st_mtime_ns
        except OSError:
            value = -1
        self[dep] = value
        return value


def _obj_mtime(cmd: Path) -> int:
    try:
        return object_of(cmd).stat().st_mtime_ns
    except OSError:
        return -1


def full_scan(objdir: Path, cmds: Iterable[Path]) -> tuple[int, set[str]]:
    """(objects with a dependency newer than the object, every dependency seen): exact, slow."""
    mtimes = _Mtimes(objdir)
    stale = 0
    deps: set[str] = set()
    for cmd in cmds:
        found = deps_of(cmd.read_bytes())
        deps.update(found)
        obj = _obj_mtime(cmd)
        if obj < 0 or any(mtimes[d] > obj for d in found):
            stale += 1
    return stale, deps


def write_index(objdir: Path, deps: set[str], stamp_ns: int) -> None:
    tmp = objdir / f"{INDEX}.tmp"
    tmp.write_text(json.dumps({"stamp_ns": stamp_ns, "deps": sorted(deps)}))
    os.replace(tmp, objdir / INDEX)


def _read_index(objdir: Path) -> tuple[int, set[str]] | None:
    try:
        data = json.loads((objdir / INDEX).read_text())
        return int(data["stamp_ns"]), set(data["deps"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def update_index(objdir: Path, since_ns: int, stamp_ns: int | None = None) -> None:
    """After a successful make: add the dependencies of the objects (re)built since
    ``since_ns`` to the index and mark it as of now (``stamp_ns``)."""
    stamp_ns = stamp_ns or time.time_ns()
    idx = _read_index(objdir)
    if idx is None:
        _, deps = full_scan(objdir, cmd_files(objdir))
    else:
        deps = idx[1]
        for cmd in cmd_files(objdir):
            if cmd.stat().st_mtime_ns >= since_ns:
                deps.update(deps_of(cmd.read_bytes()))
    write_index(objdir, deps, stamp_ns)


def stale_objects(objdir: Path) -> tuple[int, list[str], str]:
    """(objects make will recompile, the changed dependencies, how it was found); the RELINK
    objects are not counted here."""
    relink = {str(objdir / r) for r in RELINK}
    cmds = [c for c in cmd_files(objdir) if str(object_of(c)) not in relink]
    idx = _read_index(objdir)
    if idx is None:
        stale, deps = full_scan(objdir, cmds)
        write_index(objdir, deps, _newest_object(cmds))
        return stale, [], "every .cmd file parsed (no index yet)"
    stamp, deps = idx
    mtimes = _Mtimes(objdir)
    changed = sorted(d for d in deps if mtimes[d] > stamp)
    if not changed:
        return 0, [], "no dependency changed since the last build"
    if len(changed) > MAX_NEEDLES:
        stale, _ = full_scan(objdir, cmds)
        return stale, changed, f"{len(changed)} dependencies changed: every .cmd file parsed"
    needles = [(d, [b" " + d.encode() + end for end in (b" ", b")", b"\n")]) for d in changed]
    stale = 0
    for cmd in cmds:
        data = cmd.read_bytes()
        hits = [mtimes[d] for d, forms in needles if any(f in data for f in forms)]
        if hits and _obj_mtime(cmd) < max(hits):
            stale += 1
    return stale, changed, f"{len(changed)} changed dependencies searched for"


def relink_objects(objdir: Path) -> list[str]:
    """The objects of the last build that any relink compiles again (see RELINK)."""
    found = [r for r in RELINK if (objdir / r).exists()]
    return found + sorted(p.name for p in objdir.glob(".tmp_vmlinux*.kallsyms.o"))


def _newest_object(cmds: Iterable[Path]) -> int:
    return max((_obj_mtime(c) for c in cmds), default=0)


def estimate(objdir: Path, config_name: str | None,
             counts_file: Path = COUNTS_FILE) -> Estimate:
    """How many objects make will compile in ``objdir`` (see the module doc)."""
    sha = _config_sha256(objdir)
    shipped = shipped_count(config_name, counts_file, sha)
    exact = sha is not None and shipped_count(None, counts_file, sha) is not None
    present = count_objects(objdir) if objdir.is_dir() else 0
    # a fresh build dir holds only the kconfig tools merge_config.sh built: a cold build
    if present == 0 or count_objects(objdir, host_tools=False) == 0:
        if shipped is None:
            return Estimate(None, "cold build, no measured object count for this config")
        return Estimate(shipped, f"cold build: {shipped} objects measured for this config "
                                 f"({counts_file.name})")
    stale, changed, how = stale_objects(objdir)
    # objects not built yet (an interrupted cold build): exact when this very .config was
    # measured; by the config's name only when clearly short (configs drift by a few objects)
    missing = max(0, (shipped or 0) - present)
    if missing and not exact and present >= 0.9 * (shipped or 0):
        missing = 0
    relink = len(relink_objects(objdir)) if stale or missing else 0
    shown = ", ".join(_show(c) for c in changed[:3]) + (", ..." if len(changed) > 3 else "")
    return Estimate(stale + missing + relink,
                    f"incremental: {stale} of {present} objects to recompile"
                    + (f" ({shown})" if changed else "")
                    + (f" + {relink} compiled at every relink" if relink else "") + f"; {how}"
                    + (f"; {missing} not built yet" if missing else ""))


def _show(dep: str) -> str:
    """A dependency as a person reads it: ``../../worktrees/<tree>/mm/x.c`` → ``mm/x.c``."""
    _, sep, tail = dep.partition("worktrees/")
    return (tail.partition("/")[2] or dep) if sep else dep


def _fmt(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    """Counts compile lines against an :class:`Estimate`: a rich bar on a terminal, a plain
    line a minute otherwise.  ``work`` counts every kbuild action line (a no-op build has none).
    """

    def __init__(self, label: str, est: Estimate, *, tty: bool | None = None,
                 interval: float = 60.0) -> None:
        self.label, self.est = label, est
        self.count = 0
        self.work = 0
        self.start = time.monotonic()
        self.tty = (sys.stderr.isatty() and not os.environ.get("CI")) if tty is None else tty
        self.interval = interval
        self.last = self.start
        self._bar = None
        self._task = None

    def _ensure_bar(self) -> None:
        if self._bar is not None or not self.tty:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("objects"),
                                 TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=Console(stderr=True),
                                 transient=True)
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.est.total)

    def eta(self) -> float | None:
        """Seconds left at the rate so far; None without a total or before the first object."""
        total = self.est.total
        if not total or not self.count:
            return None
        elapsed = time.monotonic() - self.start
        return max(0.0, elapsed / self.count * max(total - self.count, 0))

    def status(self) -> str:
        total = self.est.total
        elapsed = _fmt(time.monotonic() - self.start)
        if not total:
            return f"{self.label}: {self.count} objects compiled, {elapsed}"
        eta = self.eta()
        return (f"{self.label}: {self.count}/{total} objects "
                f"({min(self.count / total, 1.0):.0%}), {elapsed}"
                + (f", ETA {_fmt(eta)}" if eta is not None else ""))

    def line(self, text: str) -> None:
        if WORK.match(text):
            self.work += 1
        if not COMPILE.match(text.rstrip("\n")):
            return
        self.count += 1
        if self.tty:
            self._ensure_bar()
            assert self._bar is not None and self._task is not None
            total = self.est.total
            if total is not None and self.count > total:
                total = self.count
            self._bar.update(self._task, completed=self.count, total=total)
            return
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            info(self.status())

    def done(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
