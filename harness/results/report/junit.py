"""JUnit XML: one testsuite per kernel run, one testcase per test and subtest.

Renders the verdict it is given: a failure the verdict excused (a listed known failure, a
failure on both kernels) is a ``<skipped type="kwb.excused">`` with the reason, as pytest
writes an xfail, and every suite carries the verdict's result and exit status as properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junit_xml import TestCase, TestSuite, to_xml_report_string

from harness.results.ktap import TestResult
from harness.results.model import RunResult, TestRun
from harness.results.status import Status
from harness.results.verdict import Judgement
from harness.vm.outcome import RunOutcome


def _junit_case(key: str, node: TestResult, state: Status, run: TestRun, label: str,
                excused: str | None) -> TestCase:
    top = node is run.result
    output = run.output if top else "\n".join(node.log)
    case = TestCase(
        name=key,
        # a collection's tests are grouped under it: kwb.<run>.<collection>
        classname=f"kwb.{label}" + (f".{run.collection}" if run.collection else ""),
        elapsed_sec=run.duration if top else None,
        stdout=output or None,
        status=state.value if node.status is Status.SKIP else node.status.value,
    )
    message = node.reason or node.status.value
    if node.errors:
        message = f"{message} [{'; '.join(node.errors)}]"
    if excused is not None and state.failed and not state.kernel_down:
        case.add_skipped_info(message=f"{state.value}, not counted: {excused} ({message})")
        case.status = "excused"
    elif state.kernel_down:
        first = run.console_excerpt[0] if run.console_excerpt else ""
        case.add_error_info(
            message=f"kernel {state.value} during this test: {first}".rstrip(": "),
            output="\n".join(run.console_excerpt) or None,
            error_type=state.value,
        )
        case.status = state.value
    elif node.status is Status.SKIP:
        case.add_skipped_info(message=f"SKIPPED (did not run): {message}")
    elif node.status is Status.ERROR:
        case.add_error_info(message=message, error_type="error")
    elif node.status.failed:
        case.add_failure_info(message=message, failure_type=node.status.value)
    return case


def junit_suite(run: RunResult, judgement: Judgement) -> TestSuite:
    cases = [
        _junit_case(key, node, state, test, run.label, judgement.excused.get((run.label, key)))
        for key, (state, node, test) in run.entries().items()
    ]
    stopped = (RunOutcome.CRASH, RunOutcome.HANG, RunOutcome.INFRA_ERROR, RunOutcome.INTERRUPTED)
    if run.outcome in stopped or not run.tests:
        case = TestCase(name="(kernel run)", classname=f"kwb.{run.label}", status=run.outcome)
        what = run.reason or (run.excerpt[0] if run.excerpt else "no tests ran")
        case.add_error_info(
            message=f"{run.outcome.value}: {what}",
            output="\n".join(run.excerpt) or None,
            error_type=run.outcome.value,
        )
        cases.append(case)
    props = {
        "label": run.label,
        "accelerator": run.accelerator,
        "outcome": run.outcome.value,
        "commit": run.kernel.commit or "",
        "bzimage": run.kernel.bzimage or "",
        "config_hash": run.kernel.config_hash or "",
        "console_log": run.console_log or "",
        "interrupted": run.interrupted or "",
        "kwb.result": judgement.word,
        "kwb.exit_status": str(int(judgement.exit)),
    }
    return TestSuite(
        name=f"kwb.{run.label}.{run.accelerator}",
        test_cases=cases,
        timestamp=run.started,
        properties=props,
    )


def junit_xml(runs: Sequence[RunResult], judgement: Judgement) -> str:
    """One testsuite per kernel run, one testcase per test and subtest."""
    return to_xml_report_string([junit_suite(r, judgement) for r in runs], prettyprint=True)


def write_junit(path: Path, runs: Sequence[RunResult], judgement: Judgement) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(runs, judgement), encoding="utf-8")
    return path


