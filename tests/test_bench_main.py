"""ci/bench-main without a kernel build: its arguments, its copies of the project (new and old
kernel-config/), and the stage figures it reads back from real manifests and results.json
(tests/data/kcidb: a real base/patched build and boot-and-test of 2026-11-25)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "kcidb"
_spec = importlib.util.spec_from_file_location("bench_main", ROOT / "ci" / "bench_main.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_main"] = bench
_spec.loader.exec_module(bench)


def has_rev(rev: str) -> bool:
    """Whether this checkout is a git repository holding ``rev`` (not an archive, not shallow)."""
    if shutil.which("git") is None:
        return False
    return subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"],
                          capture_output=True, check=False).returncode == 0


needs_history = pytest.mark.skipif(not (has_rev("HEAD") and has_rev(bench.OLD_REV)),
                                   reason="needs a git checkout with the old config's commit")


def manifests() -> dict[str, dict]:
    return {v: json.loads((DATA / f"manifest-{v}.json").read_text()) for v in ("base", "patched")}


def results() -> dict:
    return json.loads((DATA / "results-compare.json").read_text())


def test_defaults():
    a = bench.parse_args([])
    assert (a.config_set, a.rev, a.old_rev, a.config, a.backend, a.warm_runs, a.keep,
            a.dry_run) == ("both", "HEAD", "5259058", None, None, 3, False, False)
    assert bench.config_sets("both") == ["new", "old"]  # new first: a warm page cache helps old
    assert bench.config_sets("old") == ["old"]


@pytest.mark.parametrize("argv", [["--config-set", "newest"], ["--backend", "kvm"],
                                  ["--warm-runs", "-1"], ["--jobs", "0"], ["--warm-runs", "x"]])
def test_bad_arguments_are_refused(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.parse_args(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_commands():
    out = Path("/c/runs/bench")
    assert bench.show(bench.pipeline_cmd("qemu", out)) == \
        "kwb pipeline --backend qemu --out /c/runs/bench"
    assert bench.show(bench.pipeline_cmd(None, out)) == "kwb pipeline --out /c/runs/bench"
    assert bench.plain_make_cmd(Path("/wt"), Path("/o"), 2) == \
        ["make", "-C", "/wt", "O=/o", "-j2", "bzImage"]
    build, test = bench.warm_cmds()
    assert bench.show(build) == "kwb apply-and-build"
    assert bench.show(test) == "kwb boot-and-test --backend qemu --tests guest_memfd_test"
    assert bench.show(bench.pipeline_cmd("qemu", out, "sev")) == \
        "kwb pipeline --backend qemu --config sev --out /c/runs/bench"
    build, test = bench.warm_cmds("sev")
    assert bench.show(build) == "kwb apply-and-build --config sev"
    assert bench.show(test) == \
        "kwb boot-and-test --backend qemu --config sev --tests guest_memfd_test"


def test_stage_rows_from_real_manifests_and_results():
    rows = bench.stage_rows(manifests(), results(), 900.0, "kwb pipeline")
    got = {r.label: r.seconds for r in rows}
    # the real base build (config base+kvm+guestmem, cold ccache) and patched build
    assert got["base: tree"] == 62.09
    assert got["base: build"] == 405.2
    assert got["base: build.bzImage"] == 397.43
    assert got["patched: checkpatch"] == 1.02
    assert got["patched: build"] == 354.89
    assert got["base: boot-and-test"] == 28.83
    assert got["patched: boot-and-test.boot_to_prompt"] == 2.43
    assert "base: checkpatch" not in got  # the base has no series, so no checkpatch stage
    # base rows first, in pipeline order; sub-stages (build.*) are not counted twice
    labels = [r.label for r in rows]
    assert labels[:4] == ["base: tree", "base: series", "base: config", "base: build"]
    top = (62.09 + 31.73 + 6.83 + 405.2) + (0.0 + 16.19 + 1.02 + 5.85 + 354.89) \
        + 28.83 + 29.92
    assert got["outside the stages above"] == pytest.approx(900.0 - top)
    row = next(r for r in rows if r.label == "patched: build")
    assert row.command == "kwb pipeline; patched kwb-manifest.json timings.build"
    assert row.line().startswith("patched: build") and "354.9 s   (kwb pipeline;" in row.line()


def test_stage_rows_without_results_or_wall():
    rows = bench.stage_rows(manifests(), None, None, "kwb pipeline")
    assert all("boot-and-test" not in r.label for r in rows)
    assert all(r.label != "outside the stages above" for r in rows)


def test_load_manifests_reads_the_cache_layout(tmp_path):
    for v, m in manifests().items():
        d = tmp_path / "builds" / f"linux-{v}-abc"
        d.mkdir(parents=True)
        (d / "kwb-manifest.json").write_text(json.dumps(m))
    (tmp_path / "builds" / "linux-base-abc.log").write_text("log")
    got = bench.load_manifests(tmp_path)
    assert sorted(got) == ["base", "patched"]
    assert got["patched"]["timings"]["build.bzImage"] == 346.87
    assert bench.load_manifests(tmp_path / "empty") == {}


@needs_history
def test_copies_have_the_new_and_the_old_default_config(tmp_path):
    head = tomllib.loads(subprocess.run(["git", "-C", str(ROOT), "show",
                                         "HEAD:kernel-config/configs.toml"], check=True,
                                        capture_output=True, text=True).stdout)
    bench.make_copy("HEAD", tmp_path / "new", "new", bench.OLD_REV)
    bench.make_copy("HEAD", tmp_path / "old", "old", bench.OLD_REV)
    new = tomllib.loads((tmp_path / "new" / "kernel-config" / "configs.toml").read_text())
    old = tomllib.loads((tmp_path / "old" / "kernel-config" / "configs.toml").read_text())
    assert new == head
    assert old["default"]["fragments"] == ["base.config", "kvm.config", "guestmem.config"]
    assert (tmp_path / "old" / "harness" / "cli.py").is_file()  # the same tool in both
    assert (tmp_path / "old" / "harness" / "cli.py").read_bytes() == \
        (tmp_path / "new" / "harness" / "cli.py").read_bytes()
    old_tests = (tmp_path / "old" / "kernel-config" / "tests.txt").read_text()
    assert "guest_memfd_test" in old_tests


def test_summary_gives_new_over_old():
    new = bench.SetResult("new", wall=900.0, rc=0, plain=300.0)
    old = bench.SetResult("old", wall=1800.0, rc=0, plain=500.0)
    lines = bench.summary([new, old])
    assert lines[-1] == "new / old whole job: 0.50 (goal <= 0.5)"
    assert any(line.split() == ["new", "900.0", "300.0", "3.00", "0"] for line in lines)
    assert any(line.split() == ["old", "1800.0", "500.0", "3.60", "0"] for line in lines)
    lone = bench.summary([bench.SetResult("old")])
    assert lone[-1].split() == ["old", "-", "-", "-", "-"]


def test_dry_run_prints_every_command_and_runs_nothing(capsys, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError(f"dry run ran {a}")

    monkeypatch.setattr(bench, "timed", refuse)
    monkeypatch.setattr(bench, "make_copy", refuse)
    assert bench.main(["--dry-run", "--backend", "qemu", "--warm-runs", "2"]) == 0
    out = capsys.readouterr().out
    assert out.index("== [new]") < out.index("== [old]")
    assert "kernel-config/ of 5259058" in out
    assert out.count("would run: kwb pipeline --backend qemu --out ") == 2
    assert out.count("bzImage") == 2
    assert "would run 2x: touch virt/kvm/guest_memfd.c; kwb apply-and-build; " \
           "kwb boot-and-test --backend qemu --tests guest_memfd_test" in out
    assert out.count("would run 2x") == 1  # the warm loop only after the new config


FAKE_PIPELINE = """
import json, os, sys
from pathlib import Path
cache, out, data = Path(os.environ["KWB_CACHE"]), Path(sys.argv[1]), Path(sys.argv[2])
wt = cache / "worktrees" / "base"
(wt / "virt" / "kvm").mkdir(parents=True)
(wt / "virt" / "kvm" / "guest_memfd.c").write_text("")
for v in ("base", "patched"):
    m = json.loads((data / f"manifest-{v}.json").read_text())
    d = cache / "builds" / f"linux-{v}"
    d.mkdir(parents=True)
    (d / ".config").write_text("CONFIG_64BIT=y\\n")
    m["config"]["path"] = str(d / ".config")
    m["tree"]["worktree"] = str(wt)
    (d / "kwb-manifest.json").write_text(json.dumps(m))
