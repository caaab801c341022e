"""KUnit in boot-and-test: tests.txt entries, the console's KTAP as per-case results, crash
attribution, "not run" after a panic, base vs patched ("new on patched"), run-isolated boots.

The console logs are real: ``tests/data/console/qemu-kunit-guestmem-*.log`` were captured from
boots of the patched 6.12 kernel (see that directory's README); the crash variants are made
from them by splicing in the real panic of ``qemu-sysrq-panic.log`` or a WARNING block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.build import config, testlist
from harness.errors import WorkbenchError
from harness.results import compare, ktap, kunit, model, verdict
from harness.results.ktap import Status
from harness.vm import kunit_boot

DATA = Path(__file__).parent / "data" / "console"
PASS_LOG = (DATA / "qemu-kunit-guestmem-pass.log").read_text()
LIST_LOG = (DATA / "qemu-kunit-guestmem-list.log").read_text()
PANIC_LOG = (DATA / "qemu-sysrq-panic.log").read_text()
CASES = ["gm_test_punch_hole_releases_once", "gm_test_several_users",
         "gm_test_eviction_refused", "gm_test_bad_input", "gm_test_punch_races_grab"]
WARN = """[    0.829001] ------------[ cut here ]------------
[    0.829102] WARNING: CPU: 0 PID: 61 at mm/guestmem.c:211 guestmem_release_folio+0x5e/0x70
[    0.829203] Modules linked in:
[    0.829304] CPU: 0 UID: 0 PID: 61 Comm: kunit_try_catch Not tainted 6.12.117+ #1
[    0.829405] RIP: 0010:guestmem_release_folio+0x5e/0x70
[    0.829506] Call Trace:
[    0.829607]  <TASK>
[    0.829708]  gm_test_eviction_refused+0x9a/0x1c0
[    0.829809]  </TASK>
[    0.829910] ---[ end trace 0000000000000000 ]---"""


def _panic_lines() -> list[str]:
    """The real panic block of qemu-sysrq-panic.log (the kernel's lines, not the harness's)."""
    lines = PANIC_LOG.splitlines()
    start = next(i for i, ln in enumerate(lines) if "Kernel panic - not syncing" in ln)
    return [ln for ln in lines[start:] if not ln.startswith("###")]


def _splice(before: str, insert: list[str], text: str = PASS_LOG, cut: bool = False) -> str:
    """``text`` with ``insert`` before the line containing ``before`` (and nothing after it
    when ``cut``: the kernel died there)."""
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if before in ln)
    return "\n".join(lines[:at] + insert + ([] if cut else lines[at:])) + "\n"


def by_name(runs: list[model.TestRun]) -> dict[str, model.TestRun]:
    return {r.name: r for r in runs}


# --- tests.txt ------------------------------------------------------------------------------


def test_tests_txt_entries(tmp_path: Path) -> None:
    f = tmp_path / "tests.txt"
    f.write_text("guest_memfd_test\n# comment\nkunit:guestmem  CONFIG_GUESTMEM_KUNIT_TEST\n"
                 "kunit:list*.*del*   # no option: built whenever KUNIT is\n")
    tl = testlist.read(f)
    assert tl.selftests == ["guest_memfd_test"]
    assert tl.kunit == [testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST", 3),
                        testlist.KunitEntry("list*.*del*", None, 4)]
    text = testlist.fragment_text(tl.kunit) or ""
    assert "CONFIG_KUNIT=y" in text
    assert "# kwb: if-defined\nCONFIG_GUESTMEM_KUNIT_TEST=y" in text
    reqs = config.parse_fragment(_write(tmp_path / "frag.config", text))
    assert [(r.symbol, r.if_defined) for r in reqs] == [
        ("CONFIG_KUNIT", False), ("CONFIG_GUESTMEM_KUNIT_TEST", True)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize("line", ["kunit:", "kunit:a.b.c", "kunit:x CONFIG_A CONFIG_B",
                                  "kunit:x GUESTMEM", "two words"])
def test_tests_txt_bad_lines_name_the_line(tmp_path: Path, line: str) -> None:
    f = _write(tmp_path / "tests.txt", f"guest_memfd_test\n{line}\n")
    with pytest.raises(WorkbenchError, match=r"tests\.txt:2"):
        testlist.read(f)


def test_configs_with_tests_build_the_kunit_options(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KWB_CACHE", str(tmp_path / "cache"))
    _write(tmp_path / "a.config", "CONFIG_A=y\n")
    _write(tmp_path / "tests.txt", "kunit:guestmem CONFIG_GUESTMEM_KUNIT_TEST\n")
    toml = _write(tmp_path / "configs.toml", '[t]\nfragments = ["a.config"]\ntests = true\n'
                  '[plain]\nfragments = ["a.config"]\n')
    with_tests = config.named_fragments("t", toml)
    assert [f.name for f in with_tests] == ["a.config", testlist.FRAGMENT_NAME]
    assert "CONFIG_GUESTMEM_KUNIT_TEST=y" in with_tests[-1].read_text()
    assert [f.name for f in config.named_fragments("plain", toml)] == ["a.config"]
    # the build key follows the KUnit options, not the rest of tests.txt
    key = config.fragments_key(with_tests)
    _write(tmp_path / "tests.txt", "guest_memfd_test\nkunit:guestmem CONFIG_GUESTMEM_KUNIT_TEST\n")
    assert config.fragments_key(config.named_fragments("t", toml)) == key


def test_the_repository_configs_build_guestmem_kunit() -> None:
    for name in ("default", "debug"):
        frags = config.named_fragments(name)
        text = frags[-1].read_text()
        assert frags[-1].name == testlist.FRAGMENT_NAME and "CONFIG_KUNIT=y" in text
        assert "CONFIG_GUESTMEM_KUNIT_TEST=y" in text
        assert not any(f.name == "kunit.config" for f in frags)  # retired


def test_kunit_option_verification_drop_is_an_error(tmp_path: Path) -> None:
    """An option Kconfig drops fails verification, naming it; an undefined one is skipped."""
    frag = _write(tmp_path / testlist.FRAGMENT_NAME, testlist.fragment_text(
        [testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST")]) or "")
    reqs = config.parse_fragment(frag)
    final = {"CONFIG_KUNIT": "y"}  # the option was defined but did not survive olddefconfig
    with pytest.raises(WorkbenchError, match="CONFIG_GUESTMEM_KUNIT_TEST=y"):
        config.verify(reqs, final, {"CONFIG_GUESTMEM_KUNIT_TEST"})
    assert config.verify(reqs, final, set()) == ["CONFIG_GUESTMEM_KUNIT_TEST"]  # base tree
    assert testlist.undefined_options(
        [testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST")],
        ["CONFIG_GUESTMEM_KUNIT_TEST"]) == ["CONFIG_GUESTMEM_KUNIT_TEST"]


# --- the console's KTAP ---------------------------------------------------------------------


def test_real_console_log_gives_one_test_per_case() -> None:
    runs = kunit.case_runs(PASS_LOG)
    assert [r.name for r in runs] == [f"kunit:guestmem.{c}" for c in CASES]
    assert all(r.state() is Status.PASS and r.console is None for r in runs)
    # durations from the printk timestamps: plan at 0.812701, results at 0.825497 ... 1.126139
    assert [r.duration for r in runs] == [0.013, 0.006, 0.002, 0.001, 0.292]


def test_region_stops_before_the_shell() -> None:
    region = kunit.ktap_region(PASS_LOG)
    assert region[0].endswith("KTAP version 1") and region[-1].endswith("ok 1 guestmem")
    assert not any("KWB" in ln for ln in region)


def test_list_boot_names_the_cases() -> None:
    assert kunit.parse_list(LIST_LOG).cases == {"guestmem": CASES}


def test_interleaved_kernel_messages_change_nothing() -> None:
    noise = ["[    0.826000] clocksource: Switched to clocksource tsc",
             "[    0.826100] random: crng init done",
             "virtio_blk virtio1: [vda] 4096 512-byte logical blocks"]
    text = _splice("ok 2 gm_test_several_users", noise)
    runs = by_name(kunit.case_runs(text))
    assert all(r.state() is Status.PASS for r in runs.values())
    assert "crng init done" in runs["kunit:guestmem.gm_test_several_users"].output


def test_warning_in_a_case_is_a_crash_of_that_case() -> None:
    text = _splice("ok 3 gm_test_eviction_refused", WARN.splitlines())
    runs = by_name(kunit.case_runs(text))
    hit = runs["kunit:guestmem.gm_test_eviction_refused"]
    assert hit.state() is Status.CRASH
    assert hit.console_excerpt[0].endswith("guestmem_release_folio+0x5e/0x70")
    assert any("end trace" in ln for ln in hit.console_excerpt)
    others = [r for n, r in runs.items() if n != hit.name]
    assert len(others) == 4 and all(r.state() is Status.PASS for r in others)


def test_kunit_failure_is_a_fail_and_try_faulted_a_crash() -> None:
    fail = ["    # gm_test_bad_input: EXPECTATION FAILED at mm/guestmem_kunit.c:301",
            "    Expected ret == -EINVAL, but", "        ret == 0 (0x0)"]
    text = _splice("ok 4 gm_test_bad_input", fail).replace(
        "ok 4 gm_test_bad_input", "not ok 4 gm_test_bad_input")
    text = _splice("ok 5 gm_test_punch_races_grab",
                   ["    # gm_test_punch_races_grab: try faulted: last line seen "
                    "mm/guestmem_kunit.c:420"], text)
    text = text.replace("ok 5 gm_test_punch_races_grab", "not ok 5 gm_test_punch_races_grab")
    runs = by_name(kunit.case_runs(text))
    assert runs["kunit:guestmem.gm_test_bad_input"].state() is Status.FAIL
    assert "EXPECTATION FAILED" in runs["kunit:guestmem.gm_test_bad_input"].output
    crashed = runs["kunit:guestmem.gm_test_punch_races_grab"]
    assert crashed.state() is Status.CRASH and "try faulted" in crashed.console_excerpt[0]


def test_panic_mid_suite_crashes_the_running_case_and_the_rest_are_not_run() -> None:
    text = _splice("ok 3 gm_test_eviction_refused", _panic_lines(), cut=True)
    unnamed = kunit.case_runs(text)
    assert [r.name for r in unnamed][2:] == ["kunit:guestmem.<case 3 of 5>",
                                             "kunit:guestmem.<case 4 of 5>",
                                             "kunit:guestmem.<case 5 of 5>"]
    runs = kunit.case_runs(text, kunit.parse_list(LIST_LOG))
    assert [r.name for r in runs] == [f"kunit:guestmem.{c}" for c in CASES]
    states = [r.state() for r in runs]
    assert states == [Status.PASS, Status.PASS, Status.CRASH, Status.ERROR, Status.ERROR]
    assert "Kernel panic - not syncing" in runs[2].console_excerpt[0]
    assert all(r.result.reason.startswith("not run: the kernel went down in "
                                          "guestmem.gm_test_eviction_refused") for r in runs[3:])


def test_no_ktap_at_all_is_an_error_of_the_glob() -> None:
    runs = kunit_boot._glob_runs(testlist.KunitEntry("guestmem"), PANIC_LOG.split(
        "KWB-READY")[0], None, "boot")
    assert [(r.name, r.state()) for r in runs] == [("kunit:guestmem", Status.ERROR)]


# --- boots ----------------------------------------------------------------------------------


class FakeBoots:
    """Named fake: stands in for booting the kernel; hands back captured console logs."""

    def __init__(self, tmp: Path, logs: dict[str, str]) -> None:
        self.tmp, self.logs, self.calls = tmp, logs, []  # type: ignore[var-annotated]

    def __call__(self, append: tuple[str, ...], label: str) -> Path:
        self.calls.append(append)
        key = "list" if "kunit.action=list" in append else \
            next(a for a in append if a.startswith("kunit.filter_glob=")).split("=", 1)[1]
        path = self.tmp / f"boot-{len(self.calls)}.log"
        path.write_text(self.logs.get(key, self.logs.get("*", "")))
        return path


def test_a_cut_short_run_lists_the_cases_to_name_them(tmp_path: Path) -> None:
    panic = _splice("ok 3 gm_test_eviction_refused", _panic_lines(), cut=True)
    boots = FakeBoots(tmp_path, {"guestmem": panic, "list": LIST_LOG})
    runs = kunit_boot.run_entries([testlist.KunitEntry("guestmem")], boots)
    assert boots.calls == [("kunit.enable=1", "kunit.filter_glob=guestmem"),
                           ("kunit.enable=1", "kunit.filter_glob=guestmem", "kunit.action=list")]
    assert [r.name for r in runs] == [f"kunit:guestmem.{c}" for c in CASES]


def test_run_isolated_boots_once_per_suite_or_case(tmp_path: Path) -> None:
    boots = FakeBoots(tmp_path, {"list": LIST_LOG, "*": PASS_LOG})
    runs = kunit_boot.run_entries([testlist.KunitEntry("guest*")], boots, "suite")
    assert [a[1] for a in boots.calls] == ["kunit.filter_glob=guest*", "kunit.filter_glob=guestmem"]
    assert len(runs) == 5
    one_case = {f"guestmem.{c}": re.sub(r"1\.\.5", "1..1", PASS_LOG) for c in CASES}
    boots = FakeBoots(tmp_path, {"list": LIST_LOG, **one_case})
    kunit_boot.run_entries([testlist.KunitEntry("guestmem")], boots, "case")
    assert [a[1] for a in boots.calls[1:]] == [f"kunit.filter_glob=guestmem.{c}" for c in CASES]
    with pytest.raises(WorkbenchError, match="kunit-isolated"):
        kunit_boot.run_entries([testlist.KunitEntry("guestmem")], boots, "module")


# --- base vs patched ------------------------------------------------------------------------


def _run(label: str, tests: list[model.TestRun]) -> model.RunResult:
    run = model.RunResult(model.KernelInfo(label), "tcg", model.Outcome.PASS, tests=tests)
    kunit_boot.merge_outcome(run, tests)
    return run


def _selftest() -> model.TestRun:
    return model.TestRun("guest_memfd_test", ktap.TestResult("guest_memfd_test", Status.PASS))


def test_suite_only_on_patched_is_new_on_patched_not_a_regression() -> None:
    base = _run("base", [_selftest()])
    patched = _run("patched", [_selftest(), *kunit.case_runs(PASS_LOG)])
    comp = compare.compare(base, patched)
    rows = {r.test: r for r in comp.rows}
    for c in CASES:
        row = rows[f"kunit:guestmem.{c}"]
        assert row.verdict is compare.Verdict.NEW_ON_PATCHED
        assert row.base is Status.MISSING and row.patched is Status.PASS
    j = verdict.decide([base, patched], comp)
    assert int(j.exit) == 0, j.problems
    assert any("new on patched: kunit:guestmem." in n for n in j.notes)


def test_a_new_suite_failing_on_patched_fails_the_comparison() -> None:
    text = _splice("ok 3 gm_test_eviction_refused", WARN.splitlines())
    base = _run("base", [_selftest()])
    patched = _run("patched", [_selftest(), *kunit.case_runs(text)])
    assert patched.outcome is model.Outcome.CRASH
    j = verdict.decide([base, patched], compare.compare(base, patched))
    assert int(j.exit) == int(verdict.Exit.CRASHED)
    assert any("gm_test_eviction_refused" in p for p in j.problems)


def test_case_crashing_on_patched_only_is_a_regression() -> None:
    text = _splice("ok 3 gm_test_eviction_refused", WARN.splitlines())
    base = _run("base", kunit.case_runs(PASS_LOG))
    patched = _run("patched", kunit.case_runs(text))
    rows = {r.test: r for r in compare.compare(base, patched).rows}
    assert rows["kunit:guestmem.gm_test_eviction_refused"].verdict is compare.Verdict.REGRESSION
    assert rows["kunit:guestmem.gm_test_bad_input"].verdict is compare.Verdict.UNCHANGED_PASS


def test_kunit_cases_in_results_json_and_junit(tmp_path: Path) -> None:
    from harness.results.report import jsonfile, junit

    run = _run("patched", kunit.case_runs(PASS_LOG))
    j = verdict.decide([run])
    jsonfile.write_json(tmp_path / "r.json", [run], None, judgement=j)
    junit.write_junit(tmp_path / "j.xml", [run], j)
    text = (tmp_path / "r.json").read_text() + (tmp_path / "j.xml").read_text()
    for c in CASES:
        assert text.count(f"kunit:guestmem.{c}") >= 2


# --- which kernel runs what -----------------------------------------------------------------


class FakeManifest:
    """Named fake: the two fields of a build manifest that kunit_boot.plan reads."""

    def __init__(self, cfg: Path, skipped: list[str], tree: Path | None = None) -> None:
        self.config = {"path": str(cfg), "name": "default", "skipped_undefined": skipped}
        self.tree = {"worktree": str(tree) if tree else None}


@pytest.mark.parametrize(("dot_config", "skipped", "want"), [
    ("CONFIG_KUNIT=y\nCONFIG_GUESTMEM_KUNIT_TEST=y\n", [], "run"),
    ("CONFIG_KUNIT=y\n", ["CONFIG_GUESTMEM_KUNIT_TEST"], "absent"),  # base: the series adds it
    ("# CONFIG_KUNIT is not set\n", ["CONFIG_GUESTMEM_KUNIT_TEST"], "absent"),
    ("# CONFIG_KUNIT is not set\n", [], "error"),  # built without the tests' config
    ("CONFIG_KUNIT=y\nCONFIG_GUESTMEM_KUNIT_TEST=m\n", [], "error"),  # a module: not at boot
])
def test_plan_from_the_build(tmp_path: Path, dot_config: str, skipped: list[str],
                             want: str) -> None:
    m = FakeManifest(_write(tmp_path / ".config", dot_config), skipped)
    p = kunit_boot.plan(m, [testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST")])  # type: ignore[arg-type]
    got = "run" if p.run else "absent" if p.absent else "error" if p.errors else "?"
    assert got == want
    if p.errors:
        assert p.errors[0].name == "kunit:guestmem" and p.errors[0].state() is Status.ERROR


def test_tests_option_comes_from_tests_txt() -> None:
    listed = [testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST", 8)]
    case = testlist.with_listed_option(testlist.parse_kunit("kunit:guestmem.gm_test_bad_input"),
                                       listed)
    assert case.option == "CONFIG_GUESTMEM_KUNIT_TEST"
    assert testlist.with_listed_option(testlist.parse_kunit("kunit:list"), listed).option is None


# --- boot-and-test's KUnit part (the guest is a named fake: captured console logs) ---------


class FakeGuest:
    """Named fake for session.run_tests: each boot 'prints' a captured console log."""

    def __init__(self, logs: dict[str, str]) -> None:
        self.logs, self.appends = logs, []  # type: ignore[var-annotated]

    def __call__(self, backend, bzimage, tests, timeout, log_dir, **kw):  # type: ignore[no-untyped-def]
        from types import SimpleNamespace

        append = kw["opts"].append
        self.appends.append(append)
        log_dir.mkdir(parents=True, exist_ok=True)
        key = "list" if "kunit.action=list" in append else "run"
        path = log_dir / "console.log"
        path.write_text(self.logs[key])
        return SimpleNamespace(console_log=path)


def test_boot_and_test_adds_the_cases_to_the_run(tmp_path: Path, monkeypatch) -> None:
    from harness.vm import stage

    panic = _splice("ok 3 gm_test_eviction_refused", _panic_lines(), cut=True)
    guest = FakeGuest({"run": panic, "list": LIST_LOG})
    monkeypatch.setattr(stage.session, "run_tests", guest)
    run = _run("patched", [_selftest()])
    kplan = kunit_boot.Plan(run=[testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST")])
    stage._kunit(run, kplan, stage.TestOptions(backend="qemu"), tmp_path / "bz", tmp_path)
    assert guest.appends == [("kunit.enable=1", "kunit.filter_glob=guestmem"),
                             ("kunit.enable=1", "kunit.filter_glob=guestmem",
                              "kunit.action=list")]
    assert [t.name for t in run.tests] == ["guest_memfd_test"] + [
        f"kunit:guestmem.{c}" for c in CASES]
    assert run.outcome is model.Outcome.CRASH and "gm_test_eviction_refused" in run.reason
    assert "kunit" in run.timings


def test_select_kunit_from_tests_or_tests_txt() -> None:
    from harness.vm import stage

    assert [e.name for e in stage.select_kunit(None)] == ["kunit:guestmem"]
    picked = stage.select_kunit(["guest_memfd_test", "kunit:guestmem.gm_test_bad_input"])
    assert picked == [testlist.KunitEntry("guestmem.gm_test_bad_input",
                                          "CONFIG_GUESTMEM_KUNIT_TEST")]


def test_output_that_just_stops_is_a_hang_of_the_running_case() -> None:
    """No report, no result line: the boot's timeout ran out while the case ran."""
    text = _splice("ok 5 gm_test_punch_races_grab", [], cut=True)
    runs = by_name(kunit.case_runs(text, kunit.parse_list(LIST_LOG)))
    assert runs["kunit:guestmem.gm_test_punch_races_grab"].state() is Status.HANG
    run = _run("patched", list(runs.values()))
    assert run.outcome is model.Outcome.HANG and "gm_test_punch_races_grab" in run.reason


