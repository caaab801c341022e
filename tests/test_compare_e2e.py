"""The main job end to end: `kwb pipeline` builds base and patched (incrementally), boots both
under QEMU, runs the selftests and compares.  The series promises no new behaviour, so every
selftest must give the same result on both kernels, and none may skip.

Marked ``kernel``: on a fresh machine the base build is ~8 min more; then ~1 min.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness import paths
from harness.build import kbuild
from harness.build.manifest import Manifest
from harness.vm import backends

pytestmark = [pytest.mark.kernel, pytest.mark.qemu]


def test_pipeline_base_vs_patched(real_cache: Path, built_kernel: Manifest,
                                  tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = subprocess.run([sys.executable, "-m", "harness.cli", "pipeline", "--backend", "qemu",
                          "--out", str(out)], text=True, capture_output=True,
                         cwd=paths.PROJECT_ROOT)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    data = json.loads((out / "results.json").read_text())
    base, patched = data["runs"]
    assert (base["kernel"]["label"], patched["kernel"]["label"]) == ("base", "patched")
    # the accelerator this host's probe decided (cached by the run itself), on both runs
    host_accel = str(backends.probe_accel(Path(built_kernel.artifacts["bzImage"])))
    assert base["accelerator"] == patched["accelerator"] == host_accel
    wanted = kbuild.selftest_names(paths.KERNEL_CONFIG_DIR / "tests.txt")
    for run in (base, patched):
        assert run["outcome"] == "pass", run["reason"]
        states = {t["name"]: t["state"] for t in run["tests"]}
        for name in wanted:
            assert states.get(name) == "pass", (run["kernel"]["label"], name, states)
        assert "extra/guestmem_free_test" in states
        assert Path(run["console_log"]).is_file()
    cmp = data["comparison"]
    assert cmp["exit_status"] == 0 and not cmp["problems"] and not cmp["skips"]
    assert data["verdict"]["exit_status"] == 0 and data["verdict"]["result"] == "OK"
    verdicts = {r["test"]: r["verdict"] for r in cmp["rows"]}
    kunit = {t: v for t, v in verdicts.items() if t.startswith("kunit:")}
    assert all(v == "unchanged-pass" for t, v in verdicts.items() if t not in kunit), verdicts
    # the series' KUnit suite (tests.txt: kunit:guestmem): on the patched kernel only
    assert len(kunit) == 5 and set(kunit.values()) == {"new-on-patched"}, kunit
    assert all(t["state"] == "pass" for t in patched["tests"] if t["name"] in kunit)
    suites = ET.parse(out / "junit.xml").getroot()
    assert len(suites.findall("testsuite")) == 2
    html = (out / "report.html").read_text()
    assert '<div class="banner ok">Result: OK (exit status 0)</div>' in html
    assert 'id="patched-guest_memfd_test"' in html
    assert "RESULT: OK (exit status 0)" in res.stdout.splitlines()
