"""Running external commands with their output kept in a log file.

Long commands (``run_logged``: make, merge_config.sh) run in their own process group, so that
when kwb is stopped (Ctrl-C, SIGTERM) the whole group is stopped with it — make, its sub-makes
and the compilers — and nothing keeps writing into a build dir after kwb has let go of it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType

from .errors import WorkbenchError

#: How long a stopped process group gets between SIGTERM and SIGKILL.
STOP_GRACE = 5.0


class Terminated(SystemExit):
    """SIGTERM / SIGHUP as an exception (exit status 128 + signal number), so every
    ``finally`` runs; like KeyboardInterrupt it is not an ``Exception``."""

    def __init__(self, signo: int) -> None:
        super().__init__(128 + signo)
        self.signo = signo


def interrupt_status(exc: BaseException) -> int:
    """The exit status for kwb stopped by ``exc``: 130 for SIGINT, 128+N for signal N."""
    if isinstance(exc, SystemExit) and isinstance(exc.code, int):
        return exc.code
    return 130


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside: SIGTERM and SIGHUP raise :class:`Terminated`, SIGINT KeyboardInterrupt.
    Only in the main thread (a no-op elsewhere); the previous handlers are restored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signo: int, _frame: FrameType | None) -> None:
        raise Terminated(signo)

    sigs = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    saved = {s: signal.getsignal(s) for s in sigs}
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for signo, old in saved.items():
            signal.signal(signo, old if old is not None else signal.SIG_DFL)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP (cleaning up must not be cut short); delivered after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK,
                                 {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_group(proc: subprocess.Popen[str], grace: float = STOP_GRACE) -> None:
    """Stop a child started with ``process_group=0`` and everything in its group: SIGTERM
    (make deletes half-written targets), then SIGKILL after ``grace`` seconds; reaped."""
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if proc.poll() is not None and not _group_alive(pgid):
            break
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    proc.wait()
    # members of the group that are not our children are reaped by init; wait until gone
    deadline = time.monotonic() + grace
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)


def run(
    cmd: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    what: str | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a short command, capturing its output; raise a WorkbenchError naming it on failure."""
    full_env = {**os.environ, **(env or {})}
    argv = [str(c) for c in cmd]
    try:
        res = subprocess.run(argv, cwd=cwd, env=full_env, text=True, capture_output=True,
                             input=stdin)
    except FileNotFoundError as exc:
        raise WorkbenchError(f"{what or argv[0]}: command not found: {argv[0]}") from exc
    if check and res.returncode != 0:
        detail = (res.stderr or res.stdout).strip()
        raise WorkbenchError(
            f"{what or 'command'} failed (exit {res.returncode}): {shlex.join(argv)}"
            + (f"\n{detail}" if detail else "")
        )
    return res


def run_logged(
    cmd: Sequence[str | os.PathLike[str]],
    log: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    on_line: Callable[[str], None] | None = None,
) -> tuple[int, float]:
    """Run a long command, appending its merged output to ``log``; return (exit code, seconds).

    ``on_line`` sees every output line (used for progress display).  The command runs in its
    own process group; if kwb is interrupted meanwhile, the whole group is stopped, the log
    says so, and the interruption propagates.
    """
    full_env = {**os.environ, **(env or {})}
    argv = [str(c) for c in cmd]
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with open(log, "a", encoding="utf-8", errors="replace", buffering=1) as fh:
        fh.write(f"$ {shlex.join(argv)}\n")
        fh.flush()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            bufsize=1,
            process_group=0,
        )
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                fh.write(line)
                if on_line:
                    on_line(line)
            rc = proc.wait()
        except BaseException as exc:
            with signals_held():
                stop_group(proc)
                what = {130: "SIGINT", 143: "SIGTERM", 129: "SIGHUP"}.get(
                    interrupt_status(exc), type(exc).__name__) \
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)) else type(exc).__name__
                fh.write(f"# interrupted ({what}) after {time.monotonic() - start:.1f}s: "
                         f"process group {proc.pid} stopped\n")
            raise
        fh.write(f"# exit {rc} after {time.monotonic() - start:.1f}s\n")
    return rc, time.monotonic() - start


def info(msg: str) -> None:
    """Progress message for a person, on stderr so stdout stays parseable."""
    print(f"kwb: {msg}", file=sys.stderr, flush=True)