def test_with_the_series_an_undefined_kunit_option_is_an_error(tmp_path: Path) -> None:
    from harness.build import pipeline

    tests = _write(tmp_path / "tests.txt", "kunit:guestmem  CONFIG_GUESTMEM_KUNIT_TST\n")
    frag = _write(tmp_path / testlist.FRAGMENT_NAME, "CONFIG_KUNIT=y\n")
    cfg = config.ConfigResult("default", [frag], tmp_path / ".config", "0" * 64,
                              ["CONFIG_GUESTMEM_KUNIT_TST"])
    with pytest.raises(WorkbenchError, match="CONFIG_GUESTMEM_KUNIT_TST .*not defined"):
        pipeline._check_kunit_options(tests, cfg)
    cfg.skipped_undefined = []
    pipeline._check_kunit_options(tests, cfg)  # defined: fine


def test_a_build_without_kunit_asks_its_tree_whether_the_suite_exists(
        tmp_path: Path, make_repo) -> None:
    """A base built before tests.txt named the suite (no KUNIT): absent when its tree does not
    define the option, an error (rebuild) when it does."""
    repo = make_repo()
    repo.commit("Kconfig", {"mm/Kconfig": "config GUESTMEM\n\tbool\n"})
    cfg = _write(tmp_path / ".config", "# CONFIG_KUNIT is not set\n")
    entry = testlist.KunitEntry("guestmem", "CONFIG_GUESTMEM_KUNIT_TEST")
    p = kunit_boot.plan(FakeManifest(cfg, [], repo.path), [entry])  # type: ignore[arg-type]
    assert [e for e, _why in p.absent] == [entry] and not p.errors
    repo.commit("suite", {"mm/Kconfig": "config GUESTMEM_KUNIT_TEST\n\ttristate\n"})
    p = kunit_boot.plan(FakeManifest(cfg, [], repo.path), [entry])  # type: ignore[arg-type]
    assert not p.absent and "CONFIG_KUNIT" in p.errors[0].result.reason
