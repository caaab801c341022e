"""KUnit results read from a kernel's console log: one :class:`~harness.results.model.TestRun`
per case, named ``kunit:suite.case``.

Built-in KUnit suites run at boot (``kunit.enable=1 kunit.filter_glob=GLOB``) and print KTAP on
the console, between the kernel's other messages (printk timestamps, a WARN's dozens of lines,
a driver's probe message in the middle of a suite). The KTAP region runs from the first
``KTAP version`` line to the end of the initcalls (``Freeing unused kernel`` / ``Run /init``)
or the harness's first marker; :func:`harness.results.ktap.parse`, the parser of the
selftests' TAP, reads it, and keeps every line that is not KTAP in the ``log`` of the case it
appeared in. That log decides the kernel's part:

* a kernel report in a case's log (WARNING, BUG, KASAN, Oops, panic ... as the console driver
  detects them) or KUnit's own crash report (``try faulted``, ``try timed out``, ``test case
  timed out``, ``internal error``) makes the case a *crash*, with the report as its excerpt;
* a suite cut short (a panic: no result line for the case running, none for the suite) gives
  a crash of the case that was running (a hang when the output just stopped, with no report)
  and "not run" (ERROR, reason ``not run: ...``) for every case after it. KTAP names a case
  only in its result line, so the cases never reached are named from a ``kunit.action=list``
  boot of the same kernel (:func:`parse_list`) when one was made, else ``suite.<case N of M>``.

A plain ``not ok`` (an EXPECTATION FAILED) is a failure of the case, not a crash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.vm.console.driver import SplatDetector

from . import ktap, model
from .ktap import Status, TestResult

PREFIX = "kunit:"
_PRINTK = re.compile(r"^\[\s*\d+\.\d+\](?:\[\s*[A-Z]?\d+\])?\s?")
_START = re.compile(r"K?TAP version \d+\s*$")
_END = re.compile(r"Freeing unused kernel|Run \S+ as init process|KWB-|KWB''-")
_HARNESS_NOTE = "### kwb:"
# KUnit's own reports of a case that did not complete (lib/kunit/test.c, try-catch.c)
_KUNIT_CRASH = re.compile(r"# \S+: (?:try faulted|try timed out|test case timed out|"
                          r"test case cleanup timed out|internal error occurred)")


@dataclass
class SuiteListing:
    """What a ``kunit.action=list`` boot printed: suite -> its cases, in order."""

    cases: dict[str, list[str]] = field(default_factory=dict)


def _strip(line: str) -> str:
    return _PRINTK.sub("", line.rstrip("\r\n"), count=1)


def ktap_region(console: str | Iterable[str]) -> list[str]:
    """The console lines of the KUnit run (timestamps kept; harness notes left out)."""
    lines = console.splitlines() if isinstance(console, str) else list(console)
    out: list[str] = []
    started = False
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line.startswith(_HARNESS_NOTE):
            continue
        text = _strip(line).strip()
        if not started:
            if _START.match(text):
                started = True
                out.append(line)
            continue
        if _END.search(text):
            break
        out.append(line)
    return out


def parse_list(console: str | Iterable[str]) -> SuiteListing:
    """The suites and cases a ``kunit.action=list`` boot printed (``suite`` / ``suite.case``)."""
    listing = SuiteListing()
    for line in ktap_region(console)[1:]:
        text = _strip(line).strip()
        if not re.fullmatch(r"[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)?", text):
            continue
        suite, _, case = text.partition(".")
        cases = listing.cases.setdefault(suite, [])
        if case:
            cases.append(case)
    return listing


def _lines(node: TestResult) -> list[str]:
    """A node's log and its subtests' logs, in order (a parameterised case's params)."""
    return [line for sub in node.subtests for line in _lines(sub)] + node.log


def kernel_reports(lines: Iterable[str]) -> list[str]:
    """The kernel reports (and KUnit crash reports) in ``lines``: their excerpts, flattened."""
    det = SplatDetector()
    own: list[str] = []
    for line in lines:
        det.feed(line, None, 0.0)
        if _KUNIT_CRASH.search(_strip(line)):
            own.append(line.strip())
    excerpt = [ln for e in det.events for ln in e.excerpt.splitlines()]
    return excerpt + own


def _case_run(suite: str, case: TestResult) -> model.TestRun:
    result = TestResult.from_dict(case.to_dict())
    result.name = f"{suite}.{case.name}"
    excerpt = kernel_reports(_lines(case))
    console = None
    if excerpt:
        console = model.ConsoleEvent.CRASH
        if not result.status.failed:
            result.status = Status.ERROR
        what = excerpt[0].strip()
        result.reason = f"the kernel reported a problem during this case: {what}" + (
            f"; {result.reason}" if result.reason else "")
    output = "\n".join(_lines(case))
    return model.TestRun(PREFIX + result.name, result, None, None, output, console, excerpt)


def _not_run(name: str, why: str) -> model.TestRun:
    result = TestResult(name, Status.ERROR, reason=f"not run: {why}")
    return model.TestRun(PREFIX + name, result)


def _crashed_unnamed(name: str, excerpt: list[str], why: str) -> model.TestRun:
    """A case the kernel went down in: a crash with the report, or, when the output simply
    stopped (no report: the boot's timeout ran out), a hang."""
    result = TestResult(name, Status.ERROR, reason=why)
    down = model.ConsoleEvent.CRASH if excerpt else model.ConsoleEvent.HANG
    return model.TestRun(PREFIX + name, result, None, None, "\n".join(excerpt), down, excerpt)


def _suite_runs(suite: TestResult, number: int, listing: SuiteListing | None,
                after_panic: list[str]) -> tuple[list[model.TestRun], str | None]:
    """The suite's cases; the reason the run was cut short here, if it was."""
    name = suite.name or f"<suite {number}>"
    cut = suite.number is None or "no result line" in suite.errors
    if not suite.subtests and not cut and suite.plan is None:
        run = _case_run("", suite)  # a top-level test without cases (not KUnit's own form)
        run.name, run.result.name = PREFIX + name, name
        return [run], None
    runs = [_case_run(name, c) for c in suite.subtests]
    if not cut:
        leftover = kernel_reports(suite.log)
        seen = {ln for r in runs for ln in r.console_excerpt}
        extra = [ln for ln in leftover if ln not in seen]
        if extra or (not suite.subtests and suite.status.failed):
            why = ("the kernel reported a problem in the suite's init or exit: "
                   f"{extra[0].strip()}" if extra else suite.reason or "suite failed")
            run = _crashed_unnamed(name, extra, why) if extra else model.TestRun(
                PREFIX + name, TestResult(name, Status.ERROR, reason=why))
            runs.append(run)
        return runs, None
    # cut short: the case after the last result was running when the output stopped
    known = listing.cases.get(name, []) if listing else []
    planned = suite.plan if suite.plan is not None else max(len(known), len(runs) + 1)
    total = max(planned, len(known))
    excerpt = kernel_reports(suite.log + after_panic)
    missing = [known[i] if i < len(known) else f"<case {i + 1} of {total}>"
               for i in range(len(runs), total)]
    if not missing:
        return runs, None
    first = f"{name}.{missing[0]}"
    what = excerpt[0].strip() if excerpt else "the console output stopped"
    runs.append(_crashed_unnamed(first, excerpt,
                                 f"the run stopped during this case: {what}"))
    runs += [_not_run(f"{name}.{c}", f"the kernel went down in {first}") for c in missing[1:]]
    return runs, first


_TS = re.compile(r"^\[\s*(\d+\.\d+)\]")
_CASE_LINE = re.compile(r"^(\s+)(?:(?:not )?ok \d+(?: -)? (\S+)|1\.\.\d+|# Subtest: (\S+))")


def durations(region: list[str]) -> dict[str, float]:
    """``suite.case`` -> seconds, from the printk timestamps of the suite's plan line and the
    case result lines (a case runs from the line before its result to its result)."""
    out: dict[str, float] = {}
    suite, indent, anchor = "", None, None
    for line in region:
        ts = _TS.match(line)
        m = _CASE_LINE.match(_strip(line))
        if not ts or not m:
            continue
        at = float(ts.group(1))
        if m.group(3) is not None and (indent is None or len(m.group(1)) < len(indent)):
            suite, indent, anchor = m.group(3), None, None  # a suite's header
        elif m.group(2) is None and indent is None:
            indent, anchor = m.group(1), at  # the suite's plan: its cases' indent
        elif m.group(2) is not None and m.group(1) == indent and anchor is not None:
            out[f"{suite}.{m.group(2)}"] = round(at - anchor, 3)
            anchor = at
    return out


def case_runs(console: str | Iterable[str],
              listing: SuiteListing | None = None) -> list[model.TestRun]:
    """Every KUnit case in a console log, as TestRuns named ``kunit:suite.case``."""
    region = ktap_region(console)
    if not region:
        return []
    top = ktap.parse(region, name="kunit")
    runs: list[model.TestRun] = []
    down: str | None = None
    for number, suite in enumerate(top.subtests, 1):
        if down is not None:
            runs += [_not_run(f"{suite.name}.{c.name}", f"the kernel went down in {down}")
                     for c in suite.subtests]
            continue
        suite_runs, down = _suite_runs(suite, number, listing, top.log if number == len(
            top.subtests) else [])
        runs += suite_runs
    # suites the top-level plan promised and never printed
    seen = {s.name for s in top.subtests}
    later = [s for s in (listing.cases if listing else {}) if s not in seen]
    planned = top.plan or 0
    why = f"the kernel went down in {down}" if down else "the KUnit run stopped"
    for suite in later:
        runs += [_not_run(f"{suite}.{c}", why) for c in listing.cases[suite]] if listing \
            else []
    for n in range(len(top.subtests) + len(later), planned):
        runs.append(_not_run(f"<suite {n + 1} of {planned}>", why))
    took = durations(region)
    for run in runs:
        run.duration = took.get(run.name.removeprefix(PREFIX), run.duration)
    return runs
