"""One serial-console driver for every guest backend (plain QEMU, virtme-ng, a test fake).

:class:`Console` spawns the backend's command on a pty (pexpect), writes everything it reads to
a console log (flushed as it comes), waits for a shell, gives it a unique prompt and runs
commands framed by unique markers::

    echo KWB-BEGIN-<id>; <command>; echo KWB-END-<id> rc=$?

Every console line goes through a kernel-splat detector (panic, oops, BUG, WARNING, KASAN,
UBSAN, lockdep, lockups, RCU stalls, hung tasks, Call Trace); each report becomes an
:class:`Event` tied to the command that was running.

Outcomes of a command: ``pass`` (exit 0), ``fail`` (non-zero exit), ``crash`` (a kernel report
while it ran, or the guest died under it), ``hang`` (no end marker within its timeout).
A command that times out gets Ctrl-C, then a fresh marker; a guest that does not answer that
within the grace period is killed. A panic kills the guest at once (it is dead anyway).

On every way out (return, exception, timeout, SIGINT, SIGTERM) the whole process tree of the
backend is killed, the direct child reaped, and the log closed with a footer line.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import secrets
import signal
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import FrameType, TracebackType

import pexpect

from harness.errors import WorkbenchError

EXCERPT_LINES = 40
GRACE_SECONDS = 5.0


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    CRASH = "crash"
    HANG = "hang"
    INFRA_ERROR = "infra-error"
    NOT_RUN = "not-run"


# --------------------------------------------------------------------------- kernel reports

# Where a kernel line starts: line start, after the printk timestamp / caller id, or after a
# shell prompt the kernel wrote into (a serial console interleaves both).
_K = r"(?:^|\]\s*|[$#]\s+)"

# The first pattern that matches names the kind, so specific ones come first.
SPLAT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("panic", r"Kernel panic - not syncing"),
        ("kasan", _K + r"BUG: KASAN: "),
        ("kfence", _K + r"BUG: KFENCE: "),
        ("ubsan", _K + r"UBSAN: "),
        ("soft-lockup", _K + r"watchdog: BUG: soft lockup"),
        ("hard-lockup", _K + r"(?:NMI )?watchdog: (?:Watchdog detected )?hard LOCKUP"),
        ("rcu-stall", _K + r"rcu: INFO: \S+ (?:self-)?detected stalls?"),
        ("rcu-stall", _K + r"INFO: rcu_\w+ (?:self-)?detected stalls?"),
        ("hung-task", _K + r"INFO: task .* blocked for more than \d+ seconds"),
        ("lockdep", _K + r"WARNING: possible (?:circular|recursive) locking"),
        ("lockdep", _K + r"WARNING: (?:suspicious RCU usage|inconsistent lock state)"),
        ("gpf", _K + r"(?:Oops: )?general protection fault"),
        ("bug", _K + r"BUG: "),
        ("bug", _K + r"kernel BUG at "),
        ("oops", _K + r"Oops: "),
        ("warning", _K + r"WARNING: "),
        ("call-trace", _K + r"Call Trace:"),
    )
)
_SPLAT_END = re.compile(r"---\[ end (?:trace|Kernel panic)|^(?:\[[^\]]*\]\s*)?={20,}\s*$")


def splat_kind(line: str) -> str | None:
    """The kind of kernel report ``line`` opens (``panic``, ``oops``, ``bug``, ...), or None."""
    for kind, rx in SPLAT_PATTERNS:
        if rx.search(line):
            return kind
    return None


@dataclass
class Event:
    """A kernel report seen on the console.

    ``excerpt`` is the report's lines up to its end marker or :data:`EXCERPT_LINES` lines;
    ``command`` the harness command running when it began (None: boot or between commands);
    ``at`` seconds since the guest was started.
    """

    kind: str
    line: str
    excerpt: str
    command: str | None
    at: float


class SplatDetector:
    """Feeds on console lines; opens an :class:`Event` per report and grows its excerpt."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._open: Event | None = None
        self._lines = 0

    def feed(self, line: str, command: str | None, at: float) -> Event | None:
        """Take one console line; return the Event it opens, if any."""
        kind = splat_kind(line)
        cur = self._open
        if cur is not None and (kind != "panic" or cur.kind == "panic"):
            # Inside a report only a panic opens a new one: an oops' "Call Trace:" or the
            # "BUG: KASAN:" under a KASAN rule belong to the report being collected.
            cur.excerpt += "\n" + line
            self._lines += 1
            if _SPLAT_END.search(line) or self._lines >= EXCERPT_LINES:
                self._open = None
            return None
        if kind is None:
            return None
        event = Event(kind, line.strip(), line, command, round(at, 3))
        self.events.append(event)
        self._open = event
        self._lines = 1
        return event

    def end_excerpt(self) -> None:
        """Close the report being collected (a harness marker line arrived)."""
        self._open = None


