"""What every guest backend shares: the options of a guest, the command that starts one, the
:class:`Backend` protocol a backend module implements, and the accelerator enum."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from harness.errors import WorkbenchError

QEMU = "qemu-system-x86_64"
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
    """A way to boot a kernel onto a serial console: one module, one registry entry."""

    @property
    def name(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def needs(self) -> tuple[str, ...]:
        """The kernel options (``CONFIG_X``, =y) a kernel must have to boot on it."""
        ...

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand: ...


def check_kernel(bzimage: Path) -> None:
    if not bzimage.is_file():
        raise WorkbenchError(f"kernel image not found: {bzimage}")
