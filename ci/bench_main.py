"""The main job on an empty cache, per stage, against plain make (see ci/bench-main).

For each config set (``new``: the repository's kernel-config/ at ``--rev``; ``old``: the same
tool with kernel-config/ as of ``--old-rev``, whose default was base+kvm+guestmem), in a copy
of the project made with ``git archive`` and an empty ``KWB_CACHE``:

1. ``kwb pipeline`` (the main job: tree import, base and patched builds, boots, compare), timed;
2. its stages, read back from the builds' ``kwb-manifest.json`` (``timings``) and the run's
   ``results.json`` (``runs[].timings``);
3. plain ``make -j$(nproc) bzImage`` of the base build's .config in a fresh O= dir (no ccache):
   what the compile alone costs, and the ratio of the whole job to it (the tool's overhead);
4. for ``new`` only, the warm loop: touch virt/kvm/guest_memfd.c, ``kwb apply-and-build``,
   ``kwb boot-and-test --backend qemu --tests guest_memfd_test`` (median of ``--warm-runs``).

Every figure is printed beside the command that produced it.  Stdlib only: the benchmark does
not import the harness it measures.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OLD_REV = "5259058"  # the last commit whose default config was base+kvm+guestmem
# "both" runs new first: whatever the first run leaves warm (page cache) favours old, not new
CONFIG_SETS = ("new", "old")
# manifest timings, in the order the pipeline runs them
BUILD_STAGES = ("tree", "series", "checkpatch", "config", "build", "build.bzImage",
                "build.modules", "build.headers", "build.selftests")
RUN_STAGES = ("boot_to_prompt", "tests", "total")


@dataclass
class Row:
    label: str
    seconds: float
    command: str

    def line(self) -> str:
        return f"{self.label:<44} {self.seconds:8.1f} s   ({self.command})"


@dataclass
class SetResult:
    name: str
    wall: float | None = None
    rc: int | None = None
    plain: float | None = None
    rows: list[Row] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.wall / self.plain if self.wall and self.plain else None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="ci/bench-main", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config-set", choices=[*CONFIG_SETS, "both"], default="both",
                    help="the default config to run the main job with: new (kernel-config/ at "
                         "--rev), old (at --old-rev), or both, new first (default: %(default)s)")
    ap.add_argument("--rev", default="HEAD", help="the kwb to measure (default: %(default)s)")
    ap.add_argument("--old-rev", default=OLD_REV,
                    help="where the old kernel-config/ comes from (default: %(default)s)")
    ap.add_argument("--config", metavar="NAME",
                    help="named config of the new set's configs.toml, e.g. sev (default: "
                         "the pipeline's default); the old set always builds the old default")
    ap.add_argument("--backend", choices=["vng", "qemu"],
                    help="passed to kwb pipeline (default: the pipeline's own default)")
    ap.add_argument("--warm-runs", type=int, default=3, metavar="N",
                    help="warm-loop repetitions after the new run; 0 skips it (default: 3)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                    help="-j of the plain make (default: nproc = %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the copies and caches")
    ap.add_argument("--dry-run", action="store_true",
                    help="print what would run, run nothing")
    args = ap.parse_args(argv)
    if args.warm_runs < 0:
        ap.error("--warm-runs must be >= 0")
    if args.jobs < 1:
        ap.error("--jobs must be >= 1")
    return args


def config_sets(choice: str) -> list[str]:
    return list(CONFIG_SETS) if choice == "both" else [choice]


# --- commands ---------------------------------------------------------------------------------


def kwb(*args: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli", *args]


def pipeline_cmd(backend: str | None, out: Path, config: str | None = None) -> list[str]:
    return kwb("pipeline", *(["--backend", backend] if backend else []),
               *(["--config", config] if config else []), "--out", str(out))


def plain_make_cmd(src: Path, objdir: Path, jobs: int, target: str = "bzImage") -> list[str]:
    return ["make", "-C", str(src), f"O={objdir}", f"-j{jobs}", target]


def warm_cmds(config: str | None = None) -> tuple[list[str], list[str]]:
    cfg = ["--config", config] if config else []
    return (kwb("apply-and-build", *cfg),
            kwb("boot-and-test", "--backend", "qemu", *cfg, "--tests", "guest_memfd_test"))


def show(cmd: Sequence[str]) -> str:
    """A command as a person would type it (``python -m harness.cli`` shown as ``kwb``)."""
    words = list(cmd)
    if words[:3] == [sys.executable, "-m", "harness.cli"]:
        words = ["kwb", *words[3:]]
    return shlex.join(words)


# --- reading the stages back ------------------------------------------------------------------


def load_manifests(cache: Path) -> dict[str, dict[str, Any]]:
    """The build manifests under ``cache/builds``, by variant."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((cache / "builds").glob("*/kwb-manifest.json")):
        data = json.loads(path.read_text())
        out[data["variant"]] = data
    return out


