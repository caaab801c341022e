"""Guest backends: the command line that boots a kernel onto a serial console.

A backend is one module here (``qemu``, ``vng``) plus one entry in :data:`BACKENDS`; the
command line's ``--backend`` choices are the registry's keys. Both put the guest's shell on the
pty the :class:`~harness.vm.console.driver.Console` reads, with the kernel's messages on the
same stream, ``panic=-1`` and ``-no-reboot`` (a panic ends QEMU). Which accelerator (KVM or
TCG) is decided by :mod:`harness.vm.accel`.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

from harness.errors import WorkbenchError

from .base import QEMU, Accel, Backend, GuestCommand, GuestOptions
from .qemu import QemuBackend, accel_args, qemu_argv
from .vng import VngBackend, vng_path

__all__ = ["BACKENDS", "DEFAULT", "QEMU", "Accel", "Backend", "GuestCommand", "GuestOptions",
           "QemuBackend", "VngBackend", "accel_args", "backend", "check_config", "describe",
           "names", "probe_accel", "qemu_argv", "vng_path"]

#: The registry: name -> backend. A new backend is a module beside these and a line here.
BACKENDS: dict[str, Backend] = {"vng": VngBackend(), "qemu": QemuBackend()}
#: The hermetic backend boots the default config (kernel-config/configs.toml: no 9p, virtio,
#: networking or ACPI); vng needs ``--config vng`` (docs/config-cost.md).
DEFAULT = "qemu"


def names() -> list[str]:
    """The registered backends' names (the CLI's ``--backend`` choices)."""
    return list(BACKENDS)


def backend(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise WorkbenchError(f"unknown guest backend {name!r} (choose: "
                             f"{', '.join(BACKENDS)})") from None


def describe(cmd: GuestCommand) -> str:
    return shlex.join(cmd.argv)


def probe_accel(bzimage: Path, *, qemu: str = QEMU) -> Accel:
    """The accelerator for booting ``bzimage`` (see :func:`harness.vm.accel.choose`)."""
    from harness.vm import accel

    return accel.choose(bzimage, qemu=qemu).accel


def check_config(name: str, config: Mapping[str, str], *, kernel: str, config_name: str) -> None:
    """Refuse, before any boot, a kernel that lacks what backend ``name`` needs to boot it
    (``config``: the kernel's .config as read by :func:`harness.build.config.read_config`)."""
    missing = [s for s in backend(name).needs if config.get(s) != "y"]
    if not missing:
        return
    fits = [n for n, b in BACKENDS.items() if all(config.get(s) == "y" for s in b.needs)]
    raise WorkbenchError(
        f"{kernel} (config {config_name!r}) cannot boot on the {name} backend: it lacks "
        f"{', '.join(missing)}. "
        + (f"Boot it with --backend {' or '.join(fits)}, or build" if fits else "Build")
        + f" a kernel for {name}: `kwb pipeline --backend {name}` builds the "
        + ("'vng' config" if name == "vng" else "'default' config") + " (--config NAME).")
