"""harness.results: the model, the one verdict rendered by every report (results.json, JUnit
XML, terminal summary, HTML), and the end of a boot-and-test (stage.conclude, runs/latest)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness.errors import WorkbenchError
from harness.results import compare as cmp
from harness.results import ktap, model, verdict
from harness.results.report import html as report_html
from harness.results.report import jsonfile, junit, summary
from harness.results.status import Status
from harness.results.verdict import Exit, Judgement
from harness.vm.outcome import RunOutcome

DATA = Path(__file__).parent / "data" / "ktap"
OOPS = [
    "BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "#PF: supervisor read access in kernel mode",
    "RIP: 0010:kvm_gmem_get_pfn+0x2a/0x120 [kvm]",
]


def from_log(name: str, exit_code: int | None, logname: str, **kw) -> model.TestRun:
    out = (DATA / logname).read_text()
    return model.TestRun(
        name=name,
        result=ktap.from_exit_status(name, exit_code, out),
        duration=2.5,
        exit_code=exit_code,
        output=out,
        **kw,
    )


def _outcome(tests: tuple[model.TestRun, ...]) -> RunOutcome:
    """The run's outcome as the session would give it, from the tests' (fake) records."""
    outcomes = [(t.name, t.console or (RunOutcome.FAIL if t.result.status.failed
                                       else RunOutcome.PASS)) for t in tests]
    return verdict.result_outcome(verdict.guest_outcome(outcomes, [])[0])


def judged(subject: model.RunResult | cmp.Comparison) -> Judgement:
    return verdict.judge(subject, {})


def make_run(label: str, tmp_path: Path, *tests: model.TestRun, **kw) -> model.RunResult:
    console = tmp_path / f"{label}-console.log"
    console.write_text(f"[    0.000000] Linux version 6.12.117 ({label})\n")
    outcome = kw.pop("outcome", None) or _outcome(tests)
    return model.RunResult(
        kernel=model.KernelInfo(
            label=label,
            commit="0123456789ab",
            bzimage=f"/cache/builds/{label}/arch/x86/boot/bzImage",
            config_hash="sha256:feedface",
            release="6.12.117",
        ),
        accelerator="kvm",
        outcome=outcome,
        tests=list(tests),
        console_log=str(console),
        timings={"boot": 4.2, "tests": 30.0},
        started="2025-01-01T00:00:00Z",
        **kw,
    )


@pytest.fixture
def base(tmp_path):
    return make_run(
        "base",
        tmp_path,
        from_log("guest_memfd_test", 0, "kvm-guest_memfd_test-pass.log"),
        from_log("set_memory_region_test", 0, "kvm-guest_memfd_test-pass.log"),
        from_log("x86_64/private_mem_conversions_test", 4, "ksft-require_skip.log"),
        from_log("kvm_binary_stats_test", 0, "ksft-kvm_binary_stats_test.log"),
    )


@pytest.fixture
def patched(tmp_path):
    crash = from_log(
        "set_memory_region_test",
        None,
        "kvm-guest_memfd_test-pass.log",
        console=RunOutcome.CRASH,
        console_excerpt=OOPS,
    )
    return make_run(
        "patched",
        tmp_path,
        from_log("guest_memfd_test", 254, "kvm-guest_memfd_test-assert.log"),
        crash,
        from_log("x86_64/private_mem_conversions_test", 4, "ksft-require_skip.log"),
        from_log("kvm_binary_stats_test", 0, "ksft-kvm_binary_stats_test.log"),
        excerpt=OOPS,
        reason="BUG during set_memory_region_test",
    )


# --- model ------------------------------------------------------------------------------------


def test_entries_and_states(base, patched):
    assert list(base.entries()) == [
        "guest_memfd_test",
        "set_memory_region_test",
        "x86_64/private_mem_conversions_test",
        "kvm_binary_stats_test",
        "kvm_binary_stats_test::vm0",
        "kvm_binary_stats_test::vm1",
        "kvm_binary_stats_test::vm2",
        "kvm_binary_stats_test::vm3",
    ]
    states = {k: v[0] for k, v in patched.entries().items()}
    assert states["guest_memfd_test"] is Status.FAIL
    assert states["set_memory_region_test"] is Status.CRASH
    assert states["x86_64/private_mem_conversions_test"] is Status.SKIP
    assert patched.outcome is RunOutcome.CRASH


def test_repeated_keys_are_kept_apart(tmp_path):
    t = model.TestRun("t", ktap.parse("TAP version 13\n1..2\nok 1 same\nnot ok 2 same\n", "t"))
    run = make_run("base", tmp_path, t)
    assert [(k, v[0].value) for k, v in run.entries().items()] == [
        ("t", "fail"),
        ("t::same", "pass"),
        ("t::same [2]", "fail"),
    ]


@pytest.mark.parametrize(
    ("tests", "outside", "expected"),
    [
        ([RunOutcome.PASS], [], RunOutcome.PASS),
        ([RunOutcome.SKIP], [], RunOutcome.PASS),  # judged by the exit status instead
        ([RunOutcome.PASS, RunOutcome.FAIL], [], RunOutcome.FAIL),
        ([RunOutcome.TIMEOUT, RunOutcome.PASS], [], RunOutcome.FAIL),  # not the kernel's fault
        ([RunOutcome.PASS, RunOutcome.HANG], [], RunOutcome.HANG),
        ([RunOutcome.HANG, RunOutcome.CRASH], [], RunOutcome.CRASH),
        ([RunOutcome.PASS], [("warning", "WARNING: at shutdown")], RunOutcome.CRASH),
    ],
)
def test_guest_outcome_as_results_keep_it(tests, outside, expected):
    outcome, reason = verdict.guest_outcome([(f"t{i}", o) for i, o in enumerate(tests)], outside)
    assert verdict.result_outcome(outcome) is expected
    if expected is RunOutcome.FAIL and RunOutcome.TIMEOUT in tests:
        assert reason == "fail: t0 (timeout)"


# --- results.json -----------------------------------------------------------------------------


def test_json_round_trip(tmp_path, base, patched):
    comp = cmp.compare(base, patched, {})
    path = jsonfile.write_json(tmp_path / "out" / "results.json", [base, patched], comp,
                               judgement=judged(comp))
    data = json.loads(path.read_text())
    assert list(data) == ["schema_version", "tool", "created", "interrupted", "verdict", "runs",
                          "comparison"]
    assert data["schema_version"] == 1 and data["interrupted"] is False
    assert data["comparison"]["exit_status"] == Exit.CRASHED
    assert data["verdict"]["exit_status"] == Exit.CRASHED and data["verdict"]["result"] == "CRASHED"
    assert data["runs"][1]["tests"][1]["console"] == "crash"
    assert data["runs"][1]["tests"][1]["state"] == "crash"
    loaded = jsonfile.read_json(path)
    assert loaded.runs == [base, patched]
    assert loaded.comparison == data["comparison"]
    assert loaded.run("patched") == patched
    again = cmp.compare(loaded.run("base"), loaded.run("patched"), {})
    assert again.to_dict()["rows"] == comp.to_dict()["rows"]
    assert not list(path.parent.glob("*.tmp"))


def test_json_single_run(tmp_path, base):
    path = jsonfile.write_json(tmp_path / "results.json", [base], judgement=judged(base))
    loaded = jsonfile.read_json(path)
    assert loaded.comparison is None
    assert loaded.run() == base
    with pytest.raises(WorkbenchError, match="no run labelled 'patched'"):
        loaded.run("patched")


def test_json_reader_errors(tmp_path, base, patched):
    with pytest.raises(WorkbenchError, match="no such results file"):
        jsonfile.read_json(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(WorkbenchError, match="not valid JSON"):
        jsonfile.read_json(bad)
    bad.write_text(json.dumps({"schema_version": 2, "runs": []}))
    with pytest.raises(WorkbenchError, match="schema_version 2, this kwb reads 1"):
        jsonfile.read_json(bad)
    bad.write_text(json.dumps({"schema_version": 1, "runs": [{"kernel": {}}]}))
    with pytest.raises(WorkbenchError, match="malformed results"):
        jsonfile.read_json(bad)
    two = jsonfile.write_json(tmp_path / "two.json", [base, patched], judgement=judged(base))
    with pytest.raises(WorkbenchError, match="2 runs"):
        jsonfile.read_json(two).run()


def test_schema_doc_names_every_field(base):
    doc = (Path(__file__).parent.parent / "docs" / "results-schema.md").read_text()
    comp = cmp.compare(base, base, {})
    data = jsonfile.results_dict([base], comp, judgement=judged(comp))

    def keys(obj, out):
        if isinstance(obj, dict):
            for k, v in obj.items():
                out.add(k)
                if k not in ("timings", "totals", "counts"):  # free-form / fixed maps
                    keys(v, out)
        elif isinstance(obj, list):
            for v in obj:
                keys(v, out)
        return out

    missing = sorted(k for k in keys(data, set()) if f"`{k}`" not in doc)
    assert not missing, f"docs/results-schema.md does not describe {missing}"


# --- JUnit XML --------------------------------------------------------------------------------


def test_junit_counts_and_elements(tmp_path, base, patched):
    path = junit.write_junit(tmp_path / "junit.xml", [base, patched], judged(patched))
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["kwb.base.kvm", "kwb.patched.kvm"]

    b, p = suites
    assert (b.get("tests"), b.get("failures"), b.get("errors"), b.get("skipped")) == (
        "8",
        "0",
        "0",
        "1",
    )
    # patched: 8 tests + the "(kernel run)" case for the crash
    assert (p.get("tests"), p.get("failures"), p.get("errors"), p.get("skipped")) == (
        "9",
        "1",
        "2",
        "1",
    )
    cases = {c.get("name"): c for c in p.findall("testcase")}
    assert "kvm_binary_stats_test::vm2" in cases
    failure = cases["guest_memfd_test"].find("failure")
    assert failure is not None
    assert "guest_memfd_test.c:68: ret" in failure.get("message")
    assert "==== Test Assertion Failure ====" in cases["guest_memfd_test"].find("system-out").text
    crash = cases["set_memory_region_test"].find("error")
    assert crash.get("type") == "crash"
    assert crash.get("message").startswith("kernel crash during this test: BUG: kernel NULL")
    assert "RIP: 0010:kvm_gmem_get_pfn" in crash.text
    skip = cases["x86_64/private_mem_conversions_test"].find("skipped")
    assert skip.get("message") == (
        "SKIPPED (did not run): Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)"
    )
    run_case = cases["(kernel run)"].find("error")
    assert run_case.get("type") == "crash"
    props = {e.get("name"): e.get("value") for e in p.find("properties")}
    assert props["commit"] == "0123456789ab" and props["outcome"] == "crash"
    assert float(cases["guest_memfd_test"].get("time")) == 2.5


def test_junit_survives_control_characters_and_infra_runs(tmp_path):
    t = model.TestRun(
        "t",
        ktap.TestResult("t", Status.FAIL, reason="bad \x1b[31mred\x1b[0m \x00byte"),
        output="\x1b[31mcolour\x1b[0m and a NUL \x00 and <xml> & stuff",
    )
    infra = make_run("patched", tmp_path, outcome=RunOutcome.INFRA_ERROR,
                     reason="qemu: no /dev/kvm")
    root = ET.fromstring(junit.junit_xml([make_run("base", tmp_path, t), infra], judged(infra)))
    case = root.find("testsuite/testcase")
    assert "<xml> & stuff" in case.find("system-out").text
    (error,) = root.findall("testsuite[@name='kwb.patched.kvm']/testcase/error")
    assert error.get("message") == "infra-error: qemu: no /dev/kvm"


# --- terminal summary -------------------------------------------------------------------------


def test_plain_summary_of_a_run_shouts_about_skips(base):
    text = summary.render_plain(base, judged(base))
    lines = text.splitlines()
    assert lines[0].split() == ["test", "base", "time", "reason"]
    assert "SKIP: 1 test skipped — they did not run, this is not a pass" in lines
    assert (
        "  SKIP x86_64/private_mem_conversions_test (base): "
        "Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)"
    ) in lines
    assert lines[-1] == "RESULT: INCOMPLETE (exit status 3)"
    assert "\x1b[" not in text


def test_plain_summary_of_a_comparison(base, patched):
    comp = cmp.compare(base, patched, {})
    text = summary.render_plain(comp, judged(comp))
    lines = text.splitlines()
    assert lines[0].split() == ["test", "base", "patched", "verdict"]
    assert lines[1].split() == ["guest_memfd_test", "pass", "fail", "regression"]
    assert lines[2].split() == ["set_memory_region_test", "pass", "crash", "regression"]
    assert "PROBLEM: regression: guest_memfd_test: pass → fail: guest_memfd_test.c:68: ret;" in text
    assert (
        "PROBLEM: regression: set_memory_region_test: pass → crash: "
        "kernel crash: BUG: kernel NULL pointer dereference"
    ) in text
    assert "PROBLEM: patched kernel crash: BUG: kernel NULL pointer dereference" in text
    assert "SKIP: 1 test skipped — they did not run, this is not a pass" in lines
    assert (
        "  SKIP x86_64/private_mem_conversions_test (skip-both): skipped on both: "
        "Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)"
    ) in lines
    assert lines[-1] == "RESULT: CRASHED (exit status 4)"


def test_print_summary_is_plain_when_not_a_tty(base):
    buf = io.StringIO()
    summary.print_summary(base, judged(base), file=buf)
    assert buf.getvalue() == summary.render_plain(base, judged(base))


def test_rich_summary(base, patched):
    comp = cmp.compare(base, patched, {})
    text = summary.render_rich(comp, judged(comp), width=160)
    assert "guest_memfd_test" in text and "regression" in text
    assert "\x1b[" in text  # coloured
    assert "SKIP: 1 test skipped" in text
    assert "RESULT: CRASHED (exit status 4)" in text  # the judgement it was given


# --- HTML -------------------------------------------------------------------------------------


def test_html_regressions_first_and_escaped(tmp_path, base, patched):
    evil = "<script>alert('x')</script>"
    patched.tests[0].output += f"\n{evil}\n"
    patched.tests[0].result.reason = evil
    comp = cmp.compare(base, patched, {"nothing": "listed"})
    path = report_html.write_html(tmp_path / "report.html", comparison=comp, judgement=judged(comp))
    page = path.read_text()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    table = page[page.index("<h2>Comparison</h2>") :]
    first_regression = table.index('class="regression">regression</td>')
    first_unchanged = table.index('class="unchanged-pass">unchanged-pass</td>')
    assert first_regression < first_unchanged
    assert page.index("Regressions (2)") < first_unchanged + page.index("<h2>Comparison</h2>")
    assert "SKIP: 1 test skipped — they did not run, this is not a pass" in page
    assert "Linux version 6.12.117 (patched)" in page  # the console log
    assert "RIP: 0010:kvm_gmem_get_pfn" in page  # the crash excerpt
    assert "<details" in page and "nothing" in page  # known-failures entries are listed


def test_html_is_self_contained(base):
    page = report_html.render_html([base], judgement=judged(base))
    for needle in ("http://", "https://", "<link", "<script", "src=", "@import"):
        assert needle not in page
    assert page.startswith("<!DOCTYPE html>")


def test_html_console_log_cut_is_marked(tmp_path, base):
    Path(base.console_log).write_text("A" * 5000 + "MIDDLE" + "B" * 5000)
    page = report_html.render_html([base], judgement=judged(base), console_limit=1000)
    assert "MIDDLE" not in page
    assert f"bytes omitted here; the full log is {base.console_log}" in page
    base.console_log = str(tmp_path / "gone.log")
    assert "console log not readable" in report_html.render_html([base], judgement=judged(base))
    base.console_log = None
    assert "(no console log recorded)" in report_html.render_html([base], judgement=judged(base))


def test_html_known_failure_wording(tmp_path):
    def one(label, status):
        t = model.TestRun("t", ktap.TestResult("t", status, reason="nope"))
        return make_run(label, tmp_path, t)

    b, p = one("base", Status.FAIL), one("patched", Status.FAIL)
    comp = cmp.compare(b, p, {})
    page = report_html.render_html(comparison=comp, judgement=judged(comp))
    assert "not a regression (fails on base too)" in page
    comp = cmp.compare(b, p, {"t": "host lacks AVX-512"})
    page = report_html.render_html(comparison=comp, judgement=judged(comp))
    assert "known environment failure: host lacks AVX-512" in page


def test_a_skipped_parent_with_passing_subtests_is_still_a_skip(tmp_path):
    out = "TAP version 13\n1..1\n# TAP version 13\n# 1..1\n# ok 1 a\nok 1 prog # SKIP half\n"
    t = model.TestRun("t", ktap.parse(out, "t"))
    assert [k for k, _n in verdict.skipped(make_run("base", tmp_path, t))] == ["t::prog"]
    kids = "TAP version 13\n1..2\nok 1 a # SKIP x\nok 2 b # SKIP y\n"
    t = model.TestRun("t", ktap.parse(kids, "t"))
    assert [k for k, _n in verdict.skipped(make_run("base", tmp_path, t))] == ["t::a", "t::b"]


def test_the_accelerator_and_why_are_kept(tmp_path, base, monkeypatch):
    from harness.vm import accel, stage

    monkeypatch.setattr(accel, "LAST", accel.AccelChoice(
        accel.Accel.TCG, "QEMU cannot use KVM here: 'failed to set MSR 0x10a'", "cached"))
    why = stage._accel_why("tcg")
    assert why == "cached: QEMU cannot use KVM here: 'failed to set MSR 0x10a'"
    assert stage._accel_why("kvm") == ""  # the probe's answer was not the one used
    base.accelerator_why = why
    path = jsonfile.write_json(tmp_path / "results.json", [base], judgement=judged(base))
    assert json.loads(path.read_text())["runs"][0]["accelerator_why"] == why
    assert jsonfile.read_json(path).runs[0].accelerator_why == why
    page = report_html.render_html([base], judgement=judged(base))
    assert f"{base.accelerator} (cached: QEMU cannot use KVM here" in page
