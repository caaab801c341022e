#!/usr/bin/env python3
"""FAKE qemu-system-x86_64 for the accelerator probe's tests: not QEMU, boots nothing.

``--version`` answers like QEMU. Otherwise it acts out ``$FAKE_QEMU_MODE``:

  ok            a kernel boots under KVM and its init prints the probe's marker, then exits 0
  kernel-dies   a kernel starts, then dies before init (a bisect candidate that does not boot)
  no-kvm        QEMU itself refuses KVM (as qemu does when the host's KVM is unusable)
  msr-abort     QEMU aborts on KVM's MSRs before the kernel runs (seen on a nested host)

Each run appends the mode to ``$FAKE_QEMU_RUNS`` (if set), so tests can count the probes.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    if sys.argv[1:2] == ["--version"]:
        print("QEMU emulator version 7.2.0 (FAKE)")
        return 0
    mode = os.environ.get("FAKE_QEMU_MODE", "ok")
    if runs := os.environ.get("FAKE_QEMU_RUNS"):
        with open(runs, "a") as fh:
            fh.write(mode + "\n")
    if mode == "no-kvm":
        print("qemu-system-x86_64: failed to initialize kvm: Permission denied", flush=True)
        return 1
    if mode == "msr-abort":
        print("qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69", flush=True)
        print("qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: "
              "Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.", flush=True)
        os.abort()
    print("[    0.000000] Linux version 6.12.0-fake (fake@kwb) #1 SMP", flush=True)
    if mode == "kernel-dies":
        print("[    0.100000] fake: the kernel triple-faults before init", flush=True)
        return 0
    print("KWB-PROBE-OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
