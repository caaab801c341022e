"""Boot the real built kernel and run a KVM selftest in it, with each backend.

Uses the patched build of the pinned tree (conftest.built_kernel: built when missing), in the
default config for the qemu backend and in the ``vng`` config for virtme-ng.
Under TCG a boot takes ~3 s (qemu) or ~15 s (vng).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from harness import paths
from harness.vm import accel, backends, session
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
    if run.accel == "tcg":  # -cpu max: the guest's kvm_amd has SVM with nested paging
        assert "kvm_amd: Nested Paging enabled" in run.kvm_dmesg, run.kvm_dmesg
    else:
        assert any(ln.startswith(("kvm_amd: ", "kvm_intel: ")) for ln in run.kvm_dmesg)
    assert not run.events and not run.survivors
    assert run.pids and not any(pid_alive(p) for p in run.pids)
    assert not (_qemus() - before), "a QEMU survived the run"
    text = run.console_log.read_text()
    assert "KWB-END-" in text and text.splitlines()[-1].startswith("### kwb: console closed")


def _host_kvm_expected() -> backends.Accel | None:
    """What this host must answer without a boot: TCG when /dev/kvm is missing or not usable,
    None when only a boot can tell."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return backends.Accel.TCG
    return None


def test_accelerator_probe_is_cached(real_kernel: tuple[Path, Path]) -> None:
    """A real probe: a boot of the pinned kernel under -accel kvm. Its answer is definite on a
    healthy kernel (KVM reaches init, or QEMU itself refuses KVM), so it is cached."""
    before = _qemus()
    first = accel.choose(real_kernel[0], want="auto")
    assert first.source == "probed"
    if (expected := _host_kvm_expected()) is not None:
        assert first.accel is expected
    elif first.accel is backends.Accel.KVM:
        assert first.reason.startswith("KVM boot probe reached init in ")
    else:
        assert first.reason.startswith("QEMU cannot use KVM here: "), first.reason
    again = accel.choose(real_kernel[0], want="auto")
    assert (again.accel, again.source, again.reason) == (first.accel, "cached", first.reason)
    cached = json.loads((paths.cache_root() / "accel-probe.json").read_text())
    assert cached[accel.probe_key()]["accel"] == str(first.accel)
    assert not (_qemus() - before)


def test_hermetic_qemu_runs_guest_memfd_test(real_kernel: tuple[Path, Path],
                                             tmp_path: Path) -> None:
    bz, st = real_kernel
    before = _qemus()
    run = session.run_tests("qemu", bz, {"guest_memfd_test": st / "guest_memfd_test"}, 120,
                          tmp_path)
    _check(run, before)
    assert run.tests[0].command == "/kwb/tests/guest_memfd_test"


def test_vng_runs_guest_memfd_test(vng_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    bz, st = vng_kernel
    before = _qemus()
    run = session.run_tests("vng", bz, {"guest_memfd_test": st / "guest_memfd_test"}, 120,
                          tmp_path)
    _check(run, before)
    assert run.tests[0].command == str((st / "guest_memfd_test").resolve())


def test_vng_real_panic(vng_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    before = _qemus()
    cmd = backends.backend("vng").command(vng_kernel[0], {}, backends.Accel.TCG,
                                          backends.GuestOptions())
    log = tmp_path / "vng-panic.log"
    with Console(cmd.argv, log, env=cmd.env, cwd=cmd.cwd) as con:
        con.wait_for_shell(cmd.boot_timeout, ready_hint=cmd.ready_hint)
        res = con.run("echo c > /proc/sysrq-trigger", 60)
    assert res.outcome is Outcome.CRASH and res.events[0].kind == "panic"
    assert con.dead_reason == f"kernel panic: {res.events[0].line}"
    assert res.events[0].line.endswith("Kernel panic - not syncing: sysrq triggered crash")
    assert not any(pid_alive(p, s) for p, s in con.pids_seen.items())
    assert not (_qemus() - before)
    assert "Kernel panic - not syncing" in log.read_text()
