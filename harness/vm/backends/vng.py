"""The virtme-ng backend: the host's root filesystem, read-only over 9p (overlays for /etc,
/tmp, ...), shared with the guest; the selftests run from their build path. Driven
interactively (its ``--exec`` mode needs udev on the host for virtio-serial)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from harness.errors import WorkbenchError

from .base import COMMON_APPEND, Accel, GuestCommand, GuestOptions, check_kernel


def vng_path() -> str:
    """vng from PATH, or next to this Python (the project's venv)."""
    here = Path(sys.executable).parent / "vng"
    found = shutil.which("vng") or (str(here) if here.is_file() else None)
    if found is None:
        raise WorkbenchError("vng (virtme-ng) not found: pip install virtme-ng")
    return found


@dataclass(frozen=True)
class VngBackend:
    """virtme-ng: the host's rootfs over 9p.

    ``shell``: the guest's shell. /bin/sh by default: the host user's interactive bash
    startup files (pyenv & co, read over 9p under TCG) took ~10 s here.
    """

    name: str = "vng"
    summary: str = "virtme-ng, the guest sees the host's rootfs (build with --config vng)"
    # the host's rootfs over virtio 9p with an overlay (kernel-config/vng.config)
    needs: tuple[str, ...] = ("CONFIG_VIRTIO_PCI", "CONFIG_VIRTIO_CONSOLE", "CONFIG_NET_9P_VIRTIO",
                              "CONFIG_9P_FS", "CONFIG_OVERLAY_FS")
    boot_timeout: float = 180.0
    shell: str | None = "/bin/sh"

    def command(self, bzimage: Path, tests: Mapping[str, Path], accel: Accel,
                opts: GuestOptions) -> GuestCommand:
        check_kernel(bzimage)
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
