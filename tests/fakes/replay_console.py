#!/usr/bin/env python3
"""FAKE guest that REPLAYS a real captured console log (tests/data/console/*.log): not a
kernel, not QEMU, but every byte it prints is what a real guest printed.

usage: replay_console.py LOG

The log's harness notes (``### kwb:``) are dropped. The boot (up to the first READY marker) is
printed at once; then it answers what the console driver types, segment by segment:

* a prompt-setup poke ``... echo KWB''-READY-<tag>``: the log's ``KWB-READY-<tag>`` line;
* a framed command ``echo KWB''-BEGIN-<id>; ...``: the log from ``KWB-BEGIN-<id>`` through
  ``KWB-END-<id> rc=N``; without an END (a timeout) up to the next harness input; at the end
  of the log (a panic: QEMU exited) it exits.

The driver must use the log's token (the test fixes it) and run the log's commands in order.
Ctrl-C is ignored (SIGINT): the log already holds what the guest printed after it.
"""

from __future__ import annotations

import re
import signal
import sys

POKE = re.compile(r"KWB''-READY-(\S+)")
FRAMED = re.compile(r"KWB''-BEGIN-(\S+);")


def out(lines: list[str]) -> None:
    for line in lines:
        sys.stdout.write(line + "\r\n")
    sys.stdout.flush()


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
        lines = [ln.rstrip("\n") for ln in fh if not ln.startswith("### kwb:")]
    ready = {m.group(1): i for i, ln in enumerate(lines)
             if (m := re.search(r"KWB-READY-(\S+)", ln)) and "''" not in ln}
    first = min(ready.values())
    boot = [ln for ln in lines[:first] if "KWB''-" not in ln]
    out(boot)
    while True:
        got = sys.stdin.readline()
        if not got:
            return 0
        if (m := FRAMED.search(got)) is not None:
            cid = m.group(1)
            start = next(i for i, ln in enumerate(lines) if ln.startswith(f"KWB-BEGIN-{cid}"))
            end = start + 1
            while end < len(lines) and not lines[end - 1].startswith(f"KWB-END-{cid} ") \
                    and "KWB''-" not in lines[end]:
                end += 1
            out(lines[start:end])
            if end >= len(lines):
                return 0  # the log ends here: the guest died (QEMU exited)
        elif (m := POKE.search(got)) is not None and m.group(1) in ready:
            out([lines[ready[m.group(1)]]])


if __name__ == "__main__":
    sys.exit(main())
