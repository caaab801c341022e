"""Guest backends: the command line that boots a kernel onto a serial console, and the probe
that decides between KVM and TCG.

* ``qemu`` (hermetic): plain ``qemu-system-x86_64`` with the minimal initramfs of
  :mod:`harness.vm.initramfs`; the selftests run from ``/kwb/tests/<name>``.
* ``vng`` (virtme-ng): the host's root filesystem, read-only, shared with the guest; the
  selftests run from their build path. Driven interactively (its ``--exec`` mode needs udev
  on the host for virtio-serial).

Both put the guest's shell on the pty the :class:`~harness.vm.console.driver.Console` reads,
with the kernel's messages on the same stream, ``panic=-1`` and ``-no-reboot`` (a panic ends
QEMU).
Under TCG: ``-accel tcg,thread=single -cpu max`` (the guest then has SVM + NPT, so its
built-in kvm_amd gives it /dev/kvm); 1 vCPU by default (multi-threaded TCG with 2 vCPUs
oopsed during boot in 3 of 16 boots).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info

from . import initramfs
from .console.driver import Console, ConsoleError

QEMU = "qemu-system-x86_64"
PROBE_TIMEOUT = 20.0
# kernel messages on the serial console with timestamps; a panic reboots at once, which
# -no-reboot turns into QEMU exiting
COMMON_APPEND = ("console=ttyS0", "panic=-1", "printk.time=1", "loglevel=7")


class Accel(StrEnum):
    KVM = "kvm"
    TCG = "tcg"


@dataclass(frozen=True)
class GuestOptions:
    memory: str = "2G"
    cpus: int = 1
    append: tuple[str, ...] = ()
    qemu: str = QEMU


@dataclass(frozen=True)
class GuestCommand:
    """How to start one guest: argv/env/cwd for the console, and the command that runs each
    test inside it (test name -> guest path)."""

    argv: list[str]
    test_paths: dict[str, str]
    env: dict[str, str] | None = None
    cwd: Path | None = None
    boot_timeout: float = 120.0
    ready_hint: str | None = None  # a console line shortly before the shell starts
    notes: list[str] = field(default_factory=list)


class Backend(Protocol):
    name: str

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand: ...


def accel_args(accel: Accel) -> list[str]:
    if accel is Accel.KVM:
        return ["-accel", "kvm", "-cpu", "host"]
    return ["-accel", "tcg,thread=single", "-cpu", "max"]


def _check_kernel(bzimage: Path) -> None:
    if not bzimage.is_file():
        raise WorkbenchError(f"kernel image not found: {bzimage}")


def qemu_argv(bzimage: Path, initrd: Path, accel: Accel, opts: GuestOptions,
              append: tuple[str, ...] = ()) -> list[str]:
    """A plain QEMU command: serial console (with a muxed monitor, Ctrl-C goes to the
    guest) on stdio, no display, no default devices, no reboot after a panic."""
    cmdline = " ".join((*COMMON_APPEND, "rdinit=/init", *opts.append, *append))
    return [
        opts.qemu, "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-machine", "q35", *accel_args(accel),
        "-m", opts.memory, "-smp", str(opts.cpus),
        "-chardev", "stdio,id=con,mux=on,signal=off", "-serial", "chardev:con",
        "-mon", "chardev=con,mode=readline",
        "-kernel", str(bzimage), "-initrd", str(initrd), "-append", cmdline,
    ]


@dataclass(frozen=True)
class QemuBackend:
    """Hermetic: QEMU + a busybox initramfs holding the selftests and their libraries."""

    name: str = "qemu"
    boot_timeout: float = 120.0

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand:
        _check_kernel(bzimage)
        if shutil.which(opts.qemu) is None:
            raise WorkbenchError(f"{opts.qemu} not found: install qemu-system-x86")
        initrd = initramfs.build_initramfs(tests)
        return GuestCommand(qemu_argv(bzimage, initrd, accel, opts),
                            initramfs.guest_test_paths(tests), boot_timeout=self.boot_timeout,
                            ready_hint=initramfs.INIT_DONE, notes=[f"initramfs: {initrd}"])


def vng_path() -> str:
    """vng from PATH, or next to this Python (the project's venv)."""
    here = Path(sys.executable).parent / "vng"
    found = shutil.which("vng") or (str(here) if here.is_file() else None)
    if found is None:
        raise WorkbenchError("vng (virtme-ng) not found: pip install virtme-ng")
    return found


@dataclass(frozen=True)
class VngBackend:
    """virtme-ng: the host's rootfs over 9p (read-only, overlays for /etc, /tmp, ...).

    ``shell``: the guest's shell. /bin/sh by default: the host user's interactive bash
    startup files (pyenv & co, read over 9p under TCG) took ~10 s here.
    """

    name: str = "vng"
    boot_timeout: float = 180.0
    shell: str | None = "/bin/sh"

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand:
        _check_kernel(bzimage)
        vng = vng_path()
        argv = [vng, "--run", str(bzimage.resolve()), "--verbose", "--force-9p",
                "--cpus", str(opts.cpus), "--memory", opts.memory,
                "--qemu", shutil.which(opts.qemu) or opts.qemu]
        if self.shell:
            argv += ["--shell", self.shell]
        if accel is Accel.TCG:
            argv.append("--disable-kvm")
        for arg in (*COMMON_APPEND[1:], *opts.append):
            argv += ["--append", arg]
        qemu_opts = ["-no-reboot"]
        if accel is Accel.TCG:
            qemu_opts += ["-accel", "tcg,thread=single"]
        argv.append("--qemu-opts=" + " ".join(qemu_opts))
        # vng runs virtme-run through the shell: the venv's bin must be on PATH
        env = dict(os.environ)
        env["PATH"] = f"{Path(vng).parent}{os.pathsep}{env.get('PATH', '')}"
        env.pop("TMUX", None)
        return GuestCommand(argv, {name: str(path.resolve()) for name, path in tests.items()},
                            env=env, cwd=Path("/"), boot_timeout=self.boot_timeout,
                            ready_hint=r"virtme-ng-init: initialization done")


BACKENDS: dict[str, Backend] = {"qemu": QemuBackend(), "vng": VngBackend()}


def backend(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise WorkbenchError(f"unknown guest backend {name!r} (choose: "
                             f"{', '.join(BACKENDS)})") from None


# --------------------------------------------------------------------------- KVM probe


def _qemu_version(qemu: str) -> str:
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "none"
    return out.splitlines()[0] if out else "unknown"


def probe_key(qemu: str = QEMU) -> str:
    """What the probe's answer depends on: this host, its kernel, the QEMU build."""
    return f"{platform.node()}|{platform.release()}|{_qemu_version(qemu)}"


def _probe_cache() -> Path:
    return paths.cache_root() / "accel-probe.json"


def probe_accel(bzimage: Path, *, timeout: float = PROBE_TIMEOUT, qemu: str = QEMU,
                use_cache: bool = True) -> Accel:
    """KVM if a real boot under ``-accel kvm`` reaches its init within ``timeout``; else TCG.

    Opening /dev/kvm proves nothing (a software backend opens fine and then hangs at
    "Decompressing Linux..."), so this boots ``bzimage`` with a tiny initramfs whose init
    prints a marker and powers off. The answer is cached per host (cache dir).
    """
    key = probe_key(qemu)
    cache = _probe_cache()
    try:
        known = json.loads(cache.read_text())
    except (OSError, ValueError):
        known = {}
    if use_cache and key in known:
        return Accel(known[key]["accel"])
    detail = ""
    if not os.path.exists("/dev/kvm"):
        accel, detail = Accel.TCG, "no /dev/kvm on the host"
    elif not os.access("/dev/kvm", os.R_OK | os.W_OK):
        accel, detail = Accel.TCG, "/dev/kvm not accessible"
    else:
        accel, detail = _boot_probe(bzimage, timeout, qemu)
    info(f"accelerator: {accel} ({detail})")
    known[key] = {"accel": str(accel), "detail": detail, "checked": int(time.time())}
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(known, indent=1))
    tmp.replace(cache)
    return accel


def _boot_probe(bzimage: Path, timeout: float, qemu: str) -> tuple[Accel, str]:
    _check_kernel(bzimage)
    initrd = initramfs.build_initramfs({}, init=initramfs.PROBE_INIT)
    argv = qemu_argv(bzimage, initrd, Accel.KVM, GuestOptions(qemu=qemu))
    log = paths.ensure(paths.cache_root() / "probe") / "kvm-probe.log"
    start = time.monotonic()
    try:
        with Console(argv, log) as con:
            ok = con.expect_line(r"KWB-PROBE-OK", timeout) is not None
            exited = con.dead
    except ConsoleError as exc:
        return Accel.TCG, f"KVM boot probe failed: {exc}"
    secs = time.monotonic() - start
    if ok:
        return Accel.KVM, f"KVM boot probe reached init in {secs:.1f}s"
    if exited:
        return Accel.TCG, (f"QEMU exited (status {con.exit_status}) after {secs:.1f}s under "
                           f"-accel kvm (log: {log})")
    return Accel.TCG, f"KVM boot probe did not reach init within {timeout:g}s (log: {log})"


def describe(cmd: GuestCommand) -> str:
    return shlex.join(cmd.argv)
