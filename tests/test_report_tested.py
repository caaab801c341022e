"""The HTML report names what was tested (series, patches, checkpatch, each-patch builds,
both manifests), charts per-test wall time base vs patched, and links every log: rendered
from real results.json and kwb-manifest.json files captured from kwb runs (tests/data/kcidb)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from harness.results import compare, verdict
from harness.results.report import html, jsonfile

DATA = Path(__file__).parent / "data" / "kcidb"


def _render(tmp_path: Path, each_patch: list[dict[str, object]] | None) -> str:
    results = jsonfile.read_json(DATA / "results-compare.json")
    base, patched = results.run("base"), results.run("patched")
    comp = compare.compare(base, patched)
    manifests = [json.loads((DATA / f"manifest-{v}.json").read_text())
                 for v in ("base", "patched")]
    manifests[1]["each_patch"] = each_patch
    out = tmp_path / "report.html"
    html.write_html(out, comparison=comp, judgement=verdict.decide([base, patched], comp, {}),
                    manifests=manifests)
    return out.read_text()


def test_the_report_names_the_series_its_patches_and_their_checks(tmp_path: Path) -> None:
    manifest = json.loads((DATA / "manifest-patched.json").read_text())
    series = manifest["series"]
    page = _render(tmp_path, [{"index": p["index"], "ok": True, "seconds": 12.5}
                              for p in series["patches"]])
    assert "<h2>What was tested</h2>" in page
    assert f"Series: {series['title']} (v{series['version']}" in page
    for p in series["patches"]:
        row = re.search(rf"<tr><td>{p['index']}/{p['total']}</td><td>(.*?)</tr>", page)
        assert row, p["subject"]
        assert p["subject"].replace(">", "&gt;") in row[1]
        assert series["checkpatch"][f"{p['index']}/{p['total']}"] in row[1]
        assert "ok (12.5s)" in row[1]
    # both kernels' manifests: commits and config
    for v in ("base", "patched"):
        m = json.loads((DATA / f"manifest-{v}.json").read_text())
        assert f"<h3>{v} kernel</h3>" in page
        assert m["tree"]["head_commit"] in page


def test_a_series_built_without_each_patch_says_so(tmp_path: Path) -> None:
    page = _render(tmp_path, None)
    assert "not checked (run apply-and-build --each-patch)" in page


def test_wall_time_chart_has_a_bar_per_kernel_and_test(tmp_path: Path) -> None:
    results = jsonfile.read_json(DATA / "results-compare.json")
    timed = sum(1 for r in results.runs for t in r.tests if t.duration is not None)
    page = _render(tmp_path, None)
    assert "<h2>Wall time per test</h2>" in page
    chart = page[page.index("<svg"):page.index("</svg>")]
    assert chart.count("<rect") == timed > 0
    assert "<title>base: " in chart and "<title>patched: " in chart


def test_every_log_is_linked(tmp_path: Path) -> None:
    results = jsonfile.read_json(DATA / "results-compare.json")
    page = _render(tmp_path, None)
    assert "<h2>Logs</h2>" in page
    for run in results.runs:
        if run.console_log:
            assert Path(run.console_log).as_uri() in page
    manifest = json.loads((DATA / "manifest-patched.json").read_text())
    assert Path(manifest["artifacts"]["build_log"]).as_uri() in page
