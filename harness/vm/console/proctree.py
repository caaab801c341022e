"""The backend's process tree: who belongs to it (``/proc``), whether a pid is still alive, and
the signal handling that makes every way out of the console (SIGINT, SIGTERM, SIGHUP) unwind
through ``finally`` blocks, with the cleanup itself shielded from signals."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from pathlib import Path


def _stat(pid: int) -> tuple[str, int, int, int] | None:
    """(state, ppid, session, starttime) of a process, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (OSError, ValueError):
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[3]), int(fields[19])


def pid_alive(pid: int, starttime: int | None = None) -> bool:
    """True if ``pid`` exists and is not a zombie (and, if given, started at ``starttime``)."""
    st = _stat(pid)
    if st is None or st[0] in ("Z", "X"):
        return False
    return starttime is None or st[3] == starttime


def process_tree(root: int) -> dict[int, int]:
    """``{pid: starttime}`` of ``root``, its descendants and every process of its session."""
    stats: dict[int, tuple[str, int, int, int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = st
    found: dict[int, int] = {}
    if root in stats:
        found[root] = stats[root][3]
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, st in stats.items():
            if st[1] == parent and pid not in found:
                found[pid] = st[3]
                frontier.append(pid)
    for pid, st in stats.items():
        if st[2] == root and pid != os.getpid():
            found.setdefault(pid, st[3])
    return found


def die_with_parent() -> None:
    """In the child: get SIGKILL if the harness dies without cleaning up (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


def reap(pid: int) -> int | None:
    """The exit code of our child ``pid`` if it has exited (negative: killed by that signal),
    else None; never blocks."""
    with contextlib.suppress(ChildProcessError, OSError):
        got, status = os.waitpid(pid, os.WNOHANG)
        if got == pid:
            return os.waitstatus_to_exitcode(status)
    return None


def wait_exit(pid: int, timeout: float) -> int | None:
    """Wait up to ``timeout`` s for our child ``pid`` to exit; its exit code, or None."""
    deadline = time.monotonic() + timeout
    while (code := reap(pid)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return code


def kill_tree(leader: int, tree: dict[int, int], *, reaped: bool) -> tuple[list[int], int | None]:
    """Kill the process group of ``leader`` (a session leader: pexpect's child) and every
    process of ``tree`` (``{pid: starttime}``): SIGTERM, up to 2 s, then SIGKILL, up to 5 s.

    ``reaped``: the leader was reaped already (its pid and pgid may be someone else's now).
    Returns (the pids still alive afterwards, the leader's exit code if reaped here).
    """
    code: int | None = None
    tree = {p: s for p, s in tree.items() if p != os.getpid()}
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        if not reaped and code is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(leader, sig)
        for pid, start in tree.items():
            if pid_alive(pid, start):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while True:
            if not reaped and code is None:
                code = reap(leader)
            gone = not any(pid_alive(p, s) for p, s in tree.items())
            if gone or time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        if gone:
            break
    if not reaped and code is None:
        code = reap(leader)
    return sorted(p for p, s in tree.items() if pid_alive(p, s)), code
