"""A minimal initramfs for the hermetic QEMU backend: busybox, an init, and the selftests.

Layout::

    /init -> /bin/busybox (busybox init)     /etc/inittab, /etc/init.d/rcS
    /bin/busybox + applet symlinks           /dev/console, /dev/ttyS0 (before devtmpfs)
    /kwb/tests/<name>                        each selftest, its relative path kept
    <the shared libraries ldd reports>       at the paths ldd prints them

rcS mounts proc, sys, devtmpfs, devpts, tmpfs, debugfs; inittab respawns a shell on ttyS0 (a
busybox ``sh`` as PID 1 has been seen to die mid-run; init brings a new one). The archive is a
gzip'd newc cpio written by virtme-ng's own writer (:mod:`virtme.cpiowriter`), its busybox and
device nodes put in by virtme-ng's helpers (:mod:`virtme.mkinitramfs`); deterministic (mtimes
0, sorted), cached by content hash.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from virtme import cpiowriter, mkinitramfs

from harness import paths
from harness.errors import WorkbenchError

FORMAT_VERSION = "2"  # 2: virtme-ng's writer and helpers
TESTS_DIR = PurePosixPath("/kwb/tests")
# busybox applets linked in /bin besides those virtme-ng's install_busybox links
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

# reboot, not poweroff: QEMU runs with -no-reboot, and poweroff needs ACPI, which the default
# config (the hermetic guest) leaves out
PROBE_INIT = """\
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo KWB-PROBE-OK
/bin/busybox reboot -f
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


# Loaded by glibc at run time with dlopen, so ldd never lists it: libgcc_s.so.1 unwinds the
# stack for pthread_cancel / pthread_exit (without it: "libgcc_s.so.1 must be installed for
# pthread_cancel to work", abort) and for backtrace(). KVM selftests that cancel their helper
# threads (recalc_apic_map_test, sync_regs_test, xapic_ipi_test...) need it in the guest.
RUNTIME_LIBS = ("libgcc_s.so.1",)


def runtime_libraries(libs: Iterable[Path]) -> list[Path]:
    """The libraries glibc dlopens at run time, from libc's directory, for a binary linking
    ``libs`` (none for a binary without glibc)."""
    libc = next((lib for lib in libs if lib.name.startswith("libc.so")), None)
    if libc is None:
        return []
    return [libc.parent / name for name in RUNTIME_LIBS if (libc.parent / name).is_file()]


def busybox_path() -> Path:
    """The host's busybox, found as virtme-ng finds it (busybox-static first)."""
    found = mkinitramfs.find_busybox("/", True)
    path = Path(found or "/bin/busybox")
    if not path.is_file():
        raise WorkbenchError("busybox not found: install busybox-static (apt-get install "
                             "busybox-static) for the hermetic QEMU backend")
    if shared_libraries(path):
        raise WorkbenchError(f"{path} is dynamically linked: install busybox-static")
    return path


def _dirs_for(path: PurePosixPath) -> Iterable[PurePosixPath]:
    return [p for p in reversed(path.parents) if str(p) != "/"]


# what virtme-ng's helpers put in: make_dev_nodes (dev/null, dev/kmsg, dev/console) and
# install_busybox (bin/busybox and these applet links)
VIRTME_APPLETS = ("sh", "mount", "umount", "switch_root", "sleep", "mkdir", "mknod", "insmod",
                  "cp", "cat")


def entries(tests: Mapping[str, Path], *, init: str | None = None) -> list[Entry]:
    """Our members of an initramfs holding ``tests`` (name -> host binary), beside what
    virtme-ng's helpers add (busybox, its first applets, the basic device nodes).

    ``init`` replaces the busybox-init setup with a script of its own (used by the KVM probe).
    """
    out: dict[PurePosixPath, Entry] = {}

    def add(entry: Entry) -> None:
        for d in _dirs_for(entry.path):
            out.setdefault(d, Entry(d, stat.S_IFDIR | 0o755))
        out[entry.path] = entry

    for d in ("/bin", "/proc", "/sys", "/dev", "/tmp", "/run", "/root", "/etc/init.d", "/sbin",
              "/usr/bin", "/usr/sbin"):
        add(Entry(PurePosixPath(d), stat.S_IFDIR | 0o755))
    add(Entry(PurePosixPath("/dev/ttyS0"), stat.S_IFCHR | 0o660, rdev=(4, 64)))
    for applet in APPLETS:
        if applet not in VIRTME_APPLETS:
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
        libs = shared_libraries(host)
        for lib in libs + runtime_libraries(libs):
            guest = PurePosixPath(str(lib))
            if guest not in out:
                add(Entry(guest, stat.S_IFREG | 0o755, source=lib.resolve()))
    return [out[k] for k in sorted(out, key=lambda p: (len(p.parts), str(p)))]


def write_cpio(members: Iterable[Entry], busybox: Path, fh: BinaryIO) -> None:
    """The newc archive, written by virtme-ng's CpioWriter: our directories, virtme-ng's device
    nodes and busybox, then our other members, then the trailer."""
    cw = cpiowriter.CpioWriter(fh)
    members = list(members)
    for e in members:
        if stat.S_ISDIR(e.mode):
            cw.mkdir(_name(e), stat.S_IMODE(e.mode))
    mkinitramfs.make_dev_nodes(cw)
    config = mkinitramfs.Config()
    config.busybox = str(busybox)
    mkinitramfs.install_busybox(cw, config)
    for e in members:
        perm = stat.S_IMODE(e.mode)
        if stat.S_ISLNK(e.mode):
            cw.symlink(e.content(), _name(e))
        elif stat.S_ISCHR(e.mode):
            cw.mkchardev(_name(e), e.rdev, perm)
        elif stat.S_ISREG(e.mode) and e.source is not None:
            with open(e.source, "rb") as body:
                cw.write_file(_name(e), body, perm)
        elif stat.S_ISREG(e.mode):
            cw.write_file(_name(e), e.content(), perm)
    cw.write_trailer()


def _name(e: Entry) -> bytes:
    return str(e.path).lstrip("/").encode()


def _digest(members: list[Entry], busybox: Path) -> str:
    h = hashlib.sha256(FORMAT_VERSION.encode())
    st = busybox.stat()
    h.update(f"{busybox}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
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
    busybox = busybox_path()
    members = entries(tests, init=init)
    out_dir = out_dir or paths.ensure(paths.cache_root() / "initramfs")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"kwb-{_digest(members, busybox)}.cpio.gz"
    if out.is_file():
        return out
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6,
                                                mtime=0) as gz:
        write_cpio(members, busybox, gz)  # type: ignore[arg-type]
    tmp.replace(out)
    return out


def guest_test_paths(tests: Mapping[str, Path]) -> dict[str, str]:
    """Where each test lives inside the initramfs."""
    return {name: str(TESTS_DIR / name) for name in tests}
