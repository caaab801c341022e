"""Boot the real built kernel and run a KVM selftest in it, with each backend.

Uses the patched build of the pinned tree (conftest.built_kernel: built when missing).
Under TCG a boot takes ~3 s (qemu) or ~15 s (vng).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import paths
from harness.vm import backends, session
from harness.vm.console.driver import Console, Outcome, pid_alive

pytestmark = [pytest.mark.kernel, pytest.mark.qemu]




def _qemus() -> set[int]:
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                comm = Path(entry.path, "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith("qemu-system") and pid_alive(int(entry.name)):
                found.add(int(entry.name))
    return found


def _check(run: session.GuestRun, before: set[int]) -> None:
    assert run.outcome is Outcome.PASS, (run.reason, run.console_log)
    (rec,) = run.tests
    assert (rec.name, rec.outcome, rec.exit_code, rec.timed_out) == \
        ("guest_memfd_test", Outcome.PASS, 0, False)
    assert run.boot_seconds is not None and run.boot_seconds > 0
    assert any("kvm" in line.lower() for line in run.kvm_dmesg), run.kvm_dmesg
    assert not run.events and not run.survivors
    assert run.pids and not any(pid_alive(p) for p in run.pids)
    assert not (_qemus() - before), "a QEMU survived the run"
    text = run.console_log.read_text()
    assert "KWB-END-" in text and text.splitlines()[-1].startswith("### kwb: console closed")


def test_accelerator_probe_is_cached(real_kernel: tuple[Path, Path]) -> None:
    before = _qemus()
    first = backends.probe_accel(real_kernel[0])
    assert first in (backends.Accel.KVM, backends.Accel.TCG)
    assert backends.probe_accel(real_kernel[0]) is first
    assert backends.probe_key() in (paths.cache_root() / "accel-probe.json").read_text()
    assert not (_qemus() - before)


def test_hermetic_qemu_runs_guest_memfd_test(real_kernel: tuple[Path, Path],
                                             tmp_path: Path) -> None:
    bz, st = real_kernel
    before = _qemus()
    run = session.run_tests("qemu", bz, {"guest_memfd_test": st / "guest_memfd_test"}, 120,
                          tmp_path)
    _check(run, before)
    assert run.tests[0].command == "/kwb/tests/guest_memfd_test"


def test_vng_runs_guest_memfd_test(real_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    try:
        backends.vng_path()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"virtme-ng not available: {exc}")
    bz, st = real_kernel
    before = _qemus()
    run = session.run_tests("vng", bz, {"guest_memfd_test": st / "guest_memfd_test"}, 120,
                          tmp_path)
    _check(run, before)
    assert run.tests[0].command == str((st / "guest_memfd_test").resolve())


def test_vng_real_panic(real_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    try:
        backends.vng_path()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"virtme-ng not available: {exc}")
    before = _qemus()
    cmd = backends.backend("vng").command(real_kernel[0], {}, backends.Accel.TCG,
                                          backends.GuestOptions())
    log = tmp_path / "vng-panic.log"
    with Console(cmd.argv, log, env=cmd.env, cwd=cmd.cwd) as con:
        con.wait_for_shell(cmd.boot_timeout, ready_hint=cmd.ready_hint)
        res = con.run("echo c > /proc/sysrq-trigger", 60)
    assert res.outcome is Outcome.CRASH and res.events[0].kind == "panic"
    assert con.dead_reason.startswith("kernel panic: ")
    assert "sysrq triggered crash" in con.dead_reason
    assert not any(pid_alive(p, s) for p, s in con.pids_seen.items())
    assert not (_qemus() - before)
    assert "Kernel panic - not syncing" in log.read_text()
