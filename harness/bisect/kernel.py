"""The real stages behind ``kwb bisect``: apply the series on a candidate base, build it in the
bisection's one O= dir (ccache), boot it and run the chosen tests.

Incremental on purpose: moving the worktree to the next candidate and re-applying the series
rewrites the files the series touches (include/linux/fs.h among them) even where their content
comes out the same as at the previous step.  Their mtimes are put back in that case, so make
rebuilds only what the candidate really changed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness import paths
from harness.build import git, kbuild, series, tree
from harness.build.pipeline import configure, make_manifest
from harness.errors import WorkbenchError
from harness.vm import stage

from . import criteria, step

_FILE = re.compile(r"^([^\s:]+):\d+")


def series_digest(s: series.Series | None) -> str:
    """sha256 of the series' patches in order ("none" when bisecting the bare tree): what a
    resumed bisection checks it still has."""
    if s is None:
        return "none"
    h = hashlib.sha256()
    for p in s.patches:
        h.update(hashlib.sha256(p.raw).digest())
    return h.hexdigest()


def load_series(source: str, revision: int | None = None) -> series.Series | None:
    """The series again from its recorded ``Series.source`` ("dir:PATH", "mbox:PATH",
    "msgid:ID") or "none", at the ``--revision`` it was started with (mail only)."""
    kind, _, where = source.partition(":")
    if kind == "none":
        return None
    if kind == "dir":
        return series.load(patches_dir=Path(where))
    if kind == "mbox":
        return series.load(mbox=Path(where), revision=revision)
    if kind == "msgid":
        return series.load(msgid=where, revision=revision)
    raise WorkbenchError(f"unknown series source {source!r} in the step log")


def touched_files(s: series.Series) -> list[str]:
    return list(dict.fromkeys(f for p in s.patches for f in series.diff_files(p.raw)))


class KernelPipeline:
    """criteria.Pipeline over the real tree, series, build and guest."""

    def __init__(self, t: tree.Tree, s: series.Series | None, config_name: str,
                 bisect_id: str, backend: str = "qemu", timeout: float = 120.0) -> None:
        self.tree, self.series, self.config_name = t, s, config_name
        self.objdir = paths.builds_dir() / f"{t.repo.stem}-bisect-{bisect_id}"
        self.log = paths.builds_dir() / f"{t.repo.stem}-bisect-{bisect_id}.log"
        self.backend, self.timeout = backend, timeout
        self.branch = f"kwb/bisect-{bisect_id}"
        self.touched = touched_files(s) if s else []
        self._built: dict[str, tuple[str, int]] = {}  # file -> (blob, mtime) at the last build
        self.base = ""

    def _blob(self, wt: Path, name: str) -> str | None:
        return git.blob_of_file(wt, name)

    def step_log(self) -> Path:
        """The log of the step being run (``runs/bisect-<id>/steps/NN-<sha>/build.log``): each
        step is judged by its own output only.  Outside a step, the bisection's build log."""
        where = step.step_log_dir()
        return where / "build.log" if where is not None else self.log

    def apply(self, worktree: Path, commit: str) -> criteria.ApplyOutcome:
        self.base = commit
        if not self.series or not self.series.count:
            return criteria.ApplyOutcome(True, "no series", [])
        log = self.step_log()
        try:
            series.apply(self.series, self.tree, worktree, commit, self.branch, log=log)
        except WorkbenchError as exc:
            return criteria.ApplyOutcome(False, str(exc), self.touched, str(log))
        for name in self.touched:  # same content as last built: keep the old mtime
            old = self._built.get(name)
            if old and (worktree / name).exists() and self._blob(worktree, name) == old[0]:
                os.utime(worktree / name, ns=(old[1], old[1]))
        return criteria.ApplyOutcome(True, f"{self.series.count} patches applied", self.touched,
                                     str(log))

    def build(self, worktree: Path) -> criteria.BuildOutcome:
        tests = kbuild.selftest_names(paths.KERNEL_CONFIG_DIR / "tests.txt")
        log = self.step_log()
        start = kbuild.log_size(log)
        try:
            cfg = configure(worktree, self.objdir, self.config_name, log)
            res = kbuild.build(worktree, self.objdir, log, tests, config_name=self.config_name)
        except WorkbenchError as exc:
            # this build's errors only: never those of an earlier step or build in the log
            errors = exc.errors if isinstance(exc, kbuild.BuildError) \
                else kbuild.first_errors(log, start=start)
            files = [m[1] for e in errors if (m := _FILE.match(e))]
            return criteria.BuildOutcome(False, str(exc), files, str(log))
        for name in self.touched:
            if (worktree / name).exists():
                blob = self._blob(worktree, name)
                if blob:
                    self._built[name] = (blob, (worktree / name).stat().st_mtime_ns)
        make_manifest("bisect", self.tree, self.base, worktree, cfg, res, log,
                      {f"build.{k}": round(v, 2) for k, v in res.timings.items()}).write()
        return criteria.BuildOutcome(True, "built", [], str(log))

    def test(self, worktree: Path, tests: Sequence[str]) -> Mapping[str, str]:
        out = step.step_log_dir() or self.objdir / "guest"
        opts = stage.TestOptions(backend=self.backend, tests=list(tests) or None,
                                   timeout=self.timeout, out_dir=out)
        result = stage.boot_and_test(self.objdir / "kwb-manifest.json", opts)
        if result.outcome.value == "infra-error":
            raise step.StageError("boot", result.reason, [result.console_log or ""])
        return criteria.TestResults({t.name: t.state().value for t in result.tests},
                                  [result.console_log or ""])

