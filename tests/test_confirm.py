"""Regressions confirmed, not guessed: Fisher's exact test, per-kernel boots, the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from harness import bisect as bs
from harness.results import compare, confirm, ktap, model, verdict
from harness.results.confirm import Finding, fisher_exact
from harness.results.report import groups
from harness.results.status import Status
from harness.vm.outcome import RunOutcome

# ------------------------------------------------------------------------ Fisher's exact test


@pytest.mark.parametrize(("table", "p"), [
    # R: fisher.test(matrix(c(3, 1, 1, 3), 2)) -- Fisher's own tea tasting
    ((3, 1, 1, 3), 0.4857142857142857),
    # scipy.stats.fisher_exact([[8, 2], [1, 5]]) (its documentation's example)
    ((8, 2, 1, 5), 0.03496503496503496),
    # scipy.stats.fisher_exact([[1, 9], [11, 3]])
    ((1, 9, 11, 3), 0.0027594561852200836),
    # 4 boots each, all pass against all fail: 2 / C(8, 4)
    ((4, 0, 0, 4), 2 / 70),
    # x86_64/kvm_clock_test under TCG, measured: 7/11 boots of base, 3/11 of patched
    ((7, 4, 3, 8), 0.19838056680161947),
    ((1, 0, 0, 1), 1.0),
    ((0, 0, 0, 0), 1.0),
    ((5, 0, 5, 0), 1.0),
])
def test_fisher_exact_known_values(table: tuple[int, ...], p: float) -> None:
    a, b, c, d = table
    assert fisher_exact(a, b, c, d) == pytest.approx(p, rel=1e-9)


def test_fisher_exact_is_symmetric_and_a_probability() -> None:
    for a, b, c, d in [(7, 4, 3, 8), (2, 9, 6, 1), (0, 5, 3, 3)]:
        p = fisher_exact(a, b, c, d)
        assert 0 < p <= 1
        assert p == pytest.approx(fisher_exact(c, d, a, b))  # rows swapped
        assert p == pytest.approx(fisher_exact(b, a, d, c))  # columns swapped
        assert p == pytest.approx(fisher_exact(a, c, b, d))  # transposed
    with pytest.raises(ValueError):
        fisher_exact(-1, 0, 0, 0)


# ------------------------------------------------------------------------ one test, two kernels

KVM_CLOCK = "x86_64/kvm_clock_test"


def test_the_measured_kvm_clock_case_is_flaky_not_a_regression() -> None:
    # the earlier measurement: base passed on 7 of 11 boots, patched on 3 of 11
    base = ["pass"] * 7 + ["fail"] * 4
    patched = ["pass"] * 3 + ["fail"] * 8
    c = confirm.confirmation(KVM_CLOCK, base, patched, first="regression")
    assert (c.base.passes, c.base.answered, c.patched.passes) == (7, 11, 3)
    assert c.base.flaky and c.patched.flaky and c.flaky
    assert not c.significant and c.finding is Finding.FLAKY and not c.confirmed_regression
    text = c.text()
    assert "flaky, not a confirmed regression" in text
    assert "passed 7/11 boots (64%)" in text and "passed 3/11 boots (27%)" in text
    assert "p = 0.198" in text and "not significant at 11+11 boots" in text


def test_a_deterministic_regression_is_confirmed_at_four_boots_each() -> None:
    c = confirm.confirmation("guest_memfd_test", [Status.PASS] * 4, [Status.FAIL] * 4,
                             first="regression")
    assert c.p_value == pytest.approx(2 / 70)
    assert c.finding is Finding.REGRESSION and c.confirmed_regression and not c.flaky
    # the first pair alone (1 boot each) is never significant: it cannot be confirmed
    one = confirm.confirmation("guest_memfd_test", ["pass"], ["fail"], first="regression")
    assert one.finding is Finding.NOT_SIGNIFICANT and not one.confirmed_regression
    fixed = confirm.confirmation("t", ["fail"] * 4, ["pass"] * 4, first="fixed")
    assert fixed.finding is Finding.FIXED


def test_skips_and_missing_boots_give_no_answer() -> None:
    c = confirm.confirmation("t", ["pass", "skip", "missing"], ["crash", "timeout", "skip"])
    assert (c.base.passes, c.base.answered) == (1, 1)
    assert (c.patched.failures, c.patched.answered) == (2, 2)
    assert c.base.rate == 1.0 and c.patched.rate == 0.0
    none = confirm.confirmation("t", ["skip"], ["fail"])
    assert none.finding is Finding.NO_ANSWER and none.base.rate is None


def test_round_trip_through_dict() -> None:
    c = confirm.confirmation(KVM_CLOCK, ["pass", "fail"], ["fail", "fail"], first="regression")
    d = c.to_dict()
    assert d["finding"] == "flaky" and d["base"]["boots"] == ["pass", "fail"]
    back = confirm.Confirmation.from_dict(d)
    assert back.text() == c.text()


# ------------------------------------------------------------------------ in the verdict


def _run(label: str, status: Status, name: str = KVM_CLOCK) -> model.RunResult:
    return model.RunResult(model.KernelInfo(label), "tcg", RunOutcome.PASS if status is Status.PASS
                     else RunOutcome.FAIL,
                     [model.TestRun(name, ktap.TestResult(name, status), 3.0, collection="kvm")])


def test_the_verdict_calls_a_regression_only_what_the_reruns_confirm() -> None:
    comp = compare.compare(_run("base", Status.PASS), _run("patched", Status.FAIL))
    assert confirm.differing(comp.rows) == [KVM_CLOCK]
    assert verdict.judge_comparison(comp).exit is verdict.Exit.FAILED  # one boot each

    comp.confirmations[KVM_CLOCK] = confirm.confirmation(
        KVM_CLOCK, ["pass"] * 7 + ["fail"] * 4, ["pass"] * 3 + ["fail"] * 8, first="regression")
    j = verdict.judge_comparison(comp)
    assert j.exit is verdict.Exit.OK, j.problems
    assert any("not a confirmed regression" in n and "flaky" in n for n in j.notes)
    assert ("patched", KVM_CLOCK) in j.excused

    comp.confirmations[KVM_CLOCK] = confirm.confirmation(
        KVM_CLOCK, ["pass"] * 4, ["fail"] * 4, first="regression")
    j = verdict.judge_comparison(comp)
    assert j.exit is verdict.Exit.FAILED
    assert any("regression confirmed" in p for p in j.problems)
    assert "confirmations" in comp.to_dict()


def test_reports_count_collections_and_show_the_reruns() -> None:
    base = _run("base", Status.PASS)
    base.tests.append(model.TestRun("b", ktap.TestResult("b", Status.SKIP), 1.0, collection="kvm"))
    base.tests.append(model.TestRun("solo", ktap.TestResult("solo", Status.PASS), 1.0))
    patched = _run("patched", Status.FAIL)
    comp = compare.compare(base, patched)
    comp.confirmations[KVM_CLOCK] = confirm.confirmation(
        KVM_CLOCK, ["pass", "pass"], ["fail", "pass"], first="regression")
    lines = groups.summary_lines(comp)
    assert "COLLECTION kvm: 2 programs on base in 0m04s: 1 skip, 1 pass" in lines
    assert "COLLECTION kvm: 1 programs on patched in 0m03s: 1 fail" in lines
    assert any(line.startswith(f"CONFIRM {KVM_CLOCK}: flaky") for line in lines)
    html = "\n".join(groups.html_sections([base, patched], comp))
    assert "<h3>kvm</h3>" in html and "Confirmed on fresh boots" in html
    assert "fail pass" in html and "1/2 flaky" in html


# ------------------------------------------------------------------------ bisect steps


class ReplayPipeline:
    """TEST FAKE: applies and builds nothing; ``test`` replays one recorded status per boot."""

    def __init__(self, boots: Sequence[str]) -> None:
        self.boots = list(boots)
        self.calls = 0

    def apply(self, worktree: Path, commit: str) -> bs.ApplyOutcome:
        return bs.ApplyOutcome(True, "ok", [])

    def build(self, worktree: Path) -> bs.BuildOutcome:
        return bs.BuildOutcome(True, "built", [])

    def test(self, worktree: Path, tests: Sequence[str]) -> dict[str, str]:
        status = self.boots[self.calls]
        self.calls += 1
        return {t: status for t in tests}


WT = Path("/nonexistent/wt")


def test_a_bisect_step_steers_only_when_fresh_boots_agree() -> None:
    crit = f"test:{KVM_CLOCK}"
    steady = ReplayPipeline(["fail", "fail", "fail"])
    v = bs.make_step(crit, steady, confirm=2)("c" * 40, WT)
    assert v.kind == "bad" and "confirmed on 3 boots" in v.why and steady.calls == 3
    # kvm_clock_test's per-boot behaviour under TCG: the second boot passes
    flaky = ReplayPipeline(["fail", "pass", "fail"])
    v = bs.make_step(crit, flaky, confirm=2)("c" * 40, WT)
    assert v.kind == "skip" and "flaky here" in v.why and "fail pass fail" in v.why
    one = ReplayPipeline(["fail"])
    assert bs.make_step(crit, one)("c" * 40, WT).kind == "bad" and one.calls == 1


def test_junit_groups_a_collection_under_its_name() -> None:
    from harness.results.report import junit

    run = _run("base", Status.PASS)
    run.tests.append(model.TestRun("solo", ktap.TestResult("solo", Status.PASS), 1.0))
    import xml.etree.ElementTree as ET

    root = ET.fromstring(junit.junit_xml([run], verdict.judge_run(run)))
    classes = {c.get("name"): c.get("classname") for c in root.iter("testcase")}
    assert classes == {KVM_CLOCK: "kwb.base.kvm", "solo": "kwb.base"}