# --------------------------------------------------------------------------- results


@dataclass
class CommandResult:
    """What one framed command did: its output (between the markers), exit status (None when
    it never finished), wall time, whether it timed out, and the kernel reports during it."""

    command: str
    output: str
    exit_status: int | None
    duration: float
    timed_out: bool
    events: list[Event] = field(default_factory=list)
    outcome: Outcome = Outcome.PASS
    note: str = ""


class ConsoleError(WorkbenchError):
    """The guest cannot go on: it crashed, hung or never became usable (``outcome`` says)."""

    def __init__(self, message: str, outcome: Outcome, *, log: str | None = None) -> None:
        super().__init__(message, log=log)
        self.outcome = outcome


# --------------------------------------------------------------------------- process tree


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


def _die_with_parent() -> None:
    """In the child: get SIGKILL if the harness dies without cleaning up (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


class _Terminated(SystemExit):
    """SIGTERM/SIGHUP turned into an exception, so that every ``finally`` runs."""


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside: SIGTERM and SIGHUP raise SystemExit(128+signo); SIGINT raises
    KeyboardInterrupt (even if it was ignored). Only in the main thread; a no-op elsewhere."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signo: int, _frame: FrameType | None) -> None:
        raise _Terminated(128 + signo)

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for signo, old in saved.items():
            signal.signal(signo, old if old is not None else signal.SIG_DFL)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP while cleaning up; they are delivered right after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    sigs = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# --------------------------------------------------------------------------- the console log


_CRLF = re.compile(r"\r+\n")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Log:
    """The console log: everything read, CR..CR-LF turned into LF, flushed at every write.

    Harness notes go on lines of their own, starting with ``### kwb:``. A note made while the
    guest is mid-line waits for the end of that line (so it never splits a kernel line), unless
    it is forced (harness actions, which happen at a prompt or when giving up).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._held_cr = False
        self._at_bol = True
        self._queued: list[str] = []

    def write(self, text: str) -> None:
        if self._fh.closed or not text:
            return
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if text.endswith("\r"):
            text, self._held_cr = text.rstrip("\r"), True
        text = _CRLF.sub("\n", text)
        if not text:
            return
        if self._queued and "\n" in text:
            head, _, tail = text.rpartition("\n")
            self._fh.write(head + "\n" + "".join(self._queued) + tail)
            self._queued.clear()
        else:
            self._fh.write(text)
        self._fh.flush()
        self._at_bol = text.endswith("\n")

    def note(self, msg: str, *, force: bool = True) -> None:
        if self._fh.closed:
            return
        line = f"### kwb: {msg}\n"
        if not self._at_bol and not force:
            self._queued.append(line)
            return
        prefix = "" if self._at_bol and not self._held_cr else "\n"
        self._held_cr = False
        self._fh.write(prefix + "".join(self._queued) + line)
        self._queued.clear()
        self._fh.flush()
        self._at_bol = True

    def close(self) -> None:
        if not self._fh.closed:
            if self._queued:
                self._fh.write(("" if self._at_bol else "\n") + "".join(self._queued))
            self._fh.close()


# --------------------------------------------------------------------------- the console

_LINUX_STARTED = re.compile(r"Linux version \d")
_PROMPTISH = re.compile(r"[#$>]\s?$")


