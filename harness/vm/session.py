"""Boot a kernel, check the guest can run KVM selftests, run them, and keep raw records.

:func:`run_tests` returns a :class:`GuestRun`: per test its exit code, output, duration,
timeout flag and the kernel reports seen while it ran; for the run, its outcome, the
boot-to-prompt time, the accelerator and the console log. Interpreting test output (TAP or
not) is for :mod:`harness.results.ktap`; this module only says what happened on the console.

Outcomes (:class:`~harness.vm.outcome.RunOutcome`, decided by
:func:`harness.results.verdict.test_outcome` and :func:`~harness.results.verdict.guest_outcome`)
per test: pass (exit 0), skip (exit 4, KSFT_SKIP), fail (other exit), timeout (past its timeout
and interrupted, the guest still answering; or exit 124), crash (a kernel report while it ran,
or the guest died under it), hang (the guest stopped answering), not-run (the guest was dead
before its turn). The run: infra-error (no usable guest: backend failure, no /dev/kvm), else
crash > hang > fail > pass over the tests and the reports seen outside them.

SIGINT/SIGTERM during the session raise :class:`Interrupted` (a KeyboardInterrupt or a
SystemExit, as before) carrying the :class:`GuestRun` of the tests that had finished.
"""

from __future__ import annotations

import re
import shlex
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import WorkbenchError
from harness.results import verdict

from . import backends
from .console.driver import Console, ConsoleError, Event
from .outcome import RunOutcome

if TYPE_CHECKING:
    from harness.results.model import RunResult

Outcome = RunOutcome  # the name this module used

KSFT_SKIP = 4
NO_KVM = "guest has no /dev/kvm: every KVM selftest would skip"
KVM_DMESG = ("dmesg | grep -iE 'kvm|svm|vmx' | sed -e 's/^\\[[^]]*\\] *//' "
             "-e 's/^/kvm-dmesg| /'")
_DMESG_LINE = re.compile(r"^kvm-dmesg\| (.*)$")


@dataclass
class TestRecord:
    """What one selftest did in the guest (raw; ``exit_code`` None when it did not finish)."""

    name: str
    command: str
    outcome: Outcome
    exit_code: int | None = None
    output: str = ""
    duration: float = 0.0
    timed_out: bool = False
    events: list[Event] = field(default_factory=list)
    note: str = ""


@dataclass
class GuestRun:
    backend: str
    accel: str
    outcome: Outcome
    reason: str
    console_log: Path
    tests: list[TestRecord] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # all reports, boot included
    boot_seconds: float | None = None
    kvm_dmesg: list[str] = field(default_factory=list)
    backend_exit_status: int | None = None
    survivors: list[int] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)  # the backend's process tree, all killed
    argv: list[str] = field(default_factory=list)
    interrupted: str | None = None  # "SIGINT" / "SIGTERM": the tests that finished are here


class Interrupted(BaseException):
    """SIGINT/SIGTERM during a session: ``run`` holds the tests that had finished.

    Raised as :class:`SessionInterrupted` (a KeyboardInterrupt) or :class:`SessionTerminated`
    (a SystemExit with the signal's exit status), so callers that handled those still do;
    ``result`` is for the boot-and-test stage to attach the partial results to.
    """

    run: GuestRun
    signal: str
    result: RunResult | None = None


class SessionInterrupted(Interrupted, KeyboardInterrupt):
    pass


class SessionTerminated(Interrupted, SystemExit):
    pass


def _interrupted(run: GuestRun, exc: BaseException, pending: list[str]) -> Interrupted:
    code = exc.code if isinstance(exc, SystemExit) else None
    try:
        sig = signal.Signals(int(code) - 128).name if isinstance(code, int) else "SIGINT"
    except ValueError:
        sig = f"exit {code}"
    run.outcome, run.interrupted = RunOutcome.INTERRUPTED, sig
    left = f"; not run: {', '.join(pending)}" if pending else ""
    run.reason = f"interrupted by {sig} after {len(run.tests)} test(s){left}"
    out: Interrupted = SessionInterrupted() if code is None else SessionTerminated(code)
    out.run, out.signal = run, sig
    return out


