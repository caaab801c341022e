#!/usr/bin/env python3
"""FAKE guest console for the console driver's tests: not a kernel, not QEMU.

Run on a pty (by ``harness.vm.console.driver.Console``), it prints a few kernel-looking boot
lines, then acts like a tiny shell that understands exactly what the driver sends (the prompt
setup line and marker-framed commands) plus a few scripted scenarios a real kernel
can't produce on cue:

  fake-echo TEXT      print TEXT, exit 0          fake-exit N       exit status N
  fake-pass / fake-skip / fake-fail   exit 0 / 4 (KSFT_SKIP) / 254 (a failed assertion)
  fake-sleep S        sleep S seconds, exit 0     fake-nonewline    print without a newline
  fake-oops           an oops report, then the test goes on and exits 0
  fake-warn           a WARNING report, exit 0
  fake-panic          a panic report, then the guest hangs (panic=0: nobody reboots it)
  fake-panic-exit     a panic report, then the "VM" exits (panic=-1 with -no-reboot)
  fake-hang           hang until Ctrl-C (SIGINT); then, like bash, no END marker
  fake-freeze         the whole guest stops answering (ignores Ctrl-C and input)
  fake-die            the "VM" exits without any report (e.g. a triple fault)
  test -c /dev/kvm    exit 0, or 1 when FAKE_NO_KVM is set
  ...dmesg...         a couple of kvm dmesg lines

Boot modes (``--mode``): ``normal``; ``no-prompt`` (boots, then silence); ``silent`` (prints
nothing at all); ``exit-at-boot``; ``panic-at-boot``.

``--pidfile F`` gets this process's pid and that of a helper grandchild (``sleep``, ignoring
SIGINT, standing in for virtiofsd & co) so tests can check nothing survives.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import time

SETUP = re.compile(r"PS1='(?P<ps1>[^']*)'.*echo KWB''-READY-(?P<tag>\S+)")
FRAMED = re.compile(r"^echo KWB''-BEGIN-(?P<id>\S+); (?P<cmd>.*); echo KWB''-END-(?P=id) rc=\$\?$")

T0 = time.monotonic()


def out(text: str, end: str = "\n") -> None:
    sys.stdout.write(text + end)
    sys.stdout.flush()


def klog(text: str) -> None:
    out(f"[{time.monotonic() - T0 + 1.0:12.6f}] {text}")


def oops() -> None:
    for line in (
        "BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "#PF: supervisor write access in kernel mode",
        "Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI",
        "CPU: 0 UID: 0 PID: 93 Comm: fake_test Not tainted 6.12.0-fake #1",
        "RIP: 0010:kvm_gmem_fake+0x12/0x40",
        "Call Trace:",
        " <TASK>",
        " kvm_vm_ioctl+0x3a/0x90",
        " __x64_sys_ioctl+0x8f/0xd0",
        " </TASK>",
        "---[ end trace 0000000000000000 ]---",
    ):
        klog(line)


def panic() -> None:
    for line in (
        "sysrq: Trigger a crash",
        "Kernel panic - not syncing: sysrq triggered crash",
        "CPU: 0 UID: 0 PID: 93 Comm: sh Not tainted 6.12.0-fake #1",
        "Call Trace:",
        " <TASK>",
        " panic+0x32a/0x380",
        " sysrq_handle_crash+0x15/0x20",
        " </TASK>",
        "Kernel Offset: disabled",
        "---[ end Kernel panic - not syncing: sysrq triggered crash ]---",
    ):
        klog(line)


def warn() -> None:
    for line in (
        "------------[ cut here ]------------",
        "WARNING: CPU: 0 PID: 93 at arch/x86/kvm/mmu/mmu.c:1234 kvm_fake+0x1/0x2",
        "Call Trace:",
        " <TASK>",
        " </TASK>",
        "---[ end trace 0000000000000000 ]---",
    ):
        klog(line)


class Interrupted(Exception):
    pass


def on_sigint(_signo: int, _frame: object) -> None:
    raise Interrupted


def forever() -> None:
    while True:
        time.sleep(3600)


def execute(cmd: str) -> int | None:
    """Run a scenario; the exit status, or None when (like bash after ^C) no END follows."""
    word, _, arg = cmd.partition(" ")
    try:
        if word == "fake-echo":
            out(arg)
        elif word == "fake-pass":
            out("ok 1 fake test")
        elif word == "fake-skip":
            out("ok 1 # SKIP fake test")
            return 4
        elif word == "fake-fail":
            out("==== Test Assertion Failure ====")
            return 254
        elif word == "fake-exit":
            return int(arg)
        elif word == "fake-sleep":
            time.sleep(float(arg))
        elif word == "fake-nonewline":
            out("partial line", end="")
        elif word == "fake-oops":
            out("fake test: step 1")
            oops()
            out("fake test: step 2 after the oops")
        elif word == "fake-warn":
            warn()
        elif word in ("fake-panic", "fake-panic-exit"):
            out("fake test: about to panic")
            panic()
            if word == "fake-panic-exit":
                os._exit(0)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            forever()
        elif word == "fake-hang":
            out("fake test: hanging")
            forever()
        elif word == "fake-freeze":
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            out("fake: last words before freezing")
            forever()
        elif word == "fake-die":
            out("fake: the VM resets")
            os._exit(0)
        elif cmd.startswith("test -c /dev/kvm"):
            return 1 if os.environ.get("FAKE_NO_KVM") else 0
        elif "dmesg" in cmd:
            out("kvm-dmesg| kvm_amd: Nested Virtualization enabled")
            out("kvm-dmesg| kvm_amd: Nested Paging enabled")
        else:
            out(f"sh: {word}: not found")
            return 127
    except Interrupted:
        out("^C")
        return None
    return 0


def shell(prompt: str) -> None:
    out(prompt, end="")
    while True:
        raw = sys.stdin.readline()
        if not raw:
            return
        line = raw.strip("\r\n")
        if m := SETUP.search(line):
            prompt = m["ps1"]
            out(f"KWB-READY-{m['tag']}")
        elif m := FRAMED.match(line):
            out(f"KWB-BEGIN-{m['id']}")
            rc = execute(m["cmd"])
            if rc is not None:
                out(f"KWB-END-{m['id']} rc={rc}")
        elif line.strip():
            execute(line.strip())
        out(prompt, end="")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="normal",
                    choices=["normal", "no-prompt", "silent", "exit-at-boot", "panic-at-boot"])
    ap.add_argument("--pidfile")
    ap.add_argument("--boot-delay", type=float, default=0.2)
    args = ap.parse_args()
    signal.signal(signal.SIGINT, on_sigint)
    helper = subprocess.Popen(["sleep", "1000"],
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    if args.pidfile:
        with open(args.pidfile, "w") as fh:
            fh.write(f"{os.getpid()}\n{helper.pid}\n")
    if args.mode == "silent":
        forever()
    klog("Linux version 6.12.0-fake (fake@kwb) #1 SMP PREEMPT_DYNAMIC")
    klog("Command line: console=ttyS0 panic=-1")
    time.sleep(args.boot_delay)
    if args.mode == "exit-at-boot":
        out("fake: last words before exiting")
        return 1
    if args.mode == "panic-at-boot":
        panic()
        forever()
    klog("Run /init as init process")
    if args.mode == "no-prompt":
        out("fake: last words before silence")
        forever()
    with contextlib.suppress(Interrupted):
        shell("~ # ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
