"""KUnit at boot: which ``kunit:`` tests a built kernel can run, the boots that run them, and
their cases as results (:mod:`harness.results.kunit` reads the console).

KUnit suites are built in and run during the kernel's initcalls, before any shell, when the
command line says ``kunit.enable=1`` (the default configs leave KUNIT_DEFAULT_ENABLED off);
``kunit.filter_glob=GLOB`` picks the suites and cases. Each glob gets its own boot, apart from
the selftests' boot: a suite that panics the kernel takes its own boot down, not the KVM
selftests. When a suite is cut short, a ``kunit.action=list`` boot names the cases that never
ran. Run-isolated mode (as kunit.py's ``--run_isolated``) lists the suites first, then boots
once per suite (``suite``) or per case (``case``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.build import config, manifest
from harness.build.testlist import KunitEntry
from harness.errors import WorkbenchError
from harness.proc import info
from harness.results import kunit, model
from harness.results.ktap import Status, TestResult

ISOLATION = ("suite", "case")
# One boot of the kernel with extra command-line parameters: its console log (None: no log).
Boot = Callable[[tuple[str, ...], str], Path | None]


def params(glob: str, *, list_only: bool = False) -> tuple[str, ...]:
    out = ("kunit.enable=1", f"kunit.filter_glob={glob}")
    return out + (("kunit.action=list",) if list_only else ())


@dataclass
class Plan:
    """The kunit: tests of one kernel: those it runs, those its tree does not have (the
    series adds them: they are absent from this run, "new on patched" in a comparison), and
    those it should run but cannot (not built in), as ERROR results."""

    run: list[KunitEntry] = field(default_factory=list)
    absent: list[tuple[KunitEntry, str]] = field(default_factory=list)
    errors: list[model.TestRun] = field(default_factory=list)


def _error(name: str, why: str) -> model.TestRun:
    return model.TestRun(name, TestResult(name, Status.ERROR, reason=why))


def plan(m: manifest.Manifest, entries: list[KunitEntry]) -> Plan:
    """Which entries this build runs, from the build itself: its .config and the if-defined
    symbols its config stage found undefined (the manifest's ``skipped_undefined``). The
    worktree is looked at only for a build made without KUnit: it may have moved on since."""
    out = Plan()
    if not entries:
        return out
    cfg = config.read_config(Path(m.config["path"]))
    undefined = set(m.config.get("skipped_undefined") or [])
    kunit_on = cfg.get("CONFIG_KUNIT") == "y"
    unknown = [e.option for e in entries if e.option and e.option not in cfg
               and e.option not in undefined]
    if unknown and not kunit_on:
        # built without KUnit (a config without tests = true): the .config cannot say whether
        # the tree defines the options, its Kconfig can (the only look at the worktree)
        tree = m.tree.get("worktree")
        if tree and Path(tree).is_dir():
            undefined |= set(unknown) - config.defined_symbols(Path(tree), unknown)
    for e in entries:
        if e.option and (e.option in undefined or (kunit_on and e.option not in cfg)):
            out.absent.append((e, f"{e.option} is not defined by this kernel's tree"))
            continue
        if not kunit_on:
            out.errors.append(_error(e.name, "CONFIG_KUNIT is not built in in this build "
                                     f"(config {m.config.get('name')!r}): rebuild it with a "
                                     "config that has tests = true"))
            continue
        if e.option and cfg.get(e.option) != "y":
            got = cfg.get(e.option) or "n"
            out.errors.append(_error(e.name, f"{e.option}={got} in this build: the suite must "
                                     "be built in (=y) to run at boot"))
            continue
        out.run.append(e)
    return out


def _read(log: Path | None) -> str:
    if log is None:
        return ""
    try:
        return log.read_text(errors="replace")
    except OSError:
        return ""


def _glob_runs(entry: KunitEntry, text: str, listing: kunit.SuiteListing | None,
               what: str) -> list[model.TestRun]:
    runs = kunit.case_runs(text, listing)
    if runs:
        return runs
    excerpt = kunit.kernel_reports(text.splitlines())
    if kunit.ktap_region(text):
        why = f"kunit.filter_glob={entry.glob} matched no suite of this kernel ({what})"
        return [_error(entry.name, why)]
    why = f"no KUnit output on the console ({what})"
    run = _error(entry.name, why + (f": {excerpt[0].strip()}" if excerpt else ""))
    if excerpt:
        run.console, run.console_excerpt = model.ConsoleEvent.CRASH, excerpt
    return [run]


def _cut_short(runs: list[model.TestRun]) -> bool:
    return any("<case " in r.name or "<suite " in r.name for r in runs)


def _listing(entry: KunitEntry, boot: Boot) -> kunit.SuiteListing:
    return kunit.parse_list(_read(boot(params(entry.glob, list_only=True), "list")))


def _isolated_globs(entry: KunitEntry, listing: kunit.SuiteListing, mode: str) -> list[str]:
    case_glob = entry.glob.partition(".")[2]
    if mode == "suite":
        return [f"{s}.{case_glob}" if case_glob else s for s in listing.cases]
    return [f"{s}.{c}" for s, cases in listing.cases.items() for c in cases]


def run_entries(entries: list[KunitEntry], boot: Boot,
                isolated: str | None = None) -> list[model.TestRun]:
    """Boot for each entry (or, isolated, for each of its suites or cases); the case results."""
    if isolated is not None and isolated not in ISOLATION:
        raise WorkbenchError(f"--kunit-isolated {isolated}: choose {' or '.join(ISOLATION)}")
    runs: list[model.TestRun] = []
    for entry in entries:
        if isolated is None:
            text = _read(boot(params(entry.glob), entry.glob))
            got = _glob_runs(entry, text, None, f"boot with kunit.filter_glob={entry.glob}")
            if _cut_short(got):
                info(f"{entry.name}: the run was cut short; listing its cases to name them")
                got = _glob_runs(entry, text, _listing(entry, boot), "after a list boot")
            runs += got
            continue
        listing = _listing(entry, boot)
        globs = _isolated_globs(entry, listing, isolated)
        if not globs:
            runs.append(_error(entry.name, f"kunit.action=list found no suite matching "
                               f"{entry.glob}"))
        for glob in globs:
            text = _read(boot(params(glob), glob))
            runs += _glob_runs(KunitEntry(glob, entry.option, entry.line), text, listing,
                               f"isolated boot, kunit.filter_glob={glob}")
    return runs


def merge_outcome(run: model.RunResult, kunit_runs: list[model.TestRun]) -> None:
    """The run's outcome and reason once its KUnit cases are in: a case that crashed the
    kernel makes the run a crash, a failing case makes a passing run a failure."""
    down = [t for t in kunit_runs if t.console in (model.ConsoleEvent.CRASH,
                                                     model.ConsoleEvent.HANG)]
    failed = [t for t in kunit_runs if t.result.status.failed]
    if run.outcome is model.Outcome.INFRA_ERROR:
        return
    if down and run.outcome is not model.Outcome.CRASH:
        first = down[0]
        run.outcome = model.Outcome(first.console.value)  # type: ignore[union-attr]
        what = first.console_excerpt[0].strip() if first.console_excerpt else \
            first.result.reason
        run.reason = f"kernel {run.outcome.value} during {first.name}: {what}" + (
            f"; {run.reason}" if run.reason else "")
        run.excerpt = run.excerpt or list(first.console_excerpt)
    elif failed and run.outcome is model.Outcome.PASS:
        run.outcome = model.Outcome.FAIL
        run.reason = "fail: " + ", ".join(t.name for t in failed)


def timed(fn: Callable[[], list[model.TestRun]]) -> tuple[list[model.TestRun], float]:
    start = time.monotonic()
    out = fn()
    return out, round(time.monotonic() - start, 2)
