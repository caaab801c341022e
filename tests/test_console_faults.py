"""The console driver under faults: with the FAKE guest console (tests/fakes/fake_console.py)
for corners a kernel can't reach on cue, and with the real kernel under QEMU (marked
``kernel``) for a real panic, a real hang and a real SIGINT.

Every test checks the classification, the record, that the console log is complete (holds the
last line the guest emitted and the closing footer) and that no process of the guest survives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.vm import backends, initramfs, session
from harness.vm.console.driver import Console, ConsoleError, Outcome
from harness.vm.console.proctree import pid_alive
from harness.vm.console.splat import SplatDetector, splat_kind

FAKES = Path(__file__).resolve().parent / "fakes"
FAKE = FAKES / "fake_console.py"
DRIVER = FAKES / "drive_console.py"
CLOSED = "### kwb: console closed:"
# Waits that end as soon as the awaited thing happens get generous slack: the fake answers at
# once on a quiet machine, but a loaded one (a kernel build beside) can take seconds.
SLACK = 60


# --------------------------------------------------------------------------- helpers


def fake_argv(pidfile: Path, *extra: str) -> list[str]:
    return [sys.executable, str(FAKE), "--pidfile", str(pidfile), *extra]


def fake_pids(pidfile: Path) -> list[int]:
    return [int(x) for x in pidfile.read_text().split()]


def assert_all_gone(pids: list[int] | dict[int, int]) -> None:
    """No pid alive (zombies awaiting a reaper count as gone); checked via /proc. Generous
    slack for a loaded machine: it returns as soon as they are gone."""
    deadline = time.monotonic() + 60
    items = pids.items() if isinstance(pids, dict) else [(p, None) for p in pids]
    alive = [p for p, s in items if pid_alive(p, s)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p, s in items if pid_alive(p, s)]
    assert not alive, f"processes survived: {alive}"


def log_text(path: Path) -> str:
    text = path.read_text()
    assert CLOSED in text.splitlines()[-1], "log not finished with the closing footer"
    return text


@pytest.fixture
def pidfile(tmp_path: Path) -> Path:
    return tmp_path / "fake.pids"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "console.log"


# --------------------------------------------------------------------------- splat patterns


@pytest.mark.parametrize(("line", "kind"), [
    ("[   12.345678] Kernel panic - not syncing: sysrq triggered crash", "panic"),
    ("[    3.100000] BUG: kernel NULL pointer dereference, address: 0000000000000000", "bug"),
    ("[    3.100000] Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI", "oops"),
    ("[    3.100000] Oops: general protection fault, probably for non-canonical address", "gpf"),
    ("[    3.100000] WARNING: CPU: 0 PID: 1 at arch/x86/kvm/x86.c:1 f+0x1/0x2", "warning"),
    ("[    3.100000] BUG: KASAN: slab-use-after-free in kvm_gmem_release+0x1/0x2", "kasan"),
    ("[    3.100000] UBSAN: array-index-out-of-bounds in arch/x86/kvm/x86.c:12:3", "ubsan"),
    ("[    3.100000] WARNING: possible circular locking dependency detected", "lockdep"),
    ("[    3.100000] WARNING: possible recursive locking detected", "lockdep"),
    ("[   30.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [t:93]", "soft-lockup"),
    ("[   30.000000] watchdog: Watchdog detected hard LOCKUP on cpu 1", "hard-lockup"),
    ("[   30.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", "rcu-stall"),
    ("[  300.000000] INFO: task t:93 blocked for more than 120 seconds.", "hung-task"),
    ("[    3.100000] Call Trace:", "call-trace"),
    ("kwb-1234$ [    3.1] BUG: scheduling while atomic: t/93/0x00000002", "bug"),
])
def test_splat_kinds(line: str, kind: str) -> None:
    assert splat_kind(line) == kind


@pytest.mark.parametrize("line", [
    "kvm-dmesg| WARNING: CPU: 0 PID: 1 at arch/x86/kvm/x86.c:1",  # replayed by the dmesg check
    "==== Test Assertion Failure ====",
    "Testing MOVE of in-use region, 10 loops",
    "echo KWB''-BEGIN-1; ./bug_test; echo KWB''-END-1 rc=$?",
])
def test_not_splats(line: str) -> None:
    assert splat_kind(line) is None


def test_excerpt_stops_at_end_marker_and_panic_opens_its_own() -> None:
    det = SplatDetector()
    lines = ["BUG: unable to handle page fault", "Oops: 0000 [#1] SMP", "Call Trace:",
             " <TASK>", "---[ end trace 0000000000000000 ]---", "after the oops",
             "Kernel panic - not syncing: Fatal exception", "---[ end Kernel panic ]---"]
    for ln in lines:
        det.feed(ln, "t", 1.0)
    kinds = [e.kind for e in det.events]
    assert kinds == ["bug", "panic"]
    assert det.events[0].excerpt.splitlines()[-1].startswith("---[ end trace")
    assert "after the oops" not in det.events[0].excerpt


def test_excerpt_is_capped() -> None:
    det = SplatDetector()
    det.feed("[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1 f", None, 0.0)
    for i in range(100):
        det.feed(f"[ 1.0] line {i}", None, 0.0)
    assert len(det.events[0].excerpt.splitlines()) == 40


# --------------------------------------------------------------------------- fake guest


def test_pass_fail_output_and_clean_close(pidfile: Path, log: Path) -> None:
    with Console(fake_argv(pidfile), log) as con:
        assert con.wait_for_shell(SLACK) < SLACK
        ok = con.run("fake-echo hello world", SLACK)
        bad = con.run("fake-exit 3", SLACK)
        partial = con.run("fake-nonewline", SLACK)
    assert (ok.outcome, ok.exit_status, ok.output) == (Outcome.PASS, 0, "hello world")
    assert (bad.outcome, bad.exit_status, bad.output) == (Outcome.FAIL, 3, "")
    assert (partial.outcome, partial.output) == (Outcome.PASS, "partial line")
    assert not ok.timed_out and not ok.events and ok.note == ""
    assert_all_gone(fake_pids(pidfile))
    assert_all_gone(con.pids_seen)
    assert con.survivors == []
    text = log_text(log)
    assert "hello world" in text and "partial line" in text


def test_oops_is_a_crash_and_the_test_goes_on(pidfile: Path, log: Path) -> None:
    with Console(fake_argv(pidfile), log) as con:
        con.wait_for_shell(SLACK)
        res = con.run("fake-oops", SLACK)
        after = con.run("fake-echo still alive", SLACK)
    assert res.outcome is Outcome.CRASH and res.exit_status == 0
    assert "step 2 after the oops" in res.output
    (ev,) = res.events
    assert ev.kind == "bug" and ev.command == "fake-oops"
    assert "Oops: Oops: 0002" in ev.excerpt and "Call Trace:" in ev.excerpt
    assert ev.excerpt.splitlines()[-1].endswith("---[ end trace 0000000000000000 ]---")
    assert after.outcome is Outcome.PASS and after.output == "still alive"
    assert_all_gone(fake_pids(pidfile))
    assert "still alive" in log_text(log)


def test_warning_is_a_crash(pidfile: Path, log: Path) -> None:
    with Console(fake_argv(pidfile), log) as con:
        con.wait_for_shell(SLACK)
        res = con.run("fake-warn", SLACK)
    assert res.outcome is Outcome.CRASH and [e.kind for e in res.events] == ["warning"]
    assert_all_gone(fake_pids(pidfile))


@pytest.mark.parametrize("scenario", ["fake-panic", "fake-panic-exit"])
def test_panic_mid_test_ends_the_run(pidfile: Path, log: Path, scenario: str) -> None:
    with Console(fake_argv(pidfile), log) as con:
        con.wait_for_shell(SLACK)
        res = con.run(scenario, 600)
        assert con.dead and con.panicked
        with pytest.raises(ConsoleError) as exc:
            con.run("fake-echo too late", SLACK)
        assert exc.value.outcome is Outcome.NOT_RUN
    # the panic ended the command, not its timeout (no wall-clock margin: the timeout is far)
    assert not res.timed_out and res.duration < 600
    assert res.outcome is Outcome.CRASH and res.exit_status is None
    assert res.note == f"kernel panic: {res.events[0].line}"
    (ev,) = res.events
    assert ev.kind == "panic" and ev.command == scenario
    assert ev.excerpt.splitlines()[-1].endswith("end Kernel panic - not syncing: sysrq "
                                               "triggered crash ]---")
    assert_all_gone(fake_pids(pidfile))
    assert "---[ end Kernel panic" in log_text(log)


def test_hang_past_timeout_is_interrupted_and_the_guest_goes_on(pidfile: Path,
                                                                 log: Path) -> None:
    with Console(fake_argv(pidfile), log, grace=SLACK) as con:
        con.wait_for_shell(SLACK)
        res = con.run("fake-hang", 1)
        after = con.run("fake-echo next test", SLACK)
    assert res.outcome is Outcome.HANG and res.timed_out and res.exit_status is None
    assert res.output == "fake test: hanging"
    assert res.note == "timed out after 1s; interrupted with Ctrl-C"
    assert after.outcome is Outcome.PASS
    assert_all_gone(fake_pids(pidfile))
    assert "next test" in log_text(log)


def test_frozen_guest_is_killed_within_bounded_time(pidfile: Path, log: Path) -> None:
    with Console(fake_argv(pidfile), log, grace=1) as con:
        con.wait_for_shell(SLACK)
        res = con.run("fake-freeze", 1)
        assert con.dead
    assert res.outcome is Outcome.HANG and res.timed_out and res.exit_status is None
    assert res.note == ("guest stopped answering: no end marker within 1s and no answer to "
                        "Ctrl-C or a newline within 1s each; killed")
    # bounded by the steps, not by a wall-clock margin: Ctrl-C, a newline, then the kill
    notes = [ln for ln in log.read_text().splitlines() if ln.startswith("### kwb: [")]
    assert [n.split("] ", 1)[1] for n in notes[:2]] == ["no end marker after 1s: sending Ctrl-C",
                                                        "no answer to Ctrl-C: sending a newline"]
    assert_all_gone(fake_pids(pidfile))
    assert "fake: last words before freezing" in log_text(log)


def test_guest_that_dies_without_report_is_a_crash(pidfile: Path, log: Path) -> None:
    with Console(fake_argv(pidfile), log) as con:
        con.wait_for_shell(SLACK)
        res = con.run("fake-die", 30)
    assert res.outcome is Outcome.CRASH and res.exit_status is None and con.dead
    assert res.note == "the guest exited (backend exit status 0)"
    assert_all_gone(fake_pids(pidfile))
    assert "fake: the VM resets" in log_text(log)


def test_never_reaches_a_prompt_is_a_hang(pidfile: Path, log: Path) -> None:
    with pytest.raises(ConsoleError) as exc, \
            Console(fake_argv(pidfile, "--mode", "no-prompt"), log) as con:
        con.wait_for_shell(8, poke_after=1)
    assert exc.value.outcome is Outcome.HANG
    assert "no shell within 8s of boot" in str(exc.value)
    assert_all_gone(fake_pids(pidfile))
    assert "fake: last words before silence" in log_text(log)


def test_silent_backend_is_an_infra_error(pidfile: Path, log: Path) -> None:
    with pytest.raises(ConsoleError) as exc, \
            Console(fake_argv(pidfile, "--mode", "silent"), log) as con:
        con.wait_for_shell(2)
    assert exc.value.outcome is Outcome.INFRA_ERROR
    assert_all_gone(fake_pids(pidfile))
    log_text(log)


def test_backend_exiting_during_boot(pidfile: Path, log: Path) -> None:
    with pytest.raises(ConsoleError) as exc, \
            Console(fake_argv(pidfile, "--mode", "exit-at-boot"), log) as con:
        con.wait_for_shell(SLACK)
    assert exc.value.outcome is Outcome.CRASH  # the kernel had started: it died booting
    assert con.exit_status == 1
    assert_all_gone(fake_pids(pidfile))
    assert "fake: last words before exiting" in log_text(log)


def test_panic_during_boot(pidfile: Path, log: Path) -> None:
    with pytest.raises(ConsoleError) as exc, \
            Console(fake_argv(pidfile, "--mode", "panic-at-boot"), log) as con:
        con.wait_for_shell(SLACK)
    assert exc.value.outcome is Outcome.CRASH
    assert [e.kind for e in con.events] == ["panic"] and con.events[0].command is None
    assert_all_gone(fake_pids(pidfile))
    assert "end Kernel panic" in log_text(log)


def test_missing_backend_binary_is_an_infra_error(log: Path) -> None:
    with pytest.raises(ConsoleError) as exc, Console(["/nonexistent/qemu"], log):
        pass
    assert exc.value.outcome is Outcome.INFRA_ERROR
    log_text(log)


def test_exception_in_caller_kills_the_guest(pidfile: Path, log: Path) -> None:
    with pytest.raises(RuntimeError), Console(fake_argv(pidfile), log) as con:
        con.wait_for_shell(SLACK)
        con.run("fake-echo before the error", SLACK)
        raise RuntimeError("caller bug")
    assert_all_gone(fake_pids(pidfile))
    text = log_text(log)
    assert "before the error" in text and "RuntimeError: caller bug" in text


def _drive(tmp_path: Path, command: str, argv: list[str], sig: int,
           boot_timeout: float = 30) -> tuple[subprocess.Popen[str], list[int], Path]:
    log = tmp_path / "driven.log"
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(log), command, "600", "--",
                             *argv], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("pids:"), line
    pids = [int(p) for p in line.split()[1:]]
    deadline = time.monotonic() + boot_timeout
    while "KWB-BEGIN-" not in log.read_text():
        assert time.monotonic() < deadline, "command never started"
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    return proc, pids, log


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, -signal.SIGINT),
                                           (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_signal_during_a_run_kills_the_guest(tmp_path: Path, pidfile: Path, sig: int,
                                             code: int) -> None:
    proc, pids, log = _drive(tmp_path, "fake-hang", fake_argv(pidfile), sig)
    assert proc.returncode == code
    assert set(fake_pids(pidfile)) <= set(pids)
    assert_all_gone(fake_pids(pidfile))
    text = log_text(log)
    assert "fake test: hanging" in text
    assert ("SIGINT" if sig == signal.SIGINT else "terminated") in text.splitlines()[-1]


# --------------------------------------------------------------------------- run_tests, fake


@dataclass(frozen=True)
class FakeBackend:
    """A backends.Backend starting the FAKE console; test 'paths' are fake scenario commands."""

    pidfile: Path
    mode: str = "normal"
    no_kvm: bool = False
    name: str = "fake"
    summary: str = "the FAKE guest console"
    boot_timeout: float = SLACK

    def command(self, bzimage, tests, accel, opts) -> backends.GuestCommand:
        env = {**os.environ, **({"FAKE_NO_KVM": "1"} if self.no_kvm else {})}
        return backends.GuestCommand(fake_argv(self.pidfile, "--mode", self.mode),
                                 {name: str(path) for name, path in tests.items()},
                                 env=env, boot_timeout=self.boot_timeout)


def _run(tmp_path: Path, backend: FakeBackend, tests: dict[str, str],
         timeout: float = SLACK) -> session.GuestRun:
    return session.run_tests(backend, Path("/unused/bzImage"),
                           {n: Path(c) for n, c in tests.items()}, timeout, tmp_path / "logs",
                           accel=backends.Accel.TCG, grace=1)


def test_run_tests_records_every_test(tmp_path: Path, pidfile: Path) -> None:
    run = _run(tmp_path, FakeBackend(pidfile),
               {"a": "fake-pass", "b": "fake-skip", "c": "fake-fail"})
    assert [(t.name, t.outcome, t.exit_code) for t in run.tests] == [
        ("a", Outcome.PASS, 0), ("b", Outcome.SKIP, 4), ("c", Outcome.FAIL, 254)]
    assert run.outcome is Outcome.FAIL and "c" in run.reason
    assert run.kvm_dmesg == ["kvm_amd: Nested Virtualization enabled",
                             "kvm_amd: Nested Paging enabled"]
    assert run.boot_seconds is not None and run.accel == "tcg"
    assert_all_gone(fake_pids(pidfile))
    assert "==== Test Assertion Failure ====" in log_text(run.console_log)


def test_run_tests_panic_leaves_the_rest_not_run(tmp_path: Path, pidfile: Path) -> None:
    run = _run(tmp_path, FakeBackend(pidfile),
               {"a": "fake-pass", "b": "fake-panic", "c": "fake-pass", "d": "fake-pass"})
    assert [t.outcome for t in run.tests] == [Outcome.PASS, Outcome.CRASH, Outcome.NOT_RUN,
                                              Outcome.NOT_RUN]
    assert [t.exit_code for t in run.tests] == [0, None, None, None]
    assert run.outcome is Outcome.CRASH and "kernel panic" in run.reason
    assert run.tests[1].events[0].kind == "panic"
    assert run.events == run.tests[1].events
    assert_all_gone(fake_pids(pidfile))
    assert_all_gone(run.pids)


def test_run_tests_frozen_guest_is_a_hang(tmp_path: Path, pidfile: Path) -> None:
    run = _run(tmp_path, FakeBackend(pidfile), {"a": "fake-freeze", "b": "fake-pass"},
               timeout=1)
    assert [t.outcome for t in run.tests] == [Outcome.HANG, Outcome.NOT_RUN]
    assert run.tests[0].timed_out and run.outcome is Outcome.HANG
    assert_all_gone(fake_pids(pidfile))


def test_run_tests_without_dev_kvm_is_an_infra_error(tmp_path: Path, pidfile: Path) -> None:
    run = _run(tmp_path, FakeBackend(pidfile, no_kvm=True), {"a": "fake-pass"})
    assert run.outcome is Outcome.INFRA_ERROR and run.reason == session.NO_KVM
    assert [t.outcome for t in run.tests] == [Outcome.NOT_RUN]
    assert_all_gone(fake_pids(pidfile))
    assert session.NO_KVM in log_text(run.console_log)


def test_run_tests_guest_never_boots(tmp_path: Path, pidfile: Path) -> None:
    run = _run(tmp_path, FakeBackend(pidfile, mode="no-prompt", boot_timeout=8),
               {"a": "fake-pass"})
    assert run.outcome is Outcome.HANG and run.reason.startswith("boot:")
    assert run.boot_seconds is None and run.tests[0].outcome is Outcome.NOT_RUN
    assert_all_gone(fake_pids(pidfile))


# --------------------------------------------------------------------------- real kernel

KERNEL_FAULT_TIMEOUT = 120




def _qemu_argv(bzimage: Path) -> list[str]:
    initrd = initramfs.build_initramfs({})
    return backends.qemu_argv(bzimage, initrd, backends.Accel.TCG, backends.GuestOptions())


@pytest.mark.kernel
@pytest.mark.qemu
def test_real_panic_via_sysrq(real_kernel: tuple[Path, Path], log: Path) -> None:
    with Console(_qemu_argv(real_kernel[0]), log) as con:
        con.wait_for_shell(KERNEL_FAULT_TIMEOUT)
        res = con.run("echo c > /proc/sysrq-trigger", 60)
        assert con.dead and con.panicked
    assert res.outcome is Outcome.CRASH and res.exit_status is None
    panic = [e for e in res.events if e.kind == "panic"]
    assert panic and "sysrq triggered crash" in panic[0].line
    assert "Call Trace:" in res.events[0].excerpt
    assert_all_gone(con.pids_seen)
    assert "Kernel panic - not syncing" in log_text(log)


@pytest.mark.kernel
@pytest.mark.qemu
def test_real_hang_is_interrupted(real_kernel: tuple[Path, Path], log: Path) -> None:
    with Console(_qemu_argv(real_kernel[0]), log, grace=SLACK) as con:
        con.wait_for_shell(KERNEL_FAULT_TIMEOUT)
        res = con.run("sleep 1000", 3)
        after = con.run("echo alive", 30)
    assert res.outcome is Outcome.HANG and res.timed_out
    assert after.outcome is Outcome.PASS and after.output == "alive"
    assert_all_gone(con.pids_seen)
    assert "alive" in log_text(log)


@pytest.mark.kernel
@pytest.mark.qemu
def test_real_sigint_during_a_run(real_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    proc, pids, log = _drive(tmp_path, "echo started; sleep 1000", _qemu_argv(real_kernel[0]),
                             signal.SIGINT, boot_timeout=KERNEL_FAULT_TIMEOUT)
    assert proc.returncode == -signal.SIGINT
    assert pids
    assert_all_gone(pids)
    text = log_text(log)
    assert "started" in text and "SIGINT" in text.splitlines()[-1]
