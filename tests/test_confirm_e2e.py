"""Regressions confirmed on real kernels (marked ``kernel`` and ``qemu``: builds and boots).

* a deterministic regression: ``tests/data/series/gmem-unaligned-len``, a one-line series
  that makes guest_memfd's fallocate accept an unaligned length, built through kwb as its own
  series (variant ``gmem-unaligned-len``) and compared with the base: guest_memfd_test fails
  on every boot of it, so the re-runs confirm the regression (Fisher p = 2/70 at 4+4 boots);
* a real flaky candidate: x86_64/kvm_clock_test under TCG, reported to pass or fail per boot
  (7/11 and 3/11 boots): fresh boots of each kernel, judged; the report must say "flaky"
  exactly when a kernel gave both results, and never call a regression what the boots do not
  show (the recorded 7/11 vs 3/11 case itself is tests/test_confirm.py's).

Both name their selftest directly, so they use the default config's builds (shared with the
other real-kernel tests): a cold CI run pays for one extra kernel (the one-line series), not
three.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import paths
from harness.build.pipeline import BuildRequest, apply_and_build
from harness.results import compare, confirm
from harness.vm import confirm as vm_confirm
from harness.vm import stage

pytestmark = [pytest.mark.kernel, pytest.mark.qemu]

SERIES = Path(__file__).parent / "data" / "series" / "gmem-unaligned-len"
KVM_CLOCK = "x86_64/kvm_clock_test"


def test_a_one_line_series_breaking_guest_memfd_test_is_a_confirmed_regression(
        real_cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = subprocess.run(
        [sys.executable, "-m", "harness.cli", "pipeline", "--backend", "qemu",
         "--tests", "guest_memfd_test", "--patches", str(SERIES),
         "--variant", "gmem-unaligned-len", "--confirm", "3", "--out", str(out)],
        text=True, capture_output=True, cwd=paths.PROJECT_ROOT)
    assert res.returncode == 1, res.stdout[-4000:] + res.stderr[-4000:]
    data = json.loads((out / "results.json").read_text())
    base, patched = data["runs"]
    assert (base["kernel"]["label"], patched["kernel"]["label"]) == ("base",
                                                                     "gmem-unaligned-len")
    failed = patched["tests"][0]
    assert failed["name"] == "guest_memfd_test" and failed["state"] == "fail"
    assert "fallocate with unaligned size should fail" in failed["output"]
    (conf,) = data["comparison"]["confirmations"]
    assert conf["test"] == "guest_memfd_test" and conf["first_verdict"] == "regression"
    assert conf["base"]["boots"] == ["pass"] * 4
    assert conf["patched"]["boots"] == ["fail"] * 4
    assert conf["finding"] == "confirmed regression" and not conf["flaky"]
    assert conf["p_value"] == pytest.approx(2 / 70, abs=1e-6)
    assert "CONFIRM guest_memfd_test: regression confirmed" in res.stdout
    assert "RESULT: FAILED" in res.stdout
    for label in ("base", "gmem-unaligned-len"):  # one directory per fresh boot
        assert len(list((out / "confirm").glob(f"{label}-*"))) == 3


def test_kvm_clock_test_is_flaky_per_boot_and_not_called_a_regression(
        real_cache: Path, tmp_path: Path) -> None:
    boots = 4
    manifests = [apply_and_build(BuildRequest(variant=v, tests=[KVM_CLOCK])).path
                 for v in ("base", "patched")]
    opts = stage.TestOptions(backend="qemu", tests=[KVM_CLOCK])
    runs = {}
    for label, path in zip(("base", "patched"), manifests, strict=True):
        runs[label] = [stage.boot_and_test(path, stage.TestOptions(
            backend="qemu", tests=[KVM_CLOCK], out_dir=tmp_path / f"{label}-{i}"))
            for i in range(boots)]
    per_boot = {label: [vm_confirm.status_in(r, KVM_CLOCK) for r in rs]
                for label, rs in runs.items()}
    # every boot answers: the test passes or fails, it never skips nor goes missing
    for label, statuses in per_boot.items():
        assert set(statuses) <= {"pass", "fail"}, (label, statuses)
    c = confirm.confirmation(KVM_CLOCK, per_boot["base"], per_boot["patched"],
                             first="regression")
    print(c.text())
    # "flaky" exactly when a kernel gave both results (the issue measured 7/11 and 3/11 boots
    # passing; on 2026-11-25 here base passed 6 of 6 boots in the collection's config, so the
    # flakiness is not asserted, only what the report must say about whatever the boots gave)
    for boots in (c.base, c.patched):
        assert boots.flaky == (boots.passes > 0 and boots.failures > 0)
        assert f"passed {boots.passes}/{boots.answered} boots" in c.text()
    assert c.flaky == (c.base.flaky or c.patched.flaky)
    assert ("flaky" in c.text()) == c.flaky or c.significant
    assert c.finding is not confirm.Finding.REGRESSION or c.p_value < confirm.ALPHA
    # and the same re-run machinery, on a comparison whose first boots differ
    comp = compare.compare(runs["base"][0], runs["patched"][0])
    if confirm.differing(comp.rows):
        found = vm_confirm.confirm_comparison(comp, manifests, opts, 3, tmp_path / "confirm")
        assert [x.test for x in found] == [KVM_CLOCK]
        assert len(found[0].base.results) == len(found[0].patched.results) == 4