def stage_rows(manifests: Mapping[str, Mapping[str, Any]], results: Mapping[str, Any] | None,
               wall: float | None, pipeline: str) -> list[Row]:
    """One row per stage: the builds' manifest timings (base first), the runs' timings, and
    what the job spent outside them (tool overhead: probe, initramfs, compare, reports)."""
    rows: list[Row] = []
    counted = 0.0
    for variant in sorted(manifests, key=lambda v: (v != "base", v)):
        timings = manifests[variant].get("timings", {})
        for stage in BUILD_STAGES:
            if stage in timings:
                rows.append(Row(f"{variant}: {stage}", float(timings[stage]),
                                f"{pipeline}; {variant} kwb-manifest.json timings.{stage}"))
                if "." not in stage:
                    counted += float(timings[stage])
    for run in (results or {}).get("runs", []):
        label, timings = run["kernel"]["label"], run.get("timings", {})
        for stage in RUN_STAGES:
            if stage in timings:
                name = "boot-and-test" if stage == "total" else f"boot-and-test.{stage}"
                rows.append(Row(f"{label}: {name}", float(timings[stage]),
                                f"{pipeline}; results.json runs[{label}].timings.{stage}"))
        counted += float(timings.get("total", 0.0))
    if wall is not None:
        rows.append(Row("outside the stages above", wall - counted,
                        f"wall time of `{pipeline}` minus the stages' sum"))
    return rows


# --- running ----------------------------------------------------------------------------------


