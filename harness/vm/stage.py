"""Stage 6 — boot-and-test: boot a build from its manifest, run the selftests in the guest,
turn what the console saw into results, and write results.json, JUnit XML and an HTML report.

The raw guest session is :mod:`harness.vm.session`; parsing test output is
:mod:`harness.results.ktap`; judging is :mod:`harness.results.model` and
:mod:`harness.results.compare`, the writers are in :mod:`harness.results.report`.  This module
joins them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from harness import paths
from harness.build import kbuild, manifest
from harness.errors import WorkbenchError
from harness.proc import info
from harness.results import compare, ktap, model
from harness.results.report import html, jsonfile, junit

from . import session
from .console.driver import Outcome as ConsoleOutcome

DEFAULT_TIMEOUT = 120.0  # tools/testing/selftests/kvm/settings


@dataclass
class TestOptions:
    backend: str = "vng"
    tests: list[str] | None = None  # default: kernel-config/tests.txt + the project's selftests
    timeout: float = DEFAULT_TIMEOUT
    out_dir: Path | None = None


def default_tests(m: manifest.Manifest) -> list[str]:
    names = kbuild.selftest_names(paths.KERNEL_CONFIG_DIR / "tests.txt")
    names += sorted(n for n in m.artifacts["selftests"] if n.startswith("extra/"))
    return names


def select_tests(m: manifest.Manifest, wanted: list[str] | None) -> dict[str, Path]:
    built: dict[str, str] = m.artifacts["selftests"]
    names = wanted or default_tests(m)
    missing = [n for n in names if n not in built]
    if missing:
        raise WorkbenchError(
            f"{m.path}: selftest(s) {', '.join(missing)} were not built for this kernel; "
            f"built: {', '.join(sorted(built)) or 'none'}. Add them to kernel-config/tests.txt "
            "and run apply-and-build again.")
    return {n: Path(built[n]) for n in names}


def _test_run(rec: session.TestRecord) -> model.TestRun:
    if rec.outcome is ConsoleOutcome.NOT_RUN:
        result = ktap.TestResult(rec.name, ktap.Status.ERROR,
                                 reason=f"not run: {rec.note or 'the guest was gone'}")
    elif rec.outcome is ConsoleOutcome.HANG:
        result = ktap.TestResult(rec.name, ktap.Status.TIMEOUT,
                                 reason=f"no exit after {rec.duration:.0f} s: killed")
    else:
        result = ktap.from_exit_status(rec.name, rec.exit_code, rec.output)
    console = {ConsoleOutcome.CRASH: model.ConsoleEvent.CRASH,
               ConsoleOutcome.HANG: model.ConsoleEvent.HANG}.get(rec.outcome)
    if console is model.ConsoleEvent.CRASH and not result.status.failed:
        result.status = ktap.Status.ERROR
        result.reason = "the kernel reported a problem while this test ran"
    excerpt = [line for e in rec.events for line in e.excerpt.splitlines()]
    return model.TestRun(rec.name, result, round(rec.duration, 2), rec.exit_code, rec.output,
                           console, excerpt)


def run_outcome(g: session.GuestRun) -> model.Outcome:
    return {ConsoleOutcome.PASS: model.Outcome.PASS,
            ConsoleOutcome.SKIP: model.Outcome.PASS,
            ConsoleOutcome.FAIL: model.Outcome.FAIL,
            ConsoleOutcome.CRASH: model.Outcome.CRASH,
            ConsoleOutcome.HANG: model.Outcome.HANG,
            }.get(g.outcome, model.Outcome.INFRA_ERROR)


def boot_and_test(manifest_path: Path, opts: TestOptions) -> model.RunResult:
    """Boot the kernel of ``manifest_path`` and run the selected selftests in it."""
    m = manifest.load(manifest_path)
    tests = select_tests(m, opts.tests)
    out = opts.out_dir or paths.runs_dir() / f"{m.variant}-{time.strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    bzimage = Path(m.artifacts["bzImage"])
    info(f"booting {m.variant} ({bzimage}) with {opts.backend}; {len(tests)} tests; "
         f"console log in {out}")
    start = time.monotonic()
    g = session.run_tests(opts.backend, bzimage, tests, opts.timeout, out)
    total = time.monotonic() - start
    runs = [_test_run(r) for r in g.tests]
    outcome = run_outcome(g)
    excerpt = [line for e in g.events if e.command is None for line in e.excerpt.splitlines()]
    timings = {"total": round(total, 2), "tests": round(sum(t.duration or 0 for t in runs), 2)}
    if g.boot_seconds is not None:
        timings["boot_to_prompt"] = round(g.boot_seconds, 2)
    run = model.RunResult(
        kernel=model.KernelInfo(label=m.variant, commit=m.tree.get("head_commit"),
                                  bzimage=str(bzimage), config_hash=m.config.get("sha256")),
        accelerator=g.accel, outcome=outcome, tests=runs, reason=g.reason, excerpt=excerpt,
        console_log=str(g.console_log), timings=timings, started=model.now_iso())
    return run


def write_reports(out: Path, runs: list[model.RunResult],
                  comparison: compare.Comparison | None = None) -> dict[str, Path]:
    """results.json, junit.xml and report.html in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    known = compare.load_known_failures()
    written = {
        "json": jsonfile.write_json(out / "results.json", runs, comparison),
        "junit": junit.write_junit(out / "junit.xml", runs),
        "html": html.write_html(out / "report.html", runs, comparison, known=known),
    }
    return written


def verdict(runs: list[model.RunResult],
            comparison: compare.Comparison | None) -> tuple[int, model.Judgement]:
    known = compare.load_known_failures()
    subject: model.RunResult | compare.Comparison = comparison or runs[-1]
    judgement = compare.judge(subject, known)
    return int(judgement.exit), judgement
