"""The hermetic backend: plain ``qemu-system-x86_64`` with the minimal initramfs of
:mod:`harness.vm.initramfs`; the selftests run from ``/kwb/tests/<name>``.

Under TCG: ``-accel tcg,thread=single -cpu max`` (the guest then has SVM + NPT, so its built-in
kvm_amd gives it /dev/kvm); 1 vCPU by default (multi-threaded TCG with 2 vCPUs oopsed during
boot in 3 of 16 boots).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import WorkbenchError
from harness.vm import initramfs

from .base import COMMON_APPEND, Accel, GuestCommand, GuestOptions, check_kernel


def accel_args(accel: Accel) -> list[str]:
    if accel is Accel.KVM:
        return ["-accel", "kvm", "-cpu", "host"]
    return ["-accel", "tcg,thread=single", "-cpu", "max"]


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
    summary: str = "hermetic QEMU + busybox initramfs, faster to boot"
    # an initramfs on the 8250 serial console (kernel-config/guest.config)
    needs: tuple[str, ...] = ("CONFIG_BLK_DEV_INITRD", "CONFIG_SERIAL_8250_CONSOLE",
                              "CONFIG_DEVTMPFS")
    boot_timeout: float = 120.0

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand:
        check_kernel(bzimage)
        if shutil.which(opts.qemu) is None:
            raise WorkbenchError(f"{opts.qemu} not found: install qemu-system-x86")
        initrd = initramfs.build_initramfs(tests)
        return GuestCommand(qemu_argv(bzimage, initrd, accel, opts),
                            initramfs.guest_test_paths(tests), boot_timeout=self.boot_timeout,
                            ready_hint=initramfs.INIT_DONE, notes=[f"initramfs: {initrd}"])
