"""The accelerator choice (issue 10 defect 6): only definite answers about the host are cached,
the choice and its reason are said, and ``--accel kvm|tcg|auto`` overrides the probe.

The probe's QEMU here is the FAKE one (tests/fakes/fake_qemu.py): a real kernel cannot be made
to fail a KVM boot on cue, and this host may have no KVM at all. /dev/kvm is stood in for by a
file of the test's own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import paths
from harness.errors import WorkbenchError
from harness.vm import accel, backends

FAKE_QEMU = Path(__file__).resolve().parent / "fakes" / "fake_qemu.py"


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A usable 'host /dev/kvm', a kernel image file, and a record of the probes run."""
    dev = tmp_path / "kvm"
    dev.write_text("")
    monkeypatch.setattr(accel, "KVM_DEVICE", str(dev))
    monkeypatch.delenv(accel.ENV, raising=False)
    monkeypatch.setenv("FAKE_QEMU_RUNS", str(tmp_path / "runs"))
    (tmp_path / "bzImage").write_bytes(b"not a kernel")
    return tmp_path


def _choose(host: Path, mode: str, monkeypatch: pytest.MonkeyPatch,
            want: str | None = None) -> accel.AccelChoice:
    monkeypatch.setenv("FAKE_QEMU_MODE", mode)
    return accel.choose(host / "bzImage", want=want, qemu=str(FAKE_QEMU), timeout=10)


def _probes(host: Path) -> list[str]:
    runs = host / "runs"
    return runs.read_text().split() if runs.exists() else []


def test_a_kernel_that_fails_the_probe_is_not_cached(host: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    first = _choose(host, "kernel-dies", monkeypatch)
    assert (first.accel, first.source) == (backends.Accel.TCG, "probed")
    assert "after the kernel started" in first.reason and "not cached" in first.reason
    assert f"accelerator: tcg (probed: {first.reason})" in capsys.readouterr().err
    # the next kernel boots under KVM: it is probed again, and this answer is kept
    second = _choose(host, "ok", monkeypatch)
    assert (second.accel, second.source) == (backends.Accel.KVM, "probed")
    third = _choose(host, "kernel-dies", monkeypatch)
    assert (third.accel, third.source) == (backends.Accel.KVM, "cached")
    assert _probes(host) == ["kernel-dies", "ok"]
    assert third == accel.LAST
    assert "accelerator: kvm (cached: KVM boot probe reached init" in capsys.readouterr().err


@pytest.mark.parametrize(("mode", "said"), [("no-kvm", "failed to initialize kvm"),
                                             ("msr-abort", "failed to set MSR 0x10a")])
def test_qemu_refusing_kvm_is_definite(host: Path, monkeypatch: pytest.MonkeyPatch, mode: str,
                                       said: str) -> None:
    first = _choose(host, mode, monkeypatch)
    assert first.accel is backends.Accel.TCG and said in first.reason
    again = _choose(host, "ok", monkeypatch)
    assert (again.accel, again.source) == (backends.Accel.TCG, "cached")
    assert _probes(host) == [mode]


def test_no_dev_kvm_is_definite_and_needs_no_boot(host: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accel, "KVM_DEVICE", str(host / "absent"))
    got = _choose(host, "ok", monkeypatch)
    assert (got.accel, got.reason) == (backends.Accel.TCG, f"no {host / 'absent'} on the host")
    assert _probes(host) == []
    cached = json.loads((paths.cache_root() / "accel-probe.json").read_text())
    (entry,) = cached.values()
    assert entry["accel"] == "tcg" and entry["definite"] is True


def test_an_old_cached_failure_is_not_trusted(host: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """kwb before this fix cached every failure, without ``definite``: probe again."""
    cache = paths.cache_root() / "accel-probe.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    key = accel.probe_key(str(FAKE_QEMU))
    cache.write_text(json.dumps({key: {"accel": "tcg", "detail": "QEMU exited (status 1)"}}))
    got = _choose(host, "ok", monkeypatch)
    assert (got.accel, got.source) == (backends.Accel.KVM, "probed")


def test_forced_accelerators(host: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tcg = _choose(host, "ok", monkeypatch, want="tcg")
    assert (tcg.accel, tcg.source, tcg.reason) == (backends.Accel.TCG, "forced", "--accel tcg")
    kvm = _choose(host, "no-kvm", monkeypatch, want="kvm")
    assert (kvm.accel, kvm.source) == (backends.Accel.KVM, "forced")
    assert _probes(host) == []
    monkeypatch.setenv(accel.ENV, "tcg")  # what --accel sets for the stages below the CLI
    assert backends.probe_accel(host / "bzImage", qemu=str(FAKE_QEMU)) is backends.Accel.TCG
    monkeypatch.setattr(accel, "KVM_DEVICE", str(host / "absent"))
    with pytest.raises(WorkbenchError, match="--accel kvm: .*absent is missing"):
        _choose(host, "ok", monkeypatch, want="kvm")
    with pytest.raises(WorkbenchError, match="unknown accelerator 'hvf'"):
        _choose(host, "ok", monkeypatch, want="hvf")
