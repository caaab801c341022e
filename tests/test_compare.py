"""harness.results.compare (rows, per-test verdicts) and harness.results.verdict (the exit-status
policy, kernel-config/known-failures.txt)."""

from __future__ import annotations

import json

import pytest

from harness.errors import WorkbenchError
from harness.results import compare as cmp
from harness.results import ktap, model, verdict
from harness.results.compare import Verdict
from harness.results.report import jsonfile
from harness.results.status import Status
from harness.results.verdict import Exit
from harness.vm.outcome import RunOutcome

# --- builders ---------------------------------------------------------------------------------

_STATUS = {
    "pass": Status.PASS,
    "fail": Status.FAIL,
    "skip": Status.SKIP,
    "error": Status.ERROR,
    "timeout": Status.TIMEOUT,
    "xfail": Status.XFAIL,
    "crash": Status.ERROR,  # what the TAP says when the kernel died under it
    "hang": Status.ERROR,
}


def prog(name: str, state: str = "pass", *, subtests: dict[str, str] | None = None):
    """A TestRun in state ``state`` (pass/fail/skip/error/timeout/xfail/crash/hang)."""
    subs = [
        ktap.TestResult(n, _STATUS[s], number=i, reason=f"{n} {s}")
        for i, (n, s) in enumerate((subtests or {}).items(), 1)
    ]
    result = ktap.TestResult(name, _STATUS[state], reason=f"{state} reason", subtests=subs)
    console = RunOutcome(state) if state in ("crash", "hang") else None
    return model.TestRun(
        name=name,
        result=result,
        duration=1.0,
        exit_code=0,
        output=f"{name} output",
        console=console,
        console_excerpt=["BUG: kernel NULL pointer dereference"] if console else [],
    )


def _outcome(tests: tuple[model.TestRun, ...]) -> RunOutcome:
    """The run's outcome as the session would give it, from the tests' (fake) records."""
    outcomes = [(t.name, t.console or (RunOutcome.FAIL if t.result.status.failed
                                       else RunOutcome.PASS)) for t in tests]
    return verdict.result_outcome(verdict.guest_outcome(outcomes, [])[0])


def run(label: str, *tests: model.TestRun, outcome: RunOutcome | None = None):
    return model.RunResult(
        kernel=model.KernelInfo(label=label, commit="abc123"),
        accelerator="kvm",
        outcome=outcome or _outcome(tests),
        tests=list(tests),
        reason="qemu did not start" if outcome is RunOutcome.INFRA_ERROR else "",
    )


def pair(b: str, p: str, known: dict[str, str] | None = None, **kw):
    return cmp.compare(run("base", prog("t", b)), run("patched", prog("t", p)), known, **kw)


# --- verdicts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "patched", "verdict"),
    [
        ("pass", "pass", Verdict.UNCHANGED_PASS),
        ("xfail", "pass", Verdict.UNCHANGED_PASS),
        ("pass", "fail", Verdict.REGRESSION),
        ("pass", "error", Verdict.REGRESSION),
        ("pass", "timeout", Verdict.REGRESSION),
        ("pass", "crash", Verdict.REGRESSION),
        ("pass", "hang", Verdict.REGRESSION),
        ("fail", "crash", Verdict.REGRESSION),  # a crash is new even if the test failed before
        ("skip", "crash", Verdict.REGRESSION),
        ("fail", "pass", Verdict.FIXED),
        ("crash", "pass", Verdict.FIXED),
        ("fail", "fail", Verdict.UNCHANGED_FAIL),
        ("fail", "timeout", Verdict.UNCHANGED_FAIL),
        ("crash", "fail", Verdict.UNCHANGED_FAIL),
        ("crash", "crash", Verdict.UNCHANGED_FAIL),
        ("pass", "skip", Verdict.NEW_SKIP),
        ("fail", "skip", Verdict.NEW_SKIP),
        ("skip", "skip", Verdict.SKIP_BOTH),
        ("skip", "pass", Verdict.SKIP_BASE),
        ("skip", "fail", Verdict.SKIP_BASE),
    ],
)
def test_verdicts(base, patched, verdict):
    comp = pair(base, patched)
    (row,) = comp.rows
    assert row.verdict is verdict
    assert (row.base.value, row.patched.value) == (base if base != "xfail" else "pass", patched)


def test_fails_on_both_wording():
    row = pair("fail", "fail").rows[0]
    assert row.note.startswith("not a regression (fails on base too)")
    assert row.known is None
    row = pair("fail", "fail", {"t": "TCG lacks the CPUID bit"}).rows[0]
    assert row.note == "known environment failure: TCG lacks the CPUID bit"
    assert row.verdict_text == "unchanged-fail (known)"
    row = pair("fail", "timeout").rows[0]
    assert "(base: fail, patched: timeout)" in row.note


