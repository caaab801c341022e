"""Running external commands with their output kept in a log file."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .errors import WorkbenchError


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

    ``on_line`` sees every output line (used for progress display).
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
        )
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                fh.write(line)
                if on_line:
                    on_line(line)
            rc = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        fh.write(f"# exit {rc} after {time.monotonic() - start:.1f}s\n")
    return rc, time.monotonic() - start


def info(msg: str) -> None:
    """Progress message for a person, on stderr so stdout stays parseable."""
    print(f"kwb: {msg}", file=sys.stderr, flush=True)