def run_tests(
    backend: str | backends.Backend,
    bzimage: Path,
    tests: Mapping[str, Path],
    timeout_per_test: float | Mapping[str, float],
    log_dir: Path,
    *,
    accel: backends.Accel | None = None,
    opts: backends.GuestOptions | None = None,
    boot_timeout: float | None = None,
    grace: float = 5.0,
) -> GuestRun:
    """Boot ``bzimage`` with ``backend`` and run ``tests`` (name -> host binary) in order.

    Raises WorkbenchError only for setup errors on the host (missing kernel, QEMU, busybox);
    everything that happens to the guest is in the returned record. SIGINT/SIGTERM propagate
    (as KeyboardInterrupt/SystemExit) after the guest is killed and the log closed.
    """
    be = backends.backend(backend) if isinstance(backend, str) else backend
    opts = opts or backends.GuestOptions()
    accel = accel or backends.probe_accel(bzimage, qemu=opts.qemu)
    cmd = be.command(bzimage, tests, accel, opts)
    log_dir.mkdir(parents=True, exist_ok=True)
    log = _fresh(log_dir / f"console-{be.name}-{time.strftime('%Y%m%d-%H%M%S')}.log")
    run = GuestRun(be.name, str(accel), Outcome.NOT_RUN, "", log, argv=cmd.argv)
    pending = list(tests)
    try:
        with Console(cmd.argv, log, env=cmd.env, cwd=cmd.cwd, grace=grace) as con:
            for note in cmd.notes:
                con.note(note)
            try:
                _session(con, run, cmd, pending, timeout_per_test,
                         boot_timeout or cmd.boot_timeout)
            finally:
                run.events = list(con.events)
        run.backend_exit_status = con.exit_status
        run.survivors = con.survivors
        run.pids = sorted(con.pids_seen)
    except (KeyboardInterrupt, SystemExit) as exc:
        raise _interrupted(run, exc, pending) from exc
    finally:
        done = {t.name for t in run.tests}
        if run.interrupted is None:
            run.tests += [TestRecord(n, cmd.test_paths.get(n, n), Outcome.NOT_RUN,
                                     note=run.reason or "guest not usable")
                          for n in pending if n not in done]
    if run.outcome is Outcome.NOT_RUN:
        dead_reason = run.reason
        outside = [(e.kind, e.line) for e in run.events
                   if not any(e in t.events for t in run.tests)]
        run.outcome, run.reason = verdict.guest_outcome(
            [(t.name, t.outcome) for t in run.tests], outside)
        if dead_reason:
            run.reason += f" ({dead_reason})"
    if run.survivors:
        raise WorkbenchError(f"guest processes survived the kill: {run.survivors}",
                             log=str(log))
    return run


def _fresh(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3, ... added when it exists already."""
    n = 1
    out = path
    while out.exists():
        n += 1
        out = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return out


def _session(con: Console, run: GuestRun, cmd: backends.GuestCommand, pending: list[str],
             timeout: float | Mapping[str, float], boot_timeout: float) -> None:
    try:
        run.boot_seconds = round(con.wait_for_shell(boot_timeout, ready_hint=cmd.ready_hint), 2)
    except ConsoleError as exc:
        run.outcome, run.reason = exc.outcome, f"boot: {exc}"
        return
    if not _guest_check(con, run):
        return
    for name in list(pending):
        if con.dead:
            break
        limit = timeout[name] if isinstance(timeout, Mapping) else timeout  # per test: plan
        res = con.run(shlex.quote(cmd.test_paths[name]), limit)
        pending.remove(name)
        outcome = verdict.test_outcome(res.outcome, res.exit_status, timed_out=res.timed_out,
                                       guest_alive=not con.dead)
        run.tests.append(TestRecord(name, res.command, outcome, res.exit_status, res.output,
                                    res.duration, res.timed_out, res.events, res.note))
    if con.dead:
        run.reason = con.dead_reason


def _guest_check(con: Console, run: GuestRun) -> bool:
    """/dev/kvm must be there (else: infra-error); keep the kvm/SVM lines of dmesg."""
    res = con.run("test -c /dev/kvm", 30)
    if con.dead or res.timed_out:
        run.outcome = res.outcome if res.outcome in (Outcome.CRASH, Outcome.HANG) \
            else Outcome.INFRA_ERROR
        run.reason = f"guest check: {res.note or res.outcome}"
        return False
    dm = con.run(KVM_DMESG, 30)
    run.kvm_dmesg = [m.group(1) for ln in dm.output.splitlines()
                     if (m := _DMESG_LINE.match(ln.strip()))]
    if res.exit_status != 0:
        run.outcome, run.reason = Outcome.INFRA_ERROR, NO_KVM
        con.note(NO_KVM)
        return False
    return not con.dead
