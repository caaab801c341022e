#!/usr/bin/env python3
"""Drives a guest console (the FAKE one, or a real QEMU) through harness.vm.console from a
separate process, so a test can send this process SIGINT / SIGTERM mid-command.

usage: drive_console.py LOG COMMAND TIMEOUT -- ARGV...
Prints "pids: <pid> ..." (the backend's process tree) once the shell answers, then runs
COMMAND; prints "outcome=..." if it returns.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harness.vm.console.driver import Console  # noqa: E402


def main() -> int:
    sep = sys.argv.index("--")
    log, command, timeout = sys.argv[1:sep]
    argv = sys.argv[sep + 1 :]
    with Console(argv, Path(log)) as con:
        con.wait_for_shell(120)
        print("pids:", *sorted(con.pids_seen), flush=True)
        result = con.run(command, float(timeout))
        print(f"outcome={result.outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
