"""harness.ktap over captured logs (tests/data/ktap, see its README.md) and small inline cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.results import ktap
from harness.results.ktap import Status

DATA = Path(__file__).parent / "data" / "ktap"


def log(name: str) -> str:
    return (DATA / name).read_text()


def by_key(result: ktap.TestResult) -> dict[str, ktap.TestResult]:
    return dict(result.walk())


def statuses(result: ktap.TestResult) -> dict[str, str]:
    return {k: n.status.value for k, n in result.walk()}


# --- real KUnit logs: the same verdicts as tools/testing/kunit/kunit_tool_test.py -------------


@pytest.mark.parametrize(
    ("name", "status", "counts"),
    [
        ("kunit-is_test_passed-all_passed.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-is_test_passed-all_passed_nested.log", Status.PASS, {Status.PASS: 7}),
        ("kunit-is_test_passed-failure.log", Status.FAIL, {Status.PASS: 9, Status.FAIL: 1}),
        ("kunit-is_test_passed-kselftest.log", Status.PASS, {Status.PASS: 4}),
        ("kunit-is_test_passed-missing_plan.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-skip_tests.log", Status.PASS, {Status.PASS: 4, Status.SKIP: 1}),
        ("kunit-skip_all_tests.log", Status.SKIP, {Status.SKIP: 5}),
        ("kunit-strip_hyphen.log", Status.PASS, {Status.PASS: 2}),
        ("kunit-config_printk_time.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-multiple_prefixes.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-interrupted_tap_output.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-pound_sign.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-pound_no_prefix.log", Status.PASS, {Status.PASS: 10}),
        ("kunit-parse_ktap_output.log", Status.PASS, {Status.PASS: 3}),
        ("kunit-parse_subtest_header.log", Status.PASS, {Status.PASS: 1}),
        ("kunit-parse_attributes.log", Status.PASS, {Status.PASS: 1}),
        ("kunit-output_isolated_correctly.log", Status.PASS, {Status.PASS: 2}),
    ],
)
def test_kunit_logs(name, status, counts):
    result = ktap.parse(log(name))
    assert result.status is status, result.reason
    assert dict(result.counts()) == counts
    assert not result.errors


def test_kunit_names_and_nesting():
    result = ktap.parse(log("kunit-parse_ktap_output.log"))
    assert [s.name for s in result.subtests] == ["suite"]
    assert [s.name for s in result.subtests[0].subtests] == ["case_1", "case_2", "case_3"]
    assert result.plan == 1 and result.subtests[0].plan == 3

    result = ktap.parse(log("kunit-strip_hyphen.log"))  # "ok 1 - name" and "ok 1 name"
    assert [s.name for s in result.subtests] == ["sysctl_test", "example"]
    assert result.subtests[1].subtests[0].name == "example_simple_test"


def test_kunit_printk_prefix_and_console_noise_are_kept_in_the_log():
    result = ktap.parse(log("kunit-interrupted_tap_output.log"))
    assert result.subtests[0].name == "kunit-resource-test"
    cleanup = result.subtests[0].subtests[3]
    assert cleanup.name == "kunit_resource_test_cleanup_resources"
    assert any("kAFS: Red Hat AFS client" in line for line in cleanup.log)
    assert any("Kernel panic - not syncing" in line for line in result.log)
    assert result.log[0].endswith("printk: console [mc-1] enabled")  # the preamble


def test_kunit_kernel_panic_mid_suite_is_an_error():
    result = ktap.parse(log("kunit-kernel_panic_interrupt.log"))
    assert result.status is Status.ERROR
    crashed = result.subtests[2]
    assert crashed.name == "string-stream-test"
    assert crashed.status is Status.ERROR
    assert "test plan says 3, saw 1" in crashed.errors
    assert "no result line" in crashed.errors
    assert [s.status for s in result.subtests[:2]] == [Status.PASS, Status.PASS]


def test_kunit_no_output_and_empty_plan():
    assert ktap.parse("").status is Status.ERROR
    result = ktap.parse(log("kunit-is_test_passed-no_tests_run_no_header.log"))
    assert result.status is Status.ERROR
    assert result.errors == ["no KTAP/TAP output found"]
    assert len(result.log) == 75  # nothing dropped
    result = ktap.parse(log("kunit-is_test_passed-no_tests_run_with_header.log"))
    assert result.status is Status.SKIP
    assert "1..0" in result.reason


def test_kunit_subtest_without_results_is_an_error():
    result = ktap.parse(log("kunit-is_test_passed-no_tests_no_plan.log"))
    assert result.status is Status.ERROR
    case = result.subtests[0].subtests[0]
    assert case.name == "case" and case.status is Status.ERROR
    assert "has no plan and no results" in case.errors[0]


def test_ktap_spec_example():
    result = ktap.parse(log("ktap-spec-example.log"))
    assert statuses(result) == {
        "main": "fail",
        "main::main_test": "fail",
        "main::main_test::example_test_1": "pass",
        "main::main_test::example_test_1::test_1": "pass",
        "main::main_test::example_test_2": "pass",
        "main::main_test::example_test_2::test_1": "skip",
        "main::main_test::example_test_2::test_2": "pass",
        "main::main_test::example_test_3": "fail",
        "main::main_test::example_test_3::test_1": "pass",
        "main::main_test::example_test_3::test_2": "fail",
        "main::main_test::example_test_3::test_3": "skip",
    }
    nodes = by_key(result)
    assert nodes["main::main_test::example_test_2::test_1"].reason == "test_1 skipped"
    assert nodes["main::main_test::example_test_3::test_2"].log == ["    # test_2: FAIL"]


# --- kselftest.h / kselftest_harness.h / runner.sh ---------------------------------------------


def test_kselftest_plain_tap_with_totals():
    result = ktap.parse(log("ksft-kvm_binary_stats_test.log"), name="kvm_binary_stats_test")
    assert result.name == "kvm_binary_stats_test"
    assert result.status is Status.PASS
    assert [s.name for s in result.subtests] == ["vm0", "vm1", "vm2", "vm3"]
    assert [s.number for s in result.subtests] == [1, 2, 3, 4]
    assert result.totals == {"pass": 4, "fail": 0, "xfail": 0, "xpass": 0, "skip": 0, "error": 0}
    assert result.log == [  # the preamble and the diagnostics after the last result
        "Random seed: 0x6b8b4567",
        "# Totals: pass:4 fail:0 xfail:0 xpass:0 skip:0 error:0",
    ]
    assert not result.errors


def test_missing_results_vs_plan():
    result = ktap.parse(log("ksft-plan_mismatch.log"))
    assert result.status is Status.ERROR
    assert result.errors == ["test plan says 5, saw 3"]
    assert "test plan says 5, saw 3" in result.reason


def test_bail_out():
    result = ktap.parse(log("ksft-bail_out.log"))
    assert result.status is Status.ERROR
    assert result.errors[0] == "Bail out! Could not create VM 1: Cannot allocate memory (12)"
    assert "test plan says 3, saw 1" in result.errors


def test_totals_line_that_disagrees_is_an_error():
    totals = "# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0"
    text = f"TAP version 13\n1..2\nok 1 a\nok 2 b\n{totals}\n"
    result = ktap.parse(text)
    assert result.status is Status.ERROR
    assert "Totals line says pass:1, saw pass:2" in result.errors
    assert "Totals line says fail:1, saw fail:0" in result.errors


def test_require_skip_without_header():
    result = ktap.parse(log("ksft-require_skip.log"))
    assert result.status is Status.SKIP
    assert result.reason == "Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)"
    assert result.plan == 0


def test_kselftest_harness():
    result = ktap.parse(log("ksft-harness-sync_regs_test.log"))
    nodes = {n.name: n for n in result.subtests}
    assert {k: n.status.value for k, n in nodes.items()} == {
        "sync_regs_test.read_invalid": "pass",
        "sync_regs_test.set_invalid": "fail",
        "sync_regs_test.req_and_verify_all_valid": "skip",
        "sync_regs_test.race_cr4": "timeout",  # "# race_cr4: Test terminated by timeout"
        "sync_regs_test.race_exc": "pass",
    }
    skip = nodes["sync_regs_test.req_and_verify_all_valid"]
    assert skip.directive == "SKIP"
    assert skip.reason == "KVM_CAP_SYNC_REGS lacks KVM_SYNC_X86_EVENTS"
    failed = nodes["sync_regs_test.set_invalid"]
    assert "==== Test Assertion Failure ====" in failed.log
    assert failed.log[0] == "#  RUN           sync_regs_test.set_invalid ..."
    assert not result.errors  # Totals agrees: the harness counts its own lines
    assert result.status is Status.FAIL


def test_kselftest_runner_nests_by_hash_prefix():
    result = ktap.parse(log("ksft-runner-kvm.log"))
    top = [(s.name, s.status.value) for s in result.subtests]
    assert top == [
        ("selftests: kvm: guest_memfd_test", "pass"),
        ("selftests: kvm: set_memory_region_test", "pass"),
        ("selftests: kvm: private_mem_conversions_test", "skip"),
        ("selftests: kvm: kvm_binary_stats_test", "fail"),
    ]
    skip = result.subtests[2]
    assert skip.reason.startswith("Requirement not met: kvm_check_cap(KVM_CAP_VM_TYPES)")
    stats = result.subtests[3]
    assert stats.reason == "exit=1"
    assert [(s.name, s.status.value) for s in stats.subtests] == [
        ("vm0", "pass"),
        ("vm1", "pass"),
        ("vm2", "fail"),
        ("vm3", "pass"),
    ]
    assert stats.totals == {"pass": 3, "fail": 1, "xfail": 0, "xpass": 0, "skip": 0, "error": 0}
    assert "# Testing KVM_RUN with zero added memory regions" in result.subtests[1].log
    assert result.status is Status.FAIL and not result.errors


def test_directives_and_console_noise():
    result = ktap.parse(log("ksft-directives-console.log"))
    got = [(s.name, s.status, s.directive, s.reason) for s in result.subtests]
    assert got == [
        ("pass_plain", Status.PASS, None, ""),
        ("test 2", Status.SKIP, "SKIP", "guest_memfd not supported by this kernel"),
        ("test 3", Status.XFAIL, "XFAIL", "known broken on TCG"),
        ("xpass_case", Status.XPASS, "XPASS", "unknown"),
        ("test 5", Status.ERROR, "error", "could not open /dev/kvm"),
        ("todo_case", Status.TODO, "TODO", "not implemented yet"),
        ("slow_case", Status.TIMEOUT, "TIMEOUT", "30 seconds"),
        ("fail_with_diag", Status.FAIL, None, "rc=-22"),
        ("skipped_lowercase", Status.SKIP, "skip", "not on this CPU"),
    ]
    # console lines never change a status, and are kept with the test they interrupted
    assert result.subtests[2].log == ["[   42.123456] kvm: emulating exchange as write"]
    assert any("WARNING: CPU: 1 PID: 312" in line for line in result.subtests[7].log)
    assert result.subtests[8].log == ["this line is not TAP at all, ok 9 is not here"]
    assert result.status is Status.ERROR  # the worst subtest: "not ok 5 # error"
    assert not result.errors


def test_todo_xfail_xpass_do_not_fail_but_are_noteworthy():
    for status in (Status.TODO, Status.XFAIL, Status.XPASS):
        assert not status.failed and status.noteworthy
    for status in (Status.FAIL, Status.ERROR, Status.TIMEOUT):
        assert status.failed
    result = ktap.parse("TAP version 13\n1..2\nnot ok 1 a # TODO later\nok 2 b # XFAIL known\n")
    assert result.status is Status.PASS


@pytest.mark.parametrize("indent", ["  ", "    ", "\t"])
def test_whitespace_nesting(indent):
    text = (
        "KTAP version 1\n1..2\n"
        f"{indent}KTAP version 1\n{indent}# Subtest: suite\n{indent}1..2\n"
        f"{indent}ok 1 a\n{indent}not ok 2 b\n"
        "not ok 1 suite\n"
        "ok 2 other\n"
    )
    result = ktap.parse(text)
    assert statuses(result) == {
        "main": "fail",
        "main::suite": "fail",
        "main::suite::a": "pass",
        "main::suite::b": "fail",
        "main::other": "pass",
    }


def test_subtest_header_above_the_indentation():
    text = "TAP version 14\n1..1\n# Subtest: suite\n    1..1\n    ok 1 a\nok 1 - suite\n"
    result = ktap.parse(text)
    assert statuses(result) == {"main": "pass", "main::suite": "pass", "main::suite::a": "pass"}


def test_parent_reported_ok_with_a_failing_subtest_fails():
    text = "KTAP version 1\n1..1\n  KTAP version 1\n  1..1\n  not ok 1 a\nok 1 suite\n"
    suite = ktap.parse(text).subtests[0]
    assert suite.status is Status.FAIL
    assert "subtests failed: a" in suite.reason


def test_wrong_numbering_is_an_error():
    result = ktap.parse("TAP version 13\n1..2\nok 1 a\nok 3 b\n")
    assert result.status is Status.ERROR
    assert "expected test number 2, saw 3 (b)" in result.errors


def test_crlf_and_trailing_plan():
    result = ktap.parse("TAP version 13\r\nok 1 a\r\nok 2 b\r\n1..2\r\n")
    assert result.status is Status.PASS and result.plan == 2 and not result.errors


def test_round_trip_dict():
    result = ktap.parse(log("ksft-runner-kvm.log"))
    assert ktap.TestResult.from_dict(result.to_dict()) == result


# --- exit status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exit_code", "status", "reason"),
    [
        (0, Status.PASS, ""),
        (1, Status.FAIL, "no TAP output, but exit status 1 (KSFT_FAIL)"),
        (2, Status.XFAIL, "exit status 2 (KSFT_XFAIL); no TAP output"),
        (3, Status.XPASS, "exit status 3 (KSFT_XPASS); no TAP output"),
        (4, Status.SKIP, "exit status 4 (KSFT_SKIP); no TAP output"),
        (124, Status.TIMEOUT, "exit status 124 (timeout); no TAP output"),
        (-11, Status.FAIL, "no TAP output, but killed by signal SIGSEGV"),
        (139, Status.FAIL, "no TAP output, but exit status 139 (128 + SIGSEGV?)"),
        (None, Status.ERROR, "no exit status (the test did not finish); no TAP output"),
    ],
)
def test_exit_status_without_tap(exit_code, status, reason):
    out = log("kvm-guest_memfd_test-pass.log")
    result = ktap.from_exit_status("guest_memfd_test", exit_code, out)
    assert (result.name, result.status, result.reason) == ("guest_memfd_test", status, reason)
    assert result.log == ["Random seed: 0x6b8b4567"]


def test_exit_status_skip_reason_from_print_skip():
    out = "Random seed: 0x1\nKVM_CAP_GUEST_MEMFD not available, skipping test\n"
    result = ktap.from_exit_status("t", 4, out)
    assert result.status is Status.SKIP
    assert result.reason == "KVM_CAP_GUEST_MEMFD not available, skipping test"


def test_assertion_failure_gives_the_reason():
    out = log("kvm-guest_memfd_test-assert.log")
    assert ktap.assertion_failure(out) == (
        "guest_memfd_test.c:68: ret; pid=245 tid=245 errno=0 - Success; "
        "fallocate beginning at total_size should fail"
    )
    result = ktap.from_exit_status("guest_memfd_test", 254, out)
    assert result.status is Status.FAIL
    assert result.reason.startswith("guest_memfd_test.c:68: ret;")
    assert result.reason.endswith("(exit status 254 (TEST_ASSERT failure))")
    assert "test_fallocate at" not in result.reason  # the stack trace stays in the log
    assert ktap.assertion_failure("no banner here") is None


def test_exit_status_cross_checks_tap():
    ok = log("ksft-kvm_binary_stats_test.log")
    assert ktap.from_exit_status("s", 0, ok).status is Status.PASS
    failed = ktap.from_exit_status("s", 1, ok)
    assert failed.status is Status.FAIL
    assert failed.reason == "TAP reports pass, but exit status 1 (KSFT_FAIL)"
    assert len(failed.subtests) == 4  # the tree is kept

    skip = ktap.from_exit_status("guest_memfd_test", 4, log("ksft-require_skip.log"))
    assert skip.status is Status.SKIP
    assert skip.reason == "Requirement not met: kvm_has_cap(KVM_CAP_GUEST_MEMFD)"

    harness = ktap.from_exit_status("sync_regs_test", 1, log("ksft-harness-sync_regs_test.log"))
    assert harness.status is Status.FAIL  # the TAP tree, not the subtest's assertion
    assert harness.reason.endswith("exit status 1 (KSFT_FAIL)")

    assertion = log("kvm-guest_memfd_test-assert.log")
    cut = log("ksft-plan_mismatch.log").replace("# Planned", assertion + "# Planned")
    asserted = ktap.from_exit_status("s", 254, cut)
    assert asserted.status is Status.FAIL
    assert asserted.reason.startswith("guest_memfd_test.c:68: ret;")
    assert asserted.errors == ["test plan says 5, saw 3"]  # still reported

    hung = ktap.from_exit_status("s", None, ok)
    assert hung.status is Status.ERROR


def test_exit_zero_does_not_hide_tap_failures():
    result = ktap.from_exit_status("s", 0, "TAP version 13\n1..1\nnot ok 1 a\n")
    assert result.status is Status.FAIL
