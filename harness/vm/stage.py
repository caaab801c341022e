"""Stage 6 — boot-and-test: boot a build from its manifest, run the selftests in the guest,
turn what the console saw into results, and write results.json, JUnit XML and an HTML report.

The raw guest session is :mod:`harness.vm.session`; parsing test output is
:mod:`harness.results.ktap`; every mapping and judgement is :mod:`harness.results.verdict`'s,
the writers are in :mod:`harness.results.report` and render the one verdict they are given.
This module joins them.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from harness import paths
from harness.build import collection, config, kbuild, manifest, testlist
from harness.errors import WorkbenchError
from harness.proc import info
from harness.results import compare, model, verdict
from harness.results.report import html, jsonfile, junit, kcidb, summary

from . import accel, backends, kunit_boot, plan, session

DEFAULT_TIMEOUT = 120.0  # tools/testing/selftests/kvm/settings
KUNIT_BOOT_TIMEOUT = 180.0  # a KUnit boot: to the shell, plus the per-test timeout for the suites


@dataclass
class TestOptions:
    backend: str = backends.DEFAULT
    tests: list[str] | None = None  # default: kernel-config/tests.txt + the project's selftests
    # None: a collection's programs get its settings file's timeout, other tests 120 s
    timeout: float | None = None
    out_dir: Path | None = None
    shard: tuple[int, int] | None = None  # --shard K/N: the K-th of N slices of the tests
    kunit_isolated: str | None = None  # "suite" / "case": one boot per KUnit suite / case


def default_tests(m: manifest.Manifest) -> list[str]:
    names = kbuild.selftest_names(paths.KERNEL_CONFIG_DIR / "tests.txt")
    names += sorted(n for n in m.artifacts["selftests"] if n.startswith("extra/"))
    return names


def test_plan(m: manifest.Manifest, opts: TestOptions) -> plan.Plan:
    """The tests to run (collections expanded, sharded), each with its timeout."""
    names = [n for n in opts.tests if not testlist.is_kunit(n)] if opts.tests \
        else default_tests(m)
    return plan.plan(m.artifacts, names, timeout=opts.timeout,
                     shard=opts.shard, durations=collection.load_durations(),
                     where=str(m.path))


def select_kunit(wanted: list[str] | None) -> list[testlist.KunitEntry]:
    """The ``kunit:`` tests to run: those of ``wanted`` (--tests), else tests.txt's."""
    listed = testlist.read(paths.KERNEL_CONFIG_DIR / "tests.txt").kunit
    if not wanted:
        return listed
    return [testlist.with_listed_option(testlist.parse_kunit(n), listed)
            for n in wanted if testlist.is_kunit(n)]


def select_tests(m: manifest.Manifest, wanted: list[str] | None) -> dict[str, Path]:
    return test_plan(m, TestOptions(tests=wanted)).tests


def _test_run(rec: session.TestRecord) -> model.TestRun:
    excerpt = [line for e in rec.events for line in e.excerpt.splitlines()]
    return verdict.test_run(rec.name, rec.outcome, rec.exit_code, rec.output, rec.duration,
                            note=rec.note, excerpt=excerpt)


def _result(m: manifest.Manifest, bzimage: Path, g: session.GuestRun,
            total: float) -> model.RunResult:
    runs = [_test_run(r) for r in g.tests]
    excerpt = [line for e in g.events if e.command is None for line in e.excerpt.splitlines()]
    timings = {"total": round(total, 2), "tests": round(sum(t.duration or 0 for t in runs), 2)}
    if g.boot_seconds is not None:
        timings["boot_to_prompt"] = round(g.boot_seconds, 2)
    return model.RunResult(
        kernel=model.KernelInfo(label=m.variant, commit=m.tree.get("head_commit"),
                                bzimage=str(bzimage), config_hash=m.config.get("sha256")),
        accelerator=g.accel, outcome=verdict.result_outcome(g.outcome), tests=runs,
        reason=g.reason, excerpt=excerpt, console_log=str(g.console_log), timings=timings,
        started=model.now_iso(), interrupted=g.interrupted, accelerator_why=_accel_why(g.accel))


def _accel_why(used: str) -> str:
    """Why the guest ran under ``used`` (the accelerator probe's last choice, when it is the
    one used)."""
    last = accel.LAST
    return f"{last.source}: {last.reason}" if last is not None and str(last.accel) == used \
        else ""


def boot_and_test(manifest_path: Path, opts: TestOptions) -> model.RunResult:
    """Boot the kernel of ``manifest_path`` and run the selected selftests in it."""
    m = manifest.load(manifest_path)
    p = test_plan(m, opts)
    tests = p.tests
    kplan = kunit_boot.plan(m, select_kunit(opts.tests))
    if note := p.note():
        info(note)
    if warning := p.warning():
        info(f"WARNING: {warning}")
    out = opts.out_dir or paths.runs_dir() / f"{m.variant}-{time.strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    if not m.artifacts.get("bzImage"):
        raise WorkbenchError(
            f"{m.path}: config {m.config['name']!r} is compile only (no bzImage): nothing "
            "to boot")
    bzimage = Path(m.artifacts["bzImage"])
    kconfig = Path(m.config.get("path") or "")
    if kconfig.is_file():  # (fake kernels of the tests have none)
        backends.check_config(opts.backend, config.read_config(kconfig), kernel=str(bzimage),
                              config_name=m.config.get("name", "?"))
    info(f"booting {m.variant} ({bzimage}) with {opts.backend}; {len(tests)} tests; "
         f"console log in {out}")
    start = time.monotonic()
    try:
        g = session.run_tests(opts.backend, bzimage, tests, p.timeouts, out)
    except session.Interrupted as exc:  # the tests that finished are results too
        exc.result = _grouped(_result(m, bzimage, exc.run, time.monotonic() - start), p)
        raise
    result = _grouped(_result(m, bzimage, g, time.monotonic() - start), p)
    _kunit(result, kplan, opts, bzimage, out)
    return result


