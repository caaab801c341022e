"""A minimal initramfs for the hermetic QEMU backend: busybox, an init, and the selftests.

Layout::

    /init -> /bin/busybox (busybox init)     /etc/inittab, /etc/init.d/rcS
    /bin/busybox + applet symlinks           /dev/console, /dev/ttyS0 (before devtmpfs)
    /kwb/tests/<name>                        each selftest, its relative path kept
    <the shared libraries ldd reports>       at the paths ldd prints them

rcS mounts proc, sys, devtmpfs, devpts, tmpfs, debugfs; inittab respawns a shell on ttyS0 (a
busybox ``sh`` as PID 1 has been seen to die mid-run; init brings a new one). The archive is a
gzip'd newc cpio written here, deterministic (mtimes 0, sorted), cached by content hash.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from harness import paths
from harness.errors import WorkbenchError

FORMAT_VERSION = "1"
TESTS_DIR = PurePosixPath("/kwb/tests")
APPLETS = ("sh", "ash", "mount", "umount", "mkdir", "cat", "echo", "ls", "dmesg", "grep", "sed",
           "stty", "poweroff", "reboot", "sleep", "test", "[", "uname", "ps", "kill", "mknod",
           "ln", "rm", "cp", "head", "tail", "wc", "tr", "env", "true", "false", "sync",
           "hostname", "setsid", "cttyhack", "timeout", "date", "free", "id", "nproc")

INITTAB = """\
::sysinit:/etc/init.d/rcS
ttyS0::respawn:-/bin/sh
::ctrlaltdel:/bin/busybox poweroff -f
::shutdown:/bin/busybox sync
"""

RCS = """\
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /root
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox mkdir -p /dev/pts /dev/shm
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox mount -t tmpfs tmpfs /tmp
/bin/busybox mount -t tmpfs tmpfs /dev/shm
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
/bin/busybox hostname kwb-guest
echo "kwb-initramfs: init done"
"""
INIT_DONE = "kwb-initramfs: init done"  # rcS's last line: the shell starts right after

PROFILE = """\
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
cd /root
"""

PROBE_INIT = """\
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo KWB-PROBE-OK
/bin/busybox poweroff -f
"""

_LDD_ARROW = re.compile(r"^\s*(\S+)\s+=>\s+(/\S+)\s+\(0x[0-9a-f]+\)")
_LDD_PLAIN = re.compile(r"^\s*(/\S+)\s+\(0x[0-9a-f]+\)")


@dataclass(frozen=True)
class Entry:
    """One archive member: a directory, a regular file (``source`` or ``data``), a symlink
    (``target``) or a character device (``rdev``)."""

    path: PurePosixPath
    mode: int
    source: Path | None = None
    data: bytes | None = None
    target: str | None = None
    rdev: tuple[int, int] = (0, 0)

    def content(self) -> bytes:
        if self.target is not None:
            return self.target.encode()
        if self.source is not None:
            return self.source.read_bytes()
        return self.data or b""


def shared_libraries(binary: Path) -> list[Path]:
    """The shared objects ``ldd`` reports for ``binary`` (the loader included); [] if static."""
    try:
        res = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise WorkbenchError("ldd not found: cannot collect the selftests' libraries") from exc
    text = res.stdout + res.stderr
    if "not a dynamic executable" in text or "statically linked" in text:
        return []
    if res.returncode != 0:
        raise WorkbenchError(f"ldd {binary} failed: {text.strip()}")
    libs: list[Path] = []
    for line in text.splitlines():
        if "=> not found" in line:
            raise WorkbenchError(f"{binary}: shared library missing on the host: {line.strip()}")
        m = _LDD_ARROW.match(line) or _LDD_PLAIN.match(line)
        if m:
            libs.append(Path(m.group(m.lastindex or 1)))
    return libs


def busybox_path() -> Path:
    found = shutil.which("busybox") or "/bin/busybox"
    path = Path(found)
    if not path.is_file():
        raise WorkbenchError("busybox not found: install busybox-static (apt-get install "
                             "busybox-static) for the hermetic QEMU backend")
    if shared_libraries(path):
        raise WorkbenchError(f"{path} is dynamically linked: install busybox-static")
    return path


def _dirs_for(path: PurePosixPath) -> Iterable[PurePosixPath]:
    return [p for p in reversed(path.parents) if str(p) != "/"]


def entries(tests: Mapping[str, Path], *, init: str | None = None) -> list[Entry]:
    """The members of an initramfs holding ``tests`` (name -> host binary).

    ``init`` replaces the busybox-init setup with a script of its own (used by the KVM probe).
    """
    bb = busybox_path()
    out: dict[PurePosixPath, Entry] = {}

    def add(entry: Entry) -> None:
        for d in _dirs_for(entry.path):
            out.setdefault(d, Entry(d, stat.S_IFDIR | 0o755))
        out[entry.path] = entry

    for d in ("/proc", "/sys", "/dev", "/tmp", "/run", "/root", "/etc/init.d", "/sbin",
              "/usr/bin", "/usr/sbin"):
        add(Entry(PurePosixPath(d), stat.S_IFDIR | 0o755))
    add(Entry(PurePosixPath("/dev/console"), stat.S_IFCHR | 0o600, rdev=(5, 1)))
    add(Entry(PurePosixPath("/dev/ttyS0"), stat.S_IFCHR | 0o660, rdev=(4, 64)))
    add(Entry(PurePosixPath("/dev/null"), stat.S_IFCHR | 0o666, rdev=(1, 3)))
    add(Entry(PurePosixPath("/bin/busybox"), stat.S_IFREG | 0o755, source=bb))
    for applet in APPLETS:
        add(Entry(PurePosixPath("/bin") / applet, stat.S_IFLNK | 0o777, target="busybox"))
    add(Entry(PurePosixPath("/sbin/init"), stat.S_IFLNK | 0o777, target="/bin/busybox"))
    if init is None:
        add(Entry(PurePosixPath("/init"), stat.S_IFLNK | 0o777, target="/bin/busybox"))
        add(Entry(PurePosixPath("/etc/inittab"), stat.S_IFREG | 0o644, data=INITTAB.encode()))
        add(Entry(PurePosixPath("/etc/init.d/rcS"), stat.S_IFREG | 0o755, data=RCS.encode()))
        add(Entry(PurePosixPath("/etc/profile"), stat.S_IFREG | 0o644, data=PROFILE.encode()))
    else:
        add(Entry(PurePosixPath("/init"), stat.S_IFREG | 0o755, data=init.encode()))
    for name, host in sorted(tests.items()):
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise WorkbenchError(f"selftest name must be a relative path: {name!r}")
        if not host.is_file():
            raise WorkbenchError(f"selftest {name}: binary not found at {host}")
        add(Entry(TESTS_DIR / rel, stat.S_IFREG | 0o755, source=host))
        for lib in shared_libraries(host):
            guest = PurePosixPath(str(lib))
            if guest not in out:
                add(Entry(guest, stat.S_IFREG | 0o755, source=lib.resolve()))
    return [out[k] for k in sorted(out, key=lambda p: (len(p.parts), str(p)))]


def _newc_header(ino: int, mode: int, size: int, nlink: int, rdev: tuple[int, int],
                 namesize: int) -> bytes:
    fields = (ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1], namesize, 0)
    return b"070701" + b"".join(f"{f:08x}".encode() for f in fields)


def _pad(n: int) -> bytes:
    return b"\0" * ((4 - n % 4) % 4)


def write_cpio(members: Iterable[Entry], fh: io.BufferedIOBase) -> None:
    """Write ``members`` as a newc cpio archive (uid/gid 0, mtime 0) to ``fh``."""
    ino = 1
    for e in members:
        data = b"" if stat.S_ISDIR(e.mode) or stat.S_ISCHR(e.mode) else e.content()
        name = str(e.path).lstrip("/").encode() + b"\0"
        nlink = 2 if stat.S_ISDIR(e.mode) else 1
        hdr = _newc_header(ino, e.mode, len(data), nlink, e.rdev, len(name))
        fh.write(hdr + name + _pad(len(hdr) + len(name)))
        fh.write(data + _pad(len(data)))
        ino += 1
    trailer = b"TRAILER!!!\0"
    hdr = _newc_header(0, 0, 0, 1, (0, 0), len(trailer))
    fh.write(hdr + trailer + _pad(len(hdr) + len(trailer)))


def read_cpio(blob: bytes) -> dict[str, tuple[int, bytes]]:
    """``{name: (mode, data)}`` of a newc archive (for tests and debugging)."""
    out: dict[str, tuple[int, bytes]] = {}
    pos = 0
    while True:
        if blob[pos : pos + 6] != b"070701":
            raise ValueError(f"bad newc magic at offset {pos}")
        f = [int(blob[pos + 6 + 8 * i : pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = f[1], f[6], f[11]
        name_at = pos + 110
        name = blob[name_at : name_at + namesize - 1].decode()
        data_at = name_at + namesize + len(_pad(110 + namesize))
        if name == "TRAILER!!!":
            return out
        out[name] = (mode, blob[data_at : data_at + size])
        pos = data_at + size + len(_pad(size))


def _digest(members: list[Entry]) -> str:
    h = hashlib.sha256(FORMAT_VERSION.encode())
    for e in members:
        h.update(f"{e.path}\0{e.mode:o}\0{e.target}\0{e.rdev}\0".encode())
        if e.source is not None:
            st = e.source.stat()
            h.update(f"{e.source}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        elif e.data is not None:
            h.update(e.data)
    return h.hexdigest()[:16]


def build_initramfs(tests: Mapping[str, Path], *, init: str | None = None,
                    out_dir: Path | None = None) -> Path:
    """The gzip'd cpio for ``tests``, built once per content (cached under the cache dir)."""
    members = entries(tests, init=init)
    out_dir = out_dir or paths.ensure(paths.cache_root() / "initramfs")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"kwb-{_digest(members)}.cpio.gz"
    if out.is_file():
        return out
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6,
                                                mtime=0) as gz:
        write_cpio(members, gz)  # type: ignore[arg-type]
    tmp.replace(out)
    return out


def guest_test_paths(tests: Mapping[str, Path]) -> dict[str, str]:
    """Where each test lives inside the initramfs."""
    return {name: str(TESTS_DIR / name) for name in tests}