out.mkdir(parents=True)
(out / "results.json").write_text((data / "results-compare.json").read_text())
"""


@needs_history
def test_a_whole_set_with_a_fake_pipeline_and_make(tmp_path, capsys, monkeypatch):
    """The control flow of one config set, with the kernel work faked: a fake `kwb pipeline`
    that lays out the real fixtures' manifests and results.json in the empty cache, and a
    fake `make` that sleeps 0.2 s."""
    calls: list[list[str]] = []
    sleep = [sys.executable, "-c", "import time; time.sleep(0.2)"]

    def fake_make(src, objdir, jobs, target="bzImage"):
        calls.append(["make", target, str(objdir)])
        return sleep

    monkeypatch.setattr(bench, "pipeline_cmd", lambda backend, out, config=None: [
        sys.executable, "-c", FAKE_PIPELINE, str(out), str(DATA)])
    monkeypatch.setattr(bench, "plain_make_cmd", fake_make)
    monkeypatch.setattr(bench, "warm_cmds", lambda config=None: (sleep, sleep))
    args = bench.parse_args(["--config-set", "new", "--warm-runs", "2"])
    res = bench.run_set("new", args, tmp_path)
    out = capsys.readouterr().out
    assert res.rc == 0 and res.wall is not None and res.wall > 0
    assert res.plain is not None and 0.2 <= res.plain < 5
    assert res.ratio == pytest.approx(res.wall / res.plain)
    assert [c[1] for c in calls] == ["olddefconfig", "bzImage"]
    assert (tmp_path / "cache-new" / "plain" / ".config").read_text() == "CONFIG_64BIT=y\n"
    assert "patched: build" in out and "354.9 s" in out
    assert "whole / plain make (the tool overhead)" in out
    assert "warm loop: end to end" in out and "(median of 2," in out
    assert (tmp_path / "src-new" / "harness" / "cli.py").is_file()


def test_dry_run_with_a_named_config_for_the_new_set_only(capsys):
    assert bench.main(["--dry-run", "--config", "sev", "--backend", "qemu"]) == 0
    out = capsys.readouterr().out
    new, old = out.split("== [old]")
    assert "config sev" in new and "--config sev --out" in new
    assert "kwb apply-and-build --config sev" in new
    assert "--config" not in old  # the old set builds the old default
