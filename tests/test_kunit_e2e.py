"""KUnit at boot, for real: the series' own suite (guestmem, 5 cases) on the real patched kernel
and its absence on the real base kernel, case by case, base vs patched.

Uses the base and patched kernels already built under ~/.cache/kwb/builds (the newest of each
whose config builds what is needed), built first when there are none.
No other KUnit suite is built by the default config (allnoconfig + CONFIG_KUNIT=y builds none
of the tree's own suites: they default to KUNIT_ALL_TESTS, which is off), so guestmem is the
only suite to compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import realbuilds

from harness import paths
from harness.results import compare, verdict
from harness.results.ktap import Status
from harness.vm import stage

pytestmark = [pytest.mark.kernel, pytest.mark.qemu]
CASES = ["gm_test_punch_hole_releases_once", "gm_test_several_users",
         "gm_test_eviction_refused", "gm_test_bad_input", "gm_test_punch_races_grab"]


KUNIT = {"CONFIG_KUNIT": "y", "CONFIG_GUESTMEM_KUNIT_TEST": "y"}


def _kernel(request: pytest.FixtureRequest, variant: str) -> Path:
    """The newest settled default-config build of ``variant`` (with the suite, for patched),
    built now when there is none (a fresh machine)."""
    found = realbuilds.newest(paths.cache_root(), variant,
                              need=KUNIT if variant == "patched" else {"CONFIG_KVM": "y"})
    if found is not None:
        return found
    return request.getfixturevalue("built_kernel" if variant == "patched" else "built_base").path


def test_guestmem_kunit_base_vs_patched(real_cache: Path, tmp_path: Path,
                                        request: pytest.FixtureRequest) -> None:
    patched_mf, base_mf = _kernel(request, "patched"), _kernel(request, "base")
    opts = dict(backend="qemu", tests=["kunit:guestmem"])
    base = stage.boot_and_test(base_mf, stage.TestOptions(**opts, out_dir=tmp_path / "base"))
    patched = stage.boot_and_test(patched_mf,
                                  stage.TestOptions(**opts, out_dir=tmp_path / "patched"))
    names = [f"kunit:guestmem.{c}" for c in CASES]
    got = {t.name: t for t in patched.tests if t.name.startswith("kunit:")}
    assert list(got) == names
    assert all(t.state() is Status.PASS and not t.console_excerpt for t in got.values())
    assert not [t for t in base.tests if t.name.startswith("kunit:")]  # not on base at all
    log = (tmp_path / "patched").glob("kunit-1/console-*.log")
    assert any("kunit.filter_glob=guestmem" in p.read_text() for p in log)

    comp = compare.compare(base, patched)
    rows = {r.test: r for r in comp.rows}
    for name in names:
        assert (rows[name].base, rows[name].patched, rows[name].verdict) == (
            Status.MISSING, Status.PASS, compare.Verdict.NEW_ON_PATCHED)
    judgement = verdict.decide([base, patched], comp)
    assert int(judgement.exit) == 0, judgement.problems
    written = stage.write_reports(tmp_path / "out", [base, patched], comp, judgement=judgement)
    for kind in ("json", "junit", "html"):
        text = written[kind].read_text()
        assert all(n in text for n in names), kind
    assert "new-on-patched" in written["json"].read_text()


def test_guestmem_kunit_run_isolated_per_case(real_cache: Path, tmp_path: Path,
                                             request: pytest.FixtureRequest) -> None:
    """--kunit-isolated case: a kunit.action=list boot, then one boot per case."""
    patched_mf = _kernel(request, "patched")
    run = stage.boot_and_test(patched_mf, stage.TestOptions(
        backend="qemu", tests=["kunit:guestmem"], kunit_isolated="case", out_dir=tmp_path))
    assert [(t.name, t.state()) for t in run.tests] == [
        (f"kunit:guestmem.{c}", Status.PASS) for c in CASES]
    logs = sorted(tmp_path.glob("kunit-*/console-*.log"))
    assert len(logs) == 1 + len(CASES)
    assert "kunit.action=list" in logs[0].read_text()
    for c in CASES:
        assert any(f"kunit.filter_glob=guestmem.{c}" in p.read_text() for p in logs)