class Console:
    """A guest's serial console, driven through a pty.

    Use as a context manager (or call :meth:`close`): leaving it kills the backend's whole
    process tree and finishes the log, whatever the reason for leaving.

    ``argv`` is the backend command (QEMU, vng or a fake); ``log_path`` the console log.
    """

    def __init__(
        self,
        argv: Sequence[str],
        log_path: Path,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.argv = [str(a) for a in argv]
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.grace = grace
        self.token = secrets.token_hex(4)
        self.prompt = f"kwb-{self.token}$ "
        self.detector = SplatDetector()
        self.kernel_started = False
        self.panicked = False
        self.dead = False  # the guest can run no more commands
        self.dead_reason = ""
        self.exit_status: int | None = None
        self.survivors: list[int] = []
        self.lines: list[str] = []
        self._partial = ""
        self._last_output = 0.0
        self._seq = 0
        self._current: str | None = None
        self._child: pexpect.spawn | None = None
        self._tree: dict[int, int] = {}
        self._log: _Log | None = None
        self._start = 0.0
        self._signals: contextlib.ExitStack | None = None

    # ----------------------------------------------------------------- lifecycle

    @property
    def events(self) -> list[Event]:
        return self.detector.events

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    @property
    def pids_seen(self) -> dict[int, int]:
        """``{pid: starttime}`` of every process of the backend's tree seen so far."""
        if self._child is not None:
            self._tree.update(process_tree(self._child.pid))
        return dict(self._tree)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._start

    def __enter__(self) -> Console:
        self._signals = contextlib.ExitStack()
        self._signals.enter_context(signals_raise())
        try:
            self.start()
        except BaseException:
            self.close("start failed")
            self._signals.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                reason = "done"
            elif issubclass(exc_type, KeyboardInterrupt):
                reason = "interrupted (SIGINT)"
            elif issubclass(exc_type, SystemExit):
                reason = f"terminated ({exc})"
            else:
                reason = f"error: {exc_type.__name__}: {exc}"
            self.close(reason)
        finally:
            if self._signals is not None:
                self._signals.close()

    def start(self) -> None:
        self._log = _Log(self.log_path)
        self._log.note(f"spawn: {' '.join(self.argv)}")
        self._start = self._last_output = time.monotonic()
        try:
            self._child = pexpect.spawn(
                self.argv[0], self.argv[1:], env=self.env, cwd=self.cwd, encoding="utf-8",
                codec_errors="replace", dimensions=(50, 250), preexec_fn=_die_with_parent,
                timeout=None)
        except pexpect.ExceptionPexpect as exc:
            self._log.note(f"spawn failed: {exc}")
            raise ConsoleError(f"cannot start the guest: {exc}", Outcome.INFRA_ERROR,
                               log=str(self.log_path)) from exc
        self._tree = process_tree(self._child.pid)

    def close(self, reason: str = "done") -> list[int]:
        """Kill the backend's process tree, reap it and close the log; idempotent.

        Returns (and keeps in ``survivors``) pids of the tree still alive afterwards: empty
        unless a process refused SIGKILL.
        """
        with _signals_blocked():
            self.kill(reason)
            if self._log is not None:
                status = "?" if self.exit_status is None else str(self.exit_status)
                dead = f"; guest: {self.dead_reason}" if self.dead_reason != reason else ""
                self._log.note(f"console closed: {reason}{dead}; backend exit status {status}"
                               + (f"; SURVIVORS {self.survivors}" if self.survivors else ""))
                self._log.close()
        return self.survivors

    def kill(self, reason: str) -> None:
        """Kill and reap the backend's process tree now (the log stays open); idempotent."""
        with _signals_blocked():
            child, self._child = self._child, None
            if child is None:
                return
            self._drain_quietly(child)
            self._kill_tree(child)
            self.dead = True
            self.dead_reason = self.dead_reason or reason

    def _drain_quietly(self, child: pexpect.spawn) -> None:
        """Take what is still buffered on the pty, so the log has the guest's last words."""
        with contextlib.suppress(Exception):
            for _ in range(64):
                self._feed(child.read_nonblocking(65536, timeout=0))

    def _kill_tree(self, child: pexpect.spawn) -> None:
        """SIGTERM the process group and every process of the tree, then SIGKILL whatever is
        left; reap the direct child. A process gone or a zombie counts as dead."""
        tree = {**self._tree, **process_tree(child.pid)}
        tree.pop(os.getpid(), None)
        self._tree = tree
        for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            if self.exit_status is None:  # once reaped, its pid/pgid may be someone else's
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.pid, sig)
            for pid, start in tree.items():
                if pid_alive(pid, start):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, sig)
            deadline = time.monotonic() + wait
            while True:
                self._reap(child)
                gone = not any(pid_alive(p, s) for p, s in tree.items())
                if gone or time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
            if gone:
                break
        self._reap(child)
        with contextlib.suppress(Exception):
            child.close(force=True)
        self.survivors = sorted(p for p, s in tree.items() if pid_alive(p, s))
        if self.survivors:
            self.note(f"processes survived SIGKILL: {self.survivors}")

    def _reap(self, child: pexpect.spawn) -> None:
        if self.exit_status is not None:
            return
        with contextlib.suppress(ChildProcessError, OSError):
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid == child.pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                child.terminated = True

    # ----------------------------------------------------------------- reading

    def note(self, msg: str, *, force: bool = True) -> None:
        """A harness note in the console log (on a line of its own, ``### kwb: ...``);
        ``force=False`` waits for the guest to end its current line."""
        if self._log is not None:
            self._log.note(msg, force=force)

    def _feed(self, text: str) -> None:
        if not text:
            return
        assert self._log is not None
        self._log.write(text)
        self._last_output = time.monotonic()
        self._partial += text
        if "\n" not in self._partial:
            return
        *complete, self._partial = self._partial.split("\n")
        for raw in complete:
            line = raw.replace("\r", "")
            self.lines.append(line)
            if "KWB" in line or self.prompt in line:
                self.detector.end_excerpt()  # a harness line ends any report being collected
            # (still scanned: the kernel may have written a report onto the prompt's line)
            if (event := self.detector.feed(line, self._current, self.elapsed)) is not None:
                self.note(f"kernel report ({event.kind}) during "
                          + (repr(self._current) if self._current else "boot/idle"),
                          force=False)
                if event.kind == "panic":
                    self.panicked = True
            if not self.kernel_started and _LINUX_STARTED.search(line):
                self.kernel_started = True

    def _pump(self, timeout: float) -> bool:
        """Read what arrives within ``timeout``; False once the backend has exited."""
        child = self._child
        if child is None or self.dead:
            return False
        try:
            self._feed(child.read_nonblocking(65536, timeout=max(timeout, 0.0)))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            self._reap(child)
            if self.exit_status is None:
                # EOF can come just before the exit status is there
                for _ in range(50):
                    time.sleep(0.02)
                    self._reap(child)
                    if self.exit_status is not None:
                        break
            self.note(f"backend exited (status {self.exit_status})")
            self._mark_dead(f"the guest exited (backend exit status {self.exit_status})")
            self.kill(self.dead_reason)  # its helpers (virtiofsd & co) go too
            return False
        return True

    def _mark_dead(self, reason: str) -> None:
        if not self.dead:
            self.dead = True
            self.dead_reason = reason

    def _after_panic(self) -> None:
        """A panicked guest is dead: collect the rest of the report, then kill it."""
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and self._pump(0.2):
            if "end Kernel panic" in (self.lines[-1] if self.lines else ""):
                self._pump(0.2)
                break
        panic = next((e for e in self.events if e.kind == "panic"), None)
        self.dead = True
        self.dead_reason = f"kernel panic: {panic.line}" if panic else "kernel panic"
        self.kill("kernel panic")

    def _wait_line(self, rx: re.Pattern[str], deadline: float, since: int) -> re.Match[str] | None:
        """Wait for a console line matching ``rx`` (among lines from index ``since``)."""
        checked = since
        last = False  # the final read is looked at once more before giving up
        while True:
            while checked < len(self.lines):
                if m := rx.search(self.lines[checked]):
                    return m
                checked += 1
            if self.panicked:
                self._after_panic()
                return None
            if last:
                return None
            now = time.monotonic()
            last = now >= deadline or not self._pump(min(0.5, deadline - now))

    def _send(self, text: str) -> None:
        if self._child is not None and not self.dead:
            with contextlib.suppress(OSError):
                self._child.send(text)

    # ----------------------------------------------------------------- shell

    def _setup_line(self, tag: str) -> str:
        return (f"export PS1='{self.prompt}' PS2='' TERM=dumb; stty cols 1000 2>/dev/null; "
                f"echo KWB''-READY-{tag}\r")

    def _shell_alive(self, tag: str, timeout: float) -> bool:
        """Send a fresh prompt-setup + marker; True when the shell echoes the marker back."""
        since = len(self.lines)
        self._send(self._setup_line(tag))
        rx = re.compile(rf"KWB-READY-{re.escape(tag)}\b")
        return self._wait_line(rx, time.monotonic() + timeout, since) is not None

    def wait_for_shell(self, timeout: float, *, poke_after: float = 2.0,
                       ready_hint: str | None = None) -> float:
        """Wait for a shell on the console and give it the harness prompt.

        Pokes the console (prompt setup + marker) when it shows something prompt-like, has
        been quiet for ``poke_after`` s, or (every second) once a line matching
        ``ready_hint`` (the backend's "init done" line) was seen: a kernel line printed right
        after the prompt would otherwise hide it. Returns seconds from start to the shell
        answering.
        Raises ConsoleError: crash (panic during boot), hang (the kernel started but no shell
        came), infra-error (the backend died, or nothing like a kernel ever spoke).
        """
        tag = f"{self.token}-0"
        rx = re.compile(rf"KWB-READY-{re.escape(tag)}\b")
        deadline = time.monotonic() + timeout
        last_poke = 0.0
        interval = poke_after
        hint = re.compile(ready_hint) if ready_hint else None
        hint_at: float | None = None
        hint_every = 1.0
        checked = 0
        while True:
            while checked < len(self.lines):
                if hint is not None and hint_at is None and hint.search(self.lines[checked]):
                    hint_at = time.monotonic()
                if rx.search(self.lines[checked]):
                    ready = self.elapsed
                    self._settle(0.5, 5.0)
                    self.note(f"shell ready after {ready:.1f}s")
                    if self._child is not None:
                        self._tree.update(process_tree(self._child.pid))
                    return ready
                checked += 1
            if self.panicked:
                self._after_panic()
                raise self._error("kernel panic during boot", Outcome.CRASH)
            now = time.monotonic()
            if now >= deadline:
                if self.kernel_started:
                    why, outcome = f"no shell within {timeout:.0f}s of boot", Outcome.HANG
                else:
                    why, outcome = (f"no kernel output and no shell within {timeout:.0f}s",
                                    Outcome.INFRA_ERROR)
                self.note(why)
                self._mark_dead(why)
                self.kill(why)
                raise self._error(why, outcome)
            # Poke when a prompt shows, after the hint, or when quiet; the last two with a
            # growing interval: every poke typed before the shell reads the tty is run by it
            # later, once per copy.
            quiet = now - self._last_output
            since_poke = now - last_poke
            if quiet > 0.3 and since_poke >= 1.0 and _PROMPTISH.search(
                    _ANSI.sub("", self._partial)):
                due = True
            elif hint_at is not None and now - hint_at >= 0.2 and since_poke >= hint_every:
                due, hint_every = True, min(hint_every * 2, 8.0)
            elif quiet >= interval and since_poke >= interval:
                due, interval = True, min(interval * 2, 16.0)
            else:
                due = False
            if due:
                self._send(self._setup_line(tag))
                last_poke = now
            if not self._pump(min(0.25, max(deadline - now, 0.0))):
                if self.panicked:
                    continue
                while checked < len(self.lines):  # did the final read bring the marker?
                    if rx.search(self.lines[checked]):
                        return self.elapsed
                    checked += 1
                why = self.dead_reason or "the guest exited during boot"
                outcome = Outcome.CRASH if self.kernel_started else Outcome.INFRA_ERROR
                self.kill(why)
                raise self._error(f"{why} before a shell came up", outcome)

    def _settle(self, quiet: float, limit: float) -> None:
        """Read until the console is quiet for ``quiet`` s (extra pokes still queued in the
        tty are run by the shell now) or ``limit`` s passed."""
        deadline = time.monotonic() + limit
        while (now := time.monotonic()) < deadline:
            if now - self._last_output >= quiet:
                return
            if not self._pump(min(0.1, deadline - now)):
                return

    def _error(self, msg: str, outcome: Outcome) -> ConsoleError:
        return ConsoleError(f"{msg} (console log: {self.log_path})", outcome)

    def run(self, command: str, timeout: float) -> CommandResult:
        """Run ``command`` in the guest shell, framed by markers, within ``timeout`` seconds.

        Never raises for guest trouble: a dead guest gives a result with outcome crash/hang
        (and ``self.dead`` set). Raises ConsoleError only if the guest was already dead.
        """
        if "\n" in command or "\r" in command:
            raise ValueError(f"one line per command: {command!r}")
        if self.dead or self._child is None:
            raise self._error(f"cannot run {command!r}: {self.dead_reason or 'no guest'}",
                              Outcome.NOT_RUN)
        self._seq += 1
        cid = f"{self.token}-{self._seq}"
        begin = re.compile(rf"KWB-BEGIN-{re.escape(cid)}\b")
        end = re.compile(rf"KWB-END-{re.escape(cid)} rc=(\d+)")
        n_events = len(self.events)
        since = len(self.lines)
        self._current = command
        self.note(f"run [{cid}] (timeout {timeout:g}s): {command}")
        start = time.monotonic()
        self._send(f"echo KWB''-BEGIN-{cid}; {command}; echo KWB''-END-{cid} rc=$?\r")
        m_end = self._wait_line(end, start + timeout, since)
        duration = time.monotonic() - start
        timed_out = False
        note = ""
        cut, tail = len(self.lines), self._partial
        if m_end is None and not self.dead:
            timed_out = True
            note = self._recover(cid, timeout)
        self._current = None
        # after a timeout, Ctrl-C may still have let the END marker (rc=130) through
        output, status = self._framed_output(since, begin, end, cut, tail)
        events = self.events[n_events:]
        result = CommandResult(command, output, status, round(duration, 3), timed_out, events,
                               note=note)
        result.outcome = self._outcome(result)
        if self.dead and not result.note:
            result.note = self.dead_reason
        self.note(f"[{cid}] {result.outcome} (exit {status}, {duration:.1f}s"
                  + (", timed out" if timed_out else "") + ")")
        return result

    def _recover(self, cid: str, timeout: float) -> str:
        """A command overran: Ctrl-C, then a newline, then check the shell still answers."""
        self.note(f"[{cid}] no end marker after {timeout:g}s: sending Ctrl-C")
        self._send("\x03")
        if self._shell_alive(f"{cid}-int", self.grace):
            return f"timed out after {timeout:g}s; interrupted with Ctrl-C"
        if self.dead:
            return self.dead_reason
        self.note(f"[{cid}] no answer to Ctrl-C: sending a newline")
        self._send("\r")
        if self._shell_alive(f"{cid}-nl", self.grace):
            return f"timed out after {timeout:g}s; shell answered after a newline"
        if self.dead:
            return self.dead_reason
        why = (f"guest stopped answering: no end marker within {timeout:g}s and no answer to "
               f"Ctrl-C or a newline within {self.grace:g}s each; killed")
        self.note(why)
        self._mark_dead(why)
        self.kill("guest unresponsive")
        return why

    def _framed_output(self, since: int, begin: re.Pattern[str], end: re.Pattern[str],
                       cut: int, tail: str) -> tuple[str, int | None]:
        """Output between the BEGIN and END markers and the status END reports.

        Without an END marker: the lines up to ``cut`` (where the command timed out) and the
        unfinished line ``tail`` then on the console, so the harness's recovery is left out.
        """
        lines = self.lines[since:]
        start = None
        rest = ""
        for i, ln in enumerate(lines):
            if (m := begin.search(ln)) is not None:
                start, rest = i, ln[m.end():]
                break
        if start is None:
            return "", None
        out: list[str] = [rest] if rest.strip() else []
        for ln in lines[start + 1 :]:
            if (m := end.search(ln)) is not None:
                if ln[: m.start()]:
                    out.append(ln[: m.start()])
                return "\n".join(out), int(m.group(1))
            out.append(ln)
        out = out[: max(cut - since - start - 1 + (1 if rest.strip() else 0), 0)]
        if tail.strip():
            out.append(tail.replace("\r", ""))
        return "\n".join(out), None

    def _outcome(self, r: CommandResult) -> Outcome:
        if r.events or (self.dead and self.panicked):
            return Outcome.CRASH
        if r.timed_out:
            return Outcome.HANG
        if r.exit_status is None:
            # the guest went away under the command without a report
            return Outcome.CRASH if self.dead else Outcome.HANG
        return Outcome.PASS if r.exit_status == 0 else Outcome.FAIL

    # ----------------------------------------------------------------- other waits

    def expect_line(self, pattern: str, timeout: float) -> re.Match[str] | None:
        """Wait for a console line matching ``pattern`` (lines from now on); None on timeout
        or when the guest dies."""
        return self._wait_line(re.compile(pattern), time.monotonic() + timeout, len(self.lines))