def test_known_failure_never_hides_a_regression():
    row = pair("pass", "fail", {"t": "flaky on this host"}).rows[0]
    assert row.verdict is Verdict.REGRESSION and row.known is None
    assert verdict.exit_status(pair("pass", "fail", {"t": "flaky"})) == Exit.FAILED


def test_missing_in_one_run():
    base = run("base", prog("a"), prog("b"))
    patched = run("patched", prog("a"), prog("c"))
    comp = cmp.compare(base, patched, {})
    verdicts = {r.test: r.verdict for r in comp.rows}
    assert verdicts == {
        "a": Verdict.UNCHANGED_PASS,
        "b": Verdict.MISSING_PATCHED,
        "c": Verdict.MISSING_BASE,
    }
    assert comp.by_verdict(Verdict.MISSING_PATCHED)[0].patched is Status.MISSING
    assert verdict.exit_status(comp) == Exit.INCOMPLETE


def test_tests_missing_after_a_crash_are_crashes_not_missing():
    base = run("base", prog("a"), prog("b"))
    patched = run("patched", prog("a", "crash"), outcome=RunOutcome.CRASH)
    comp = cmp.compare(base, patched, {})
    rows = {r.test: r for r in comp.rows}
    assert rows["a"].verdict is Verdict.REGRESSION
    assert rows["b"].verdict is Verdict.REGRESSION
    assert rows["b"].patched is Status.CRASH
    assert "did not run: the patched kernel crashed" in rows["b"].note
    assert verdict.exit_status(comp) == Exit.CRASHED


def test_subtests_are_compared():
    base = run("base", prog("s", "pass", subtests={"vm0": "pass", "vm1": "pass"}))
    patched = run("patched", prog("s", "fail", subtests={"vm0": "pass", "vm1": "fail"}))
    comp = cmp.compare(base, patched, {})
    assert [(r.test, r.verdict) for r in comp.rows] == [
        ("s", Verdict.REGRESSION),
        ("s::vm1", Verdict.REGRESSION),
        ("s::vm0", Verdict.UNCHANGED_PASS),
    ]
    assert not comp.rows[0].leaf and comp.rows[1].leaf
    j = verdict.judge_comparison(comp)
    assert j.problems == ["regression: s::vm1: pass → fail: vm1 fail"]  # the parent is explained


def test_regressions_come_first():
    base = run("base", prog("a"), prog("b", "fail"), prog("c"), prog("d"), prog("e", "skip"))
    patched = run("patched", prog("a"), prog("b", "fail"), prog("c", "fail"), prog("d"), prog("e"))
    comp = cmp.compare(base, patched, {})
    assert [r.test for r in comp.rows] == ["c", "e", "b", "a", "d"]
    assert [r.verdict for r in comp.rows] == [
        Verdict.REGRESSION,
        Verdict.SKIP_BASE,
        Verdict.UNCHANGED_FAIL,
        Verdict.UNCHANGED_PASS,
        Verdict.UNCHANGED_PASS,
    ]


# --- exit status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "patched", "known", "expected"),
    [
        ("pass", "pass", {}, Exit.OK),
        ("fail", "pass", {}, Exit.OK),  # fixed
        ("xfail", "xfail", {}, Exit.OK),
        ("pass", "fail", {}, Exit.FAILED),
        ("pass", "timeout", {}, Exit.FAILED),
        ("pass", "error", {}, Exit.FAILED),
        ("pass", "crash", {}, Exit.CRASHED),
        ("pass", "hang", {}, Exit.CRASHED),
        ("crash", "crash", {}, Exit.CRASHED),  # no crash/hang in the patched run, ever
        ("crash", "pass", {}, Exit.OK),  # the base kernel's crash is reported, not fatal
        ("pass", "skip", {}, Exit.INCOMPLETE),
        ("skip", "skip", {}, Exit.INCOMPLETE),
        ("skip", "pass", {}, Exit.INCOMPLETE),
        ("skip", "fail", {}, Exit.FAILED),  # fails on patched, nothing to compare with
        ("fail", "fail", {"t": "env"}, Exit.OK),  # known environment failure
        ("fail", "fail", {}, Exit.OK),  # default policy: loud note, not a failure
    ],
)
def test_comparison_exit_status(base, patched, known, expected):
    assert verdict.exit_status(pair(base, patched, known)) == expected


