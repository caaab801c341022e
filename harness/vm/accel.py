"""Which accelerator a guest runs under: KVM or TCG, and why.

``--accel kvm|tcg|auto`` (or ``$KWB_ACCEL``) chooses; ``auto`` (the default) probes. Opening
/dev/kvm proves nothing (a software backend opens fine and then hangs at "Decompressing
Linux..."), so the probe boots the kernel under ``-accel kvm`` with a tiny initramfs whose init
prints a marker and powers off.

Only *definite* answers about the host are cached (per host, kernel release and QEMU build):
no /dev/kvm, /dev/kvm not usable, QEMU refusing KVM, or the probe reaching init under KVM. A
probe that fails after the guest kernel started (or for no reason QEMU names) may be the
kernel's fault -- a bisect candidate that does not boot -- so that run uses TCG and the next one
probes again. Every choice is said on stderr, with its reason, and returned as an
:class:`AccelChoice` the stage can record.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info

from . import initramfs
from .backends.base import QEMU, Accel, GuestOptions, check_kernel
from .backends.qemu import qemu_argv
from .console.driver import Console, ConsoleError

PROBE_TIMEOUT = 20.0
ENV = "KWB_ACCEL"
KVM_DEVICE = "/dev/kvm"
# QEMU's own error line about KVM, before any kernel output: the host's KVM cannot be used,
# whatever kernel is booted -- a definite "no" (e.g. "qemu-system-x86_64: failed to initialize
# kvm: ...", or, seen on a nested host, "qemu-system-x86_64: error: failed to set MSR 0x10a" and
# "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion ...")
_QEMU_NO_KVM = re.compile(r"(?im)^qemu-system-[\w-]+: .*(?:kvm|MSR).*$")


class Want(StrEnum):
    AUTO = "auto"
    KVM = "kvm"
    TCG = "tcg"


@dataclass(frozen=True)
class AccelChoice:
    """The accelerator used, why, and where the answer came from (``forced``: --accel;
    ``cached``: an earlier definite probe; ``probed``: probed now)."""

    accel: Accel
    reason: str
    source: str

    def line(self) -> str:
        return f"accelerator: {self.accel} ({self.source}: {self.reason})"


@dataclass(frozen=True)
class ProbeResult:
    accel: Accel
    detail: str
    definite: bool  # about the host, whatever kernel was booted: worth caching


#: The last choice made in this process (for the stage to record); None before any.
LAST: AccelChoice | None = None


def wanted(value: str | None = None) -> Want:
    """``value``, else $KWB_ACCEL, else auto."""
    raw = value or os.environ.get(ENV) or Want.AUTO
    try:
        return Want(raw)
    except ValueError:
        raise WorkbenchError(f"unknown accelerator {raw!r} (choose: "
                             f"{', '.join(w.value for w in Want)})") from None


def _qemu_version(qemu: str) -> str:
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "none"
    return out.splitlines()[0] if out else "unknown"


def probe_key(qemu: str = QEMU) -> str:
    """What the probe's answer depends on: this host, its kernel, the QEMU build."""
    return f"{platform.node()}|{platform.release()}|{_qemu_version(qemu)}"


def _cache_file() -> Path:
    return paths.cache_root() / "accel-probe.json"


def _read_cache() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_cache_file().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(key: str, result: ProbeResult) -> None:
    known = _read_cache()
    known[key] = {"accel": str(result.accel), "detail": result.detail, "definite": True,
                  "checked": int(time.time())}
    cache = _cache_file()
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(known, indent=1))
    tmp.replace(cache)


def choose(bzimage: Path, *, want: str | None = None, qemu: str = QEMU,
           timeout: float = PROBE_TIMEOUT, use_cache: bool = True) -> AccelChoice:
    """The accelerator to boot ``bzimage`` with; says which and why on stderr."""
    global LAST
    w = wanted(want)
    if w is Want.TCG:
        choice = AccelChoice(Accel.TCG, "--accel tcg", "forced")
    elif w is Want.KVM:
        if not os.access(KVM_DEVICE, os.R_OK | os.W_OK):
            raise WorkbenchError(f"--accel kvm: {KVM_DEVICE} is missing or not accessible "
                                 "on this host; use --accel tcg or auto")
        choice = AccelChoice(Accel.KVM, "--accel kvm", "forced")
    else:
        choice = _auto(bzimage, qemu, timeout, use_cache)
    info(choice.line())
    LAST = choice
    return choice


def _auto(bzimage: Path, qemu: str, timeout: float, use_cache: bool) -> AccelChoice:
    key = probe_key(qemu)
    entry = _read_cache().get(key)
    # only definite answers are trusted (entries of older kwb versions may be a kernel's fault)
    if use_cache and isinstance(entry, dict) and entry.get("definite") is True:
        return AccelChoice(Accel(str(entry["accel"])), str(entry.get("detail", "")), "cached")
    result = probe(bzimage, timeout=timeout, qemu=qemu)
    if result.definite:
        _write_cache(key, result)
        return AccelChoice(result.accel, result.detail, "probed")
    return AccelChoice(result.accel, result.detail + "; not cached: the probed kernel may be "
                       "at fault, the next run probes again", "probed")


def probe(bzimage: Path, *, timeout: float = PROBE_TIMEOUT, qemu: str = QEMU) -> ProbeResult:
    """Can this host run a guest under KVM? Definite unless a boot under KVM failed in a way
    the kernel booted may be to blame for."""
    if not os.path.exists(KVM_DEVICE):
        return ProbeResult(Accel.TCG, f"no {KVM_DEVICE} on the host", True)
    if not os.access(KVM_DEVICE, os.R_OK | os.W_OK):
        return ProbeResult(Accel.TCG, f"{KVM_DEVICE} not accessible", True)
    return _boot_probe(bzimage, timeout, qemu)


def _boot_probe(bzimage: Path, timeout: float, qemu: str) -> ProbeResult:
    check_kernel(bzimage)
    initrd = initramfs.build_initramfs({}, init=initramfs.PROBE_INIT)
    argv = qemu_argv(bzimage, initrd, Accel.KVM, GuestOptions(qemu=qemu))
    log = paths.ensure(paths.cache_root() / "probe") / "kvm-probe.log"
    start = time.monotonic()
    try:
        with Console(argv, log) as con:
            ok = con.expect_line(r"KWB-PROBE-OK", timeout) is not None
            exited, started = con.dead, con.kernel_started
            said = "\n".join(con.lines)
    except ConsoleError as exc:
        return ProbeResult(Accel.TCG, f"KVM boot probe failed: {exc}", False)
    secs = time.monotonic() - start
    if ok:
        return ProbeResult(Accel.KVM, f"KVM boot probe reached init in {secs:.1f}s", True)
    if not started and (m := _QEMU_NO_KVM.search(said)) is not None:
        return ProbeResult(Accel.TCG, f"QEMU cannot use KVM here: {m.group(0).strip()!r} "
                           f"(log: {log})", True)
    where = "after the kernel started" if started else "before any kernel output"
    if exited:
        return ProbeResult(Accel.TCG, f"QEMU exited (status {con.exit_status}) {where}, "
                           f"{secs:.1f}s under -accel kvm (log: {log})", False)
    return ProbeResult(Accel.TCG, f"KVM boot probe did not reach init within {timeout:g}s, "
                       f"{where} (log: {log})", False)