def _kunit(result: model.RunResult, kplan: kunit_boot.Plan, opts: TestOptions, bzimage: Path,
           out: Path) -> None:
    """The KUnit suites, each glob in boots of its own; their cases join ``result``."""
    for entry, why in kplan.absent:
        info(f"{entry.name}: not on this kernel ({why})")
    boots: list[Path] = []

    def boot(append: tuple[str, ...], label: str) -> Path | None:
        where = out / f"kunit-{len(boots) + 1}"
        info(f"KUnit boot {len(boots) + 1} ({label}): {' '.join(append)}")
        # the suites run before the shell: their time counts against the boot's timeout
        g = session.run_tests(opts.backend, bzimage, {}, 60.0, where,
                              opts=backends.GuestOptions(append=append),
                              boot_timeout=KUNIT_BOOT_TIMEOUT + (opts.timeout or 120.0))
        boots.append(g.console_log)
        return g.console_log

    runs, seconds = kunit_boot.timed(
        lambda: kunit_boot.run_entries(kplan.run, boot, opts.kunit_isolated))
    runs = kplan.errors + runs
    result.tests += runs
    if kplan.run:
        result.timings["kunit"] = seconds
        result.timings["total"] = round(result.timings.get("total", 0) + seconds, 2)
    kunit_boot.merge_outcome(result, runs)


def _grouped(run: model.RunResult, p: plan.Plan) -> model.RunResult:
    """Each test tagged with its collection; the collections' durations kept for estimates."""
    for t in run.tests:
        t.collection = p.groups.get(t.name)
    collection.record_durations({t.name: t.duration for t in run.tests
                                 if t.collection and t.duration})
    return run


def write_reports(out: Path, runs: list[model.RunResult],
                  comparison: compare.Comparison | None = None,
                  manifests: list[manifest.Manifest] | None = None, *,
                  judgement: verdict.Judgement | None = None) -> dict[str, Path]:
    """results.json, junit.xml and report.html in ``out``, each rendering ``judgement`` (the
    one verdict; default: :func:`decide` of these runs); kcidb.json too when the runs' build
    ``manifests`` are given (KCIDB needs their checkouts and builds)."""
    out.mkdir(parents=True, exist_ok=True)
    judgement = judgement or decide(runs, comparison)
    known = comparison.known if comparison is not None else verdict.load_known_failures()
    written = {
        "json": jsonfile.write_json(out / "results.json", runs, comparison, judgement=judgement),
        "junit": junit.write_junit(out / "junit.xml", runs, judgement),
        "html": html.write_html(out / "report.html", runs, comparison, judgement=judgement,
                                known=known,
                                manifests=[asdict(m) for m in manifests or []]),
    }
    if manifests:
        written["kcidb"] = kcidb.write_kcidb(out / "kcidb.json", runs, manifests)
    return written


def decide(runs: list[model.RunResult],
           comparison: compare.Comparison | None) -> verdict.Judgement:
    """The one verdict of a boot-and-test (reviewed known failures applied)."""
    return verdict.decide(runs, comparison, verdict.load_known_failures())


def point_latest(out: Path, runs_dir: Path | None = None) -> Path:
    """``runs/latest`` → ``out``, replaced atomically: a symlink made under a temporary name is
    renamed over the old one, so a reader never finds it missing. The target is absolute, so
    it is right for a relative ``--out`` too."""
    runs = runs_dir or paths.runs_dir()
    runs.mkdir(parents=True, exist_ok=True)
    latest = runs / "latest"
    tmp = runs / f".latest-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.symlink_to(out.resolve(), target_is_directory=True)
    try:
        os.replace(tmp, latest)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return latest


def conclude(out: Path, runs: list[model.RunResult], comparison: compare.Comparison | None,
             manifests: list[manifest.Manifest] | None = None, *,
             runs_dir: Path | None = None) -> tuple[verdict.Judgement, dict[str, Path]]:
    """The end of a boot-and-test: decide the one verdict, write every report from it, print
    the summary from it, point ``runs/latest`` at ``out``. The verdict's exit is the
    command's exit status."""
    judgement = decide(runs, comparison)
    if any(r.interrupted for r in runs):
        manifests = None  # KCIDB is for complete runs
    written = write_reports(out, runs, comparison, manifests, judgement=judgement)
    summary.print_summary(comparison or runs[-1], judgement, sys.stdout)
    point_latest(out, runs_dir)
    return judgement, written