def test_unlisted_failure_on_both_is_loud_and_a_policy():
    comp = pair("fail", "fail")
    j = verdict.judge_comparison(comp)
    assert j.exit == Exit.OK
    assert any("not a regression (fails on base too)" in n for n in j.notes)
    strict = pair("fail", "fail", fail_unlisted_on_both=True)
    assert verdict.exit_status(strict) == Exit.FAILED
    assert verdict.exit_status(pair("fail", "fail", {"t": "env"}, fail_unlisted_on_both=True)) == 0


def test_infra_error_on_either_side():
    comp = cmp.compare(run("base", prog("t")), run("patched", outcome=RunOutcome.INFRA_ERROR), {})
    j = verdict.judge_comparison(comp)
    assert j.exit == Exit.INFRA  # infra outranks the missing test it caused
    assert "patched: the run did not complete: qemu did not start" in j.problems
    assert any(p.startswith("missing-in-patched: t") for p in j.problems)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("pass", Exit.OK),
        ("xfail", Exit.OK),
        ("fail", Exit.FAILED),
        ("error", Exit.FAILED),
        ("timeout", Exit.FAILED),
        ("skip", Exit.INCOMPLETE),
        ("crash", Exit.CRASHED),
        ("hang", Exit.CRASHED),
    ],
)
def test_single_run_exit_status(state, expected):
    assert verdict.exit_status(run("base", prog("ok"), prog("t", state))) == expected


def test_single_run_exit_status_known_and_empty():
    failing = run("base", prog("t", "fail"))
    assert verdict.exit_status(failing) == Exit.FAILED
    j = verdict.judge(failing, {"t": "no nested virt here"})
    assert j.exit == Exit.OK
    assert j.notes == ["known environment failure: t: fail: fail reason (no nested virt here)"]
    assert verdict.exit_status(run("base")) == Exit.INCOMPLETE  # nothing ran is not a pass
    assert verdict.exit_status(run("base", outcome=RunOutcome.INFRA_ERROR)) == Exit.INFRA
    # a crash outranks a failure
    assert verdict.exit_status(run("base", prog("a", "fail"), prog("b", "crash"))) == Exit.CRASHED


def test_comparison_to_dict_is_json():
    comp = pair("pass", "fail")
    data = json.loads(json.dumps(comp.to_dict()))
    assert "exit_status" not in data  # the verdict's, added by results.json's writer
    written = jsonfile.results_dict([comp.base, comp.patched], comp,
                                    judgement=verdict.judge_comparison(comp))
    assert written["comparison"]["exit_status"] == written["verdict"]["exit_status"] == 1
    assert data["counts"] == {"regression": 1}
    assert data["rows"][0]["verdict"] == "regression"
    assert data["policy"] == {"fail_unlisted_on_both": False}


# --- known-failures.txt -----------------------------------------------------------------------


def test_parse_known_failures():
    text = (
        "# header comment\n"
        "\n"
        "set_memory_region_test   # TCG: slot limit differs\n"
        "  x86_64/private_mem_conversions_test::test 3 # not on AMD hosts  \n"
    )
    assert verdict.parse_known_failures(text) == {
        "set_memory_region_test": "TCG: slot limit differs",
        "x86_64/private_mem_conversions_test::test 3": "not on AMD hosts",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("guest_memfd_test\n", "known-failures.txt:1: 'guest_memfd_test' has no reason"),
        ("guest_memfd_test   #   \n", "has no reason"),
        ("# c\na # r\na # again\n", "known-failures.txt:3: 'a' is listed twice"),
        ("   # an indented comment\n x # \n", "known-failures.txt:2: 'x' has no reason"),
    ],
)
def test_known_failures_errors(text, message):
    with pytest.raises(WorkbenchError, match=message):
        verdict.parse_known_failures(text)


def test_known_failures_file_in_repo_parses(tmp_path):
    assert verdict.KNOWN_FAILURES.is_file()
    known = verdict.load_known_failures()
    assert isinstance(known, dict)
    header = verdict.KNOWN_FAILURES.read_text()
    assert "reviewed" in header and "#   name  # reason" in header
    with pytest.raises(WorkbenchError, match="no such known-failures file"):
        verdict.load_known_failures(tmp_path / "absent.txt")


def test_known_entry_covers_subtests():
    base = run("base", prog("s", "fail", subtests={"vm0": "fail"}))
    patched = run("patched", prog("s", "fail", subtests={"vm0": "fail"}))
    comp = cmp.compare(base, patched, {"s": "env"})
    assert [r.known for r in comp.rows] == ["env", "env"]
    assert model.known_reason("s::vm0", {"s::vm0": "x"}) == "x"
    assert model.known_reason("s", {"s::vm0": "x"}) is None