@contextmanager
def machine_build_lock(dry: bool) -> Iterator[None]:
    """Hold the machine's kwb build lock (the default cache's, not the empty one's) so that no
    other kwb build competes for the cores while this benchmark measures."""
    if dry:
        yield
        return
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    lock = Path(xdg) / "kwb" / "build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for {lock} (another kwb build is running)", flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def make_copy(rev: str, dest: Path, config_set: str, old_rev: str) -> None:
    """The project at ``rev`` in ``dest``; for ``old``, kernel-config/ files of ``old_rev``
    laid over it (configs.toml, fragments and tests.txt; files new since then stay)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True,
                             capture_output=True).stdout
    tar_path = dest.parent / f"{dest.name}.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest)  # noqa: S202 - our own repository's archive
    tar_path.unlink()
    if config_set == "old":
        names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", old_rev,
                                "kernel-config/"], check=True, capture_output=True,
                               text=True).stdout.split()
        for name in names:
            blob = subprocess.run(["git", "-C", str(REPO), "show", f"{old_rev}:{name}"],
                                  check=True, capture_output=True).stdout
            (dest / name).write_bytes(blob)


def timed(cmd: Sequence[str], *, cwd: Path, env: Mapping[str, str], log: Path) -> tuple[float,
                                                                                            int]:
    start = time.monotonic()
    with open(log, "a") as fh:
        fh.write(f"\n$ {show(cmd)}\n")
        fh.flush()
        rc = subprocess.run(list(cmd), cwd=cwd, env=dict(env), stdout=fh,
                            stderr=subprocess.STDOUT, check=False).returncode
    return time.monotonic() - start, rc


def median_line(label: str, values: list[float], cmd: str) -> str:
    return (f"{label:<44} {statistics.median(values):8.1f} s   (median of {len(values)}, "
            f"min {min(values):.1f}, max {max(values):.1f}; {cmd})")


def run_set(name: str, args: argparse.Namespace, work: Path) -> SetResult:
    res = SetResult(name)
    src, cache = work / f"src-{name}", work / f"cache-{name}"
    out, log = cache / "runs" / "bench", work / f"{name}.log"
    env = {**os.environ, "KWB_CACHE": str(cache), "PYTHONPATH": str(src)}
    env.pop("CCACHE_DISABLE", None)
    config = args.config if name == "new" else None
    pipe = pipeline_cmd(args.backend, out, config)
    label = f"[{name}] " + (f"kernel-config/ of {args.old_rev}, default config" if name == "old"
                            else f"kernel-config/ of {args.rev}, config {config or 'default'}")
    print(f"\n== {label}: KWB_CACHE={cache} (empty), log {log}", flush=True)
    if args.dry_run:
        print(f"would run: {show(pipe)}")
        print(f"would run: {shlex.join(plain_make_cmd(Path('<base worktree>'), cache / 'plain', args.jobs))}")  # noqa: E501
        if name == "new" and args.warm_runs:
            print(f"would run {args.warm_runs}x: touch virt/kvm/guest_memfd.c; "
                  + "; ".join(show(c) for c in warm_cmds(config)))
        return res
    make_copy(args.rev, src, name, args.old_rev)
    cache.mkdir(parents=True)
    res.wall, res.rc = timed(pipe, cwd=src, env=env, log=log)
    print(Row("whole main job", res.wall, f"KWB_CACHE=<empty> {show(pipe)}; exit status "
              f"{res.rc}").line(), flush=True)
    manifests = load_manifests(cache)
    results_file = out / "results.json"
    results = json.loads(results_file.read_text()) if results_file.is_file() else None
    res.rows = stage_rows(manifests, results, res.wall, show(pipe))
    for row in res.rows:
        print("  " + row.line(), flush=True)
    base = manifests.get("base")
    if base is None:
        print("no base build manifest: no plain make to compare with", flush=True)
        return res
    objdir = cache / "plain"
    objdir.mkdir()
    shutil.copy(base["config"]["path"], objdir / ".config")
    worktree = Path(base["tree"]["worktree"])
    plain_env = {k: v for k, v in env.items() if not k.startswith("CCACHE")}
    timed(plain_make_cmd(worktree, objdir, args.jobs, "olddefconfig"), cwd=worktree,
          env=plain_env, log=log)
    make = plain_make_cmd(worktree, objdir, args.jobs)
    res.plain, rc = timed(make, cwd=worktree, env=plain_env, log=log)
    print(Row("plain make bzImage (same .config, no ccache)", res.plain,
              f"{shlex.join(make)}; exit status {rc}").line(), flush=True)
    if res.ratio is not None:
        print(f"{'whole / plain make (the tool overhead)':<44} {res.ratio:8.2f}", flush=True)
    if name == "new" and args.warm_runs:
        warm_loop(manifests, args.warm_runs, src, env, log, config)
    return res


def warm_loop(manifests: Mapping[str, Mapping[str, Any]], runs: int, src: Path,
              env: Mapping[str, str], log: Path, config: str | None = None) -> None:
    patched = manifests.get("patched")
    if patched is None:
        print("no patched build: no warm loop", flush=True)
        return
    target = Path(patched["tree"]["worktree"]) / "virt" / "kvm" / "guest_memfd.c"
    build, test = warm_cmds(config)
    loops, builds = [], []
    for _ in range(runs):
        target.touch()
        b, rc_b = timed(build, cwd=src, env=env, log=log)
        t, rc_t = timed(test, cwd=src, env=env, log=log)
        if rc_b or rc_t:
            print(f"warm loop failed (exit {rc_b} / {rc_t}): see {log}", flush=True)
            return
        builds.append(b)
        loops.append(b + t)
    print(median_line("warm loop: rebuild part", builds,
                      f"touch virt/kvm/guest_memfd.c; {show(build)}"), flush=True)
    print(median_line("warm loop: end to end", loops,
                      f"touch virt/kvm/guest_memfd.c; {show(build)}; {show(test)}"), flush=True)


def summary(results: Sequence[SetResult]) -> list[str]:
    """The old-vs-new lines: whole job, plain make, their ratio, and new / old."""
    lines = ["", "== summary (seconds)",
             f"{'config set':<12} {'whole job':>10} {'plain make':>11} {'whole/plain':>12} "
             f"{'exit':>5}"]
    for r in results:
        lines.append(f"{r.name:<12} {_num(r.wall, 10, 1)} {_num(r.plain, 11, 1)} "
                     f"{_num(r.ratio, 12, 2)} {'-' if r.rc is None else r.rc:>5}")
    by = {r.name: r for r in results}
    if {"old", "new"} <= set(by) and by["old"].wall and by["new"].wall:
        lines.append(f"new / old whole job: {by['new'].wall / by['old'].wall:.2f} "
                     "(goal <= 0.5)")
    return lines


def _num(value: float | None, width: int, digits: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.{digits}f}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"ci/bench-main: kwb at {args.rev}, config sets {', '.join(config_sets(args.config_set))}, "  # noqa: E501
          f"{os.cpu_count()} cores, backend {args.backend or '(pipeline default)'}")
    work = Path(tempfile.mkdtemp(prefix="kwb-bench-main-"))
    results: list[SetResult] = []
    try:
        with machine_build_lock(args.dry_run):
            for name in config_sets(args.config_set):
                results.append(run_set(name, args, work))
    finally:
        if args.keep and not args.dry_run:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for line in summary(results):
        print(line)
    return 0 if all(r.rc in (None, 0) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
