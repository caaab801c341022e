"""One serial-console driver for every guest backend (plain QEMU, virtme-ng, a test fake).

:class:`Console` spawns the backend's command on a pty with pexpect. Everything pexpect reads
goes, through ``logfile_read``, to a :class:`ConsoleWatcher`: the console log (flushed as it
comes) and, line by line, the kernel-splat detector (:mod:`.splat`). Waiting is pexpect's own
``expect`` over a pattern list: the marker awaited, a kernel panic, EOF (the backend exited) and
TIMEOUT. The driver waits for a shell, gives it a unique prompt and runs commands framed by
unique markers::

    echo KWB-BEGIN-<id>; <command>; echo KWB-END-<id> rc=$?

Outcomes of a command: ``pass`` (exit 0), ``fail`` (non-zero exit), ``crash`` (a kernel report
while it ran, or the guest died under it), ``hang`` (no end marker within its timeout).
A command that times out gets Ctrl-C, then a fresh marker; a guest that does not answer that
within the grace period is killed. A panic kills the guest at once (it is dead anyway).

On every way out (return, exception, timeout, SIGINT, SIGTERM) the backend's process group and
whole process tree are killed (:mod:`.proctree`), the direct child reaped, and the log closed
with a footer line.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pexpect

from harness.errors import WorkbenchError
from harness.proc import signals_held as signals_blocked
from harness.proc import signals_raise
from harness.vm.outcome import RunOutcome

from .log import ConsoleLog
from .proctree import (
    die_with_parent,
    kill_tree,
    pid_alive,
    process_tree,
    wait_exit,
)
from .splat import Event, SplatDetector, splat_kind

__all__ = ["Console", "ConsoleError", "CommandResult", "ConsoleWatcher", "Event", "Outcome",
           "SplatDetector", "pid_alive", "splat_kind"]

GRACE_SECONDS = 5.0


# The one guest outcome type (issue 9); ``Outcome`` is its name in this module.
Outcome = RunOutcome


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


# --------------------------------------------------------------------------- the watcher

_LINUX_STARTED = re.compile(r"Linux version \d")


class ConsoleWatcher:
    """pexpect's ``logfile_read``: writes what the guest says to the log and feeds each
    complete line to the splat detector (tied to the command running then)."""

    def __init__(self, log: ConsoleLog, prompt: str, start: float) -> None:
        self.log = log
        self.prompt = prompt
        self.detector = SplatDetector()
        self.lines: list[str] = []
        self.partial = ""
        self.command: str | None = None
        self.kernel_started = False
        self.panicked = False
        self.start = start
        self.last_output = start

    def write(self, text: str) -> None:
        if not text:
            return
        self.log.write(text)
        self.last_output = time.monotonic()
        *complete, self.partial = (self.partial + text).split("\n")
        for raw in complete:
            self._line(raw.replace("\r", ""))

    def flush(self) -> None:
        """pexpect calls this after every write; the log flushes itself."""

    def _line(self, line: str) -> None:
        self.lines.append(line)
        if "KWB" in line or self.prompt in line:
            self.detector.end_excerpt()  # a harness line ends any report being collected
        # (still scanned: the kernel may have written a report onto the prompt's line)
        at = time.monotonic() - self.start
        if (event := self.detector.feed(line, self.command, at)) is not None:
            self.log.note(f"kernel report ({event.kind}) during "
                          + (repr(self.command) if self.command else "boot/idle"), force=False)
            if event.kind == "panic":
                self.panicked = True
        if not self.kernel_started and _LINUX_STARTED.search(line):
            self.kernel_started = True

    def finish_line(self) -> None:
        """The backend is gone: its unfinished last line is a line too."""
        if self.partial.strip():
            line, self.partial = self.partial, ""
            self._line(line.replace("\r", ""))


# --------------------------------------------------------------------------- the console

PANIC = re.compile(r"Kernel panic - not syncing")
_PANIC_END = re.compile(r"---\[ end Kernel panic[^\n]*\n")
_PROMPTISH = re.compile(r"[#$>] ?\Z")  # something prompt-like ends what was read so far
_ANY = re.compile(r".+", re.DOTALL)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# what _expect returns besides the index of the caller's pattern that matched
GONE = -1  # the guest died (panic handled, or the backend exited)
TIMED_OUT = -2


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
        self.dead = False  # the guest can run no more commands
        self.dead_reason = ""
        self.exit_status: int | None = None
        self.survivors: list[int] = []
        self._seq = 0
        self._child: pexpect.spawn | None = None
        self._tree: dict[int, int] = {}
        self._log: ConsoleLog | None = None
        self._watch: ConsoleWatcher | None = None
        self._start = 0.0
        self._signals: contextlib.ExitStack | None = None
        self.before = ""  # what the last wait read before its match (or before giving up)
        self.match: re.Match[str] | None = None  # the last wait's match

    # ----------------------------------------------------------------- state

    @property
    def watcher(self) -> ConsoleWatcher:
        if self._watch is None:
            raise RuntimeError("the console was not started")
        return self._watch

    @property
    def events(self) -> list[Event]:
        return self._watch.detector.events if self._watch is not None else []

    @property
    def lines(self) -> list[str]:
        return self._watch.lines if self._watch is not None else []

    @property
    def panicked(self) -> bool:
        return self._watch is not None and self._watch.panicked

    @property
    def kernel_started(self) -> bool:
        return self._watch is not None and self._watch.kernel_started

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

    # ----------------------------------------------------------------- lifecycle

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
        self._log = ConsoleLog(self.log_path)
        self._log.note(f"spawn: {' '.join(self.argv)}")
        self._start = time.monotonic()
        self._watch = ConsoleWatcher(self._log, self.prompt, self._start)
        try:
            self._child = pexpect.spawn(
                self.argv[0], self.argv[1:], env=self.env, cwd=self.cwd, encoding="utf-8",
                codec_errors="replace", dimensions=(50, 250), preexec_fn=die_with_parent,
                timeout=None)
        except pexpect.ExceptionPexpect as exc:
            self._log.note(f"spawn failed: {exc}")
            raise ConsoleError(f"cannot start the guest: {exc}", Outcome.INFRA_ERROR,
                               log=str(self.log_path)) from exc
        self._child.logfile_read = self._watch
        self._tree = process_tree(self._child.pid)

    def close(self, reason: str = "done") -> list[int]:
        """Kill the backend's process tree, reap it and close the log; idempotent.

        Returns (and keeps in ``survivors``) pids of the tree still alive afterwards: empty
        unless a process refused SIGKILL.
        """
        with signals_blocked():
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
        with signals_blocked():
            child, self._child = self._child, None
            if child is None:
                return
            # what is still buffered on the pty: the log gets the guest's last words
            with contextlib.suppress(Exception):
                child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=0.05)
            tree = {**self._tree, **process_tree(child.pid)}
            self._tree = tree
            self._take_exit_status(child)
            self.survivors, code = kill_tree(child.pid, tree,
                                             reaped=self.exit_status is not None)
            if self.exit_status is None:
                self.exit_status = code
            child.terminated = self.exit_status is not None
            with contextlib.suppress(Exception):
                child.close(force=True)
            if self._watch is not None:
                self._watch.finish_line()
            if self.survivors:
                self.note(f"processes survived SIGKILL: {self.survivors}")
            self.dead = True
            self.dead_reason = self.dead_reason or reason

    # ----------------------------------------------------------------- waiting

    def note(self, msg: str, *, force: bool = True) -> None:
        """A harness note in the console log (on a line of its own, ``### kwb: ...``);
        ``force=False`` waits for the guest to end its current line."""
        if self._log is not None:
            self._log.note(msg, force=force)

    def _expect(self, patterns: Sequence[re.Pattern[str]], timeout: float) -> int:
        """pexpect's ``expect`` over ``patterns`` + a kernel panic + EOF + TIMEOUT.

        Returns the index of the pattern that matched (:attr:`match` holds it), or GONE (a
        panic, then the guest was killed; or the backend exited) or TIMED_OUT. :attr:`before`
        is what was read before the match (or before giving up), as pexpect gives it.
        """
        child = self._child
        if child is None or self.dead:
            return GONE
        n = len(patterns)
        i = child.expect([*patterns, PANIC, pexpect.EOF, pexpect.TIMEOUT],
                         timeout=max(timeout, 0.0))
        self.before = child.before if isinstance(child.before, str) else ""
        self.match = child.match if isinstance(child.match, re.Match) else None
        if i < n:
            return i
        if i == n:
            self._after_panic()
        elif i == n + 1:
            self._backend_exited()
        else:
            return TIMED_OUT
        return GONE

    def _backend_exited(self) -> None:
        assert self._child is not None
        # EOF can come just before the exit status is there
        self._take_exit_status(self._child, wait=1.0)
        self.note(f"backend exited (status {self.exit_status})")
        self._mark_dead(f"the guest exited (backend exit status {self.exit_status})")
        self.kill(self.dead_reason)  # its helpers (virtiofsd & co) go too

    def _take_exit_status(self, child: pexpect.spawn, wait: float = 0.0) -> None:
        """The backend's exit code, if it has exited: pexpect may have reaped it already (its
        read checks ``isalive()`` when no data comes), else we reap it (waiting up to
        ``wait`` s: EOF can come just before the exit status is there)."""
        if self.exit_status is not None:
            return
        if child.terminated and child.status is not None:
            self.exit_status = os.waitstatus_to_exitcode(child.status)
        else:
            self.exit_status = wait_exit(child.pid, wait)

    def _after_panic(self) -> None:
        """A panicked guest is dead: collect the rest of the report, then kill it."""
        assert self._child is not None
        i = self._child.expect([_PANIC_END, pexpect.EOF, pexpect.TIMEOUT], timeout=3.0)
        if i == 1:
            self._take_exit_status(self._child, wait=1.0)
            self.note(f"backend exited (status {self.exit_status})")
        self.watcher.finish_line()
        panic = next((e for e in self.events if e.kind == "panic"), None)
        self._mark_dead(f"kernel panic: {panic.line}" if panic else "kernel panic")
        self.kill("kernel panic")

    def _mark_dead(self, reason: str) -> None:
        if not self.dead:
            self.dead = True
            self.dead_reason = reason

    def _send(self, text: str) -> None:
        if self._child is not None and not self.dead:
            with contextlib.suppress(OSError):
                self._child.send(text)

    def _settle(self, quiet: float, limit: float) -> None:
        """Read until the console is quiet for ``quiet`` s (extra pokes still queued in the
        tty are run by the shell now) or ``limit`` s passed."""
        deadline = time.monotonic() + limit
        while (left := deadline - time.monotonic()) > 0:
            if self._expect([_ANY], min(quiet, left)) != 0:
                return

    def _error(self, msg: str, outcome: Outcome) -> ConsoleError:
        return ConsoleError(f"{msg} (console log: {self.log_path})", outcome)

    # ----------------------------------------------------------------- shell

    def _setup_line(self, tag: str) -> str:
        return (f"export PS1='{self.prompt}' PS2='' TERM=dumb; stty cols 1000 2>/dev/null; "
                f"echo KWB''-READY-{tag}\r")

    @staticmethod
    def _ready(tag: str) -> re.Pattern[str]:
        return re.compile(rf"KWB-READY-{re.escape(tag)}\b")

    def _shell_alive(self, tag: str, timeout: float) -> tuple[bool, str]:
        """Send a fresh prompt-setup + marker; (the shell echoed the marker back, what was read
        before it)."""
        self._send(self._setup_line(tag))
        ok = self._expect([self._ready(tag)], timeout) == 0
        return ok, self.before

    def wait_for_shell(self, timeout: float, *, poke_after: float = 2.0,
                       ready_hint: str | None = None) -> float:
        """Wait for a shell on the console and give it the harness prompt.

        Pokes the console (prompt setup + marker) when it shows something prompt-like and then
        is quiet a moment, has been quiet for ``poke_after`` s, or (every second, then less
        often) once a line matching ``ready_hint`` (the backend's "init done" line) was seen:
        a kernel line printed right after the prompt would otherwise hide it. Every poke typed
        before the shell reads the tty is run by it later, once per copy: hence the growing
        intervals. Returns seconds from start to the shell answering.
        Raises ConsoleError: crash (panic during boot), hang (the kernel started but no shell
        came), infra-error (the backend died, or nothing like a kernel ever spoke).
        """
        tag = f"{self.token}-0"
        patterns = [self._ready(tag), _PROMPTISH]
        if ready_hint:
            patterns.append(re.compile(ready_hint))
        deadline = time.monotonic() + timeout
        last_poke = 0.0
        interval, hint_every = poke_after, 1.0
        prompt_at: float | None = None
        hint_at: float | None = None
        while True:
            now = time.monotonic()
            i = self._expect(patterns, min(0.25, max(deadline - now, 0.0)))
            now = time.monotonic()
            if i == 0:
                ready = self.elapsed
                self._settle(0.5, 5.0)
                self.note(f"shell ready after {ready:.1f}s")
                self._tree = self.pids_seen
                return ready
            if i == GONE:
                self._boot_failed()
            if i == 1 and _PROMPTISH.search(_ANSI.sub("", self.watcher.partial)):
                prompt_at = now
            elif i == 2 and hint_at is None:
                hint_at = now
            if now >= deadline:
                self._boot_timed_out(timeout)
            quiet = now - self.watcher.last_output
            since_poke = now - last_poke
            if prompt_at is not None and quiet > 0.3 and since_poke >= 1.0:
                due, prompt_at = True, None
            elif hint_at is not None and now - hint_at >= 0.2 and since_poke >= hint_every:
                due, hint_every = True, min(hint_every * 2, 8.0)
            elif quiet >= interval and since_poke >= interval:
                due, interval = True, min(interval * 2, 16.0)
            else:
                due = False
            if due:
                self._send(self._setup_line(tag))
                last_poke = now

    def _boot_failed(self) -> None:
        if self.panicked:
            raise self._error("kernel panic during boot", Outcome.CRASH)
        why = self.dead_reason or "the guest exited during boot"
        outcome = Outcome.CRASH if self.kernel_started else Outcome.INFRA_ERROR
        raise self._error(f"{why} before a shell came up", outcome)

    def _boot_timed_out(self, timeout: float) -> None:
        if self.kernel_started:
            why, outcome = f"no shell within {timeout:.0f}s of boot", Outcome.HANG
        else:
            why, outcome = f"no kernel output and no shell within {timeout:.0f}s", \
                Outcome.INFRA_ERROR
        self.note(why)
        self._mark_dead(why)
        self.kill(why)
        raise self._error(why, outcome)

    # ----------------------------------------------------------------- commands

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
        self.watcher.command = command
        self.note(f"run [{cid}] (timeout {timeout:g}s): {command}")
        start = time.monotonic()
        self._send(f"echo KWB''-BEGIN-{cid}; {command}; echo KWB''-END-{cid} rc=$?\r")
        status: int | None = None
        output = ""
        got = self._expect([begin], timeout)
        if got == 0:
            got = self._expect([end], start + timeout - time.monotonic())
            output = _clean(self.before)
            if got == 0 and self.match is not None:
                status = int(self.match.group(1))
        duration = time.monotonic() - start
        timed_out = got == TIMED_OUT
        note = ""
        if timed_out:
            note, late = self._recover(cid, timeout)
            # Ctrl-C may still have let the END marker (rc=130) through; ``late`` is all that
            # was read since BEGIN (pexpect keeps it across a TIMEOUT)
            if (m := end.search(late)) is not None:
                output, status = _clean(late[: m.start()]), int(m.group(1))
        self.watcher.command = None
        result = CommandResult(command, output, status, round(duration, 3), timed_out,
                               self.events[n_events:], note=note)
        result.outcome = self._outcome(result)
        if self.dead and not result.note:
            result.note = self.dead_reason
        self.note(f"[{cid}] {result.outcome} (exit {status}, {duration:.1f}s"
                  + (", timed out" if timed_out else "") + ")")
        return result

    def _recover(self, cid: str, timeout: float) -> tuple[str, str]:
        """A command overran: Ctrl-C, then a newline, then check the shell still answers.
        Returns (what happened, what the guest printed meanwhile)."""
        self.note(f"[{cid}] no end marker after {timeout:g}s: sending Ctrl-C")
        self._send("\x03")
        ok, late = self._shell_alive(f"{cid}-int", self.grace)
        if ok:
            return f"timed out after {timeout:g}s; interrupted with Ctrl-C", late
        if self.dead:
            return self.dead_reason, late
        self.note(f"[{cid}] no answer to Ctrl-C: sending a newline")
        self._send("\r")
        ok, late = self._shell_alive(f"{cid}-nl", self.grace)
        if ok:
            return f"timed out after {timeout:g}s; shell answered after a newline", late
        if self.dead:
            return self.dead_reason, late
        why = (f"guest stopped answering: no end marker within {timeout:g}s and no answer to "
               f"Ctrl-C or a newline within {self.grace:g}s each; killed")
        self.note(why)
        self._mark_dead(why)
        self.kill("guest unresponsive")
        return why, late

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
        """Wait for console output matching ``pattern`` (among what was not yet consumed by an
        earlier wait); None on timeout or when the guest dies."""
        return self.match if self._expect([re.compile(pattern)], timeout) == 0 else None


def _clean(text: str) -> str:
    """Output as read from the pty: CR-LF as LF, no stray CR, without the line breaks that
    end the BEGIN marker's line and start the END marker's."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    if text.startswith("\n"):
        text = text[1:]
    return text[:-1] if text.endswith("\n") else text
