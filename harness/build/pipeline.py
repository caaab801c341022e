"""apply-and-build = tree → series → config → build → manifest, each stage timed.

Every stage is reused when it has nothing to do: the pinned tree is imported once, a series
already applied on the same base is not re-applied (re-applying would touch include/linux/fs.h
and rebuild the world), an unchanged config is not re-merged, and make itself does the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info, run

from . import collection, config, git, kbuild, locks, series, testlist, tree
from .manifest import Manifest, tool_versions


@dataclass
class BuildRequest:
    """What to build.  ``variant`` names the worktree and build dir ("base" builds no series)."""

    variant: str = "patched"
    config_name: str = "default"
    tree_path: Path | None = None  # a developer's linux.git; None = the pinned Debian tree
    base: str | None = None  # --base REF (overrides the cover letter's base-commit)
    patches_dir: Path | None = None
    mbox: Path | None = None
    msgid: str | None = None
    revision: int | None = None  # --revision N: which revision of a thread (default: newest)
    tests_file: Path = paths.KERNEL_CONFIG_DIR / "tests.txt"
    each_patch: bool = False
    build_selftests: bool = True
    # --tests: built besides tests.txt's; a whole collection ("kvm") brings its config too
    tests: list[str] = field(default_factory=list)

    def collections(self) -> list[collection.Collection]:
        """The kselftest collections this build makes (their config is merged in)."""
        if not self.build_selftests:
            return []
        return collection.requested(collection.build_entries(self.tests_file, self.tests))

    def fragments(self) -> list[Path]:
        """The named config's fragments, and kwb's own for the collections: the build key."""
        return config.named_fragments(self.config_name) + \
            collection.key_fragments(self.collections())


class Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] = round(time.monotonic() - start, 2)


def get_tree(req: BuildRequest) -> tree.Tree:
    """The tree; imported (or cloned) under the repository's lock, so that two first runs at
    once do not both import it."""
    if req.tree_path is not None:
        if not req.base:
            raise WorkbenchError("--tree needs --base REF: the commit the series goes on")
        where = req.tree_path.expanduser().resolve()
        key = hashlib.sha256(str(where).encode()).hexdigest()[:12]
        with locks.repository_lock(f"user-{where.name}-{key}"):
            return tree.user_tree(req.tree_path, req.base)
    with locks.repository_lock(tree.load_pin().slug):
        return tree.pinned_tree()


def objdir_for(t: tree.Tree, variant: str, fragments: list[Path]) -> Path:
    return paths.builds_dir() / f"{t.repo.stem}-{variant}-{config.fragments_key(fragments)}"


def _series_key(s: series.Series, base: str) -> str:
    h = hashlib.sha256(base.encode())
    for p in s.patches:
        h.update(p.raw)
    return h.hexdigest()


def _head(wt: Path) -> str:
    return git.head(wt)


def _clean(wt: Path) -> bool:
    return git.is_clean(wt)


def checkpatch(src: Path, s: series.Series, log: Path) -> dict[str, str]:
    """``scripts/checkpatch.pl --strict`` of the tree on every patch: {"n/N": its total line}."""
    script = src / "scripts" / "checkpatch.pl"
    out: dict[str, str] = {}
    if not script.is_file():
        return out
    # our interpreter first: its environment has ply, which checkpatch's SPDX check needs
    path_env = {"PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    for p in s.patches:
        res = run(["perl", str(script), "--strict", "--no-tree", "--quiet", "-"], cwd=src,
                  check=False, stdin=p.raw.decode(errors="replace"), env=path_env)
        with open(log, "a") as fh:
            fh.write(f"$ checkpatch.pl --strict patch {p.label}\n{res.stdout}{res.stderr}")
        totals = [ln for ln in res.stdout.splitlines() if ln.startswith("total:")]
        out[p.label] = totals[-1] if totals else "clean"
        if res.returncode != 0:
            info(f"checkpatch --strict, patch {p.label} ({p.subject}): {out[p.label]}")
    return out


def cached_checkpatch(src: Path, s: series.Series, base: str, log: Path) -> dict[str, str]:
    """checkpatch results of this series on this base, computed once."""
    cache = src.parent / f"{src.name}.checkpatch.json"
    key = _series_key(s, base)
    try:
        prev = json.loads(cache.read_text())
        if prev.get("key") == key:
            return dict(prev["results"])
    except (OSError, ValueError):
        pass
    results = checkpatch(src, s, log)
    cache.write_text(json.dumps({"key": key, "results": results}))
    return results


def apply_series(t: tree.Tree, s: series.Series, base: str, variant: str, log: Path,
                 after_each: Callable[[Path, series.AppliedCommit], None] | None = None,
                 ) -> tuple[Path, list[series.AppliedCommit]]:
    """The series applied in the variant's worktree; reused as it is when already applied.

    ``after_each(worktree, commit)`` runs after every patch (the --each-patch build); a series
    already applied is then applied again from the base so that every patch gets its turn.
    """
    wt = tree.worktree(t, variant, base, checkout=False)
    stamp = wt.parent / f"{wt.name}.applied.json"
    key = _series_key(s, base)
    try:
        done = json.loads(stamp.read_text())
    except (OSError, ValueError):
        done = {}
    if after_each is None and done.get("key") == key and done.get("head") == _head(wt) \
            and _clean(wt):
        info(f"series already applied in {wt} (HEAD {done['head'][:12]}); not re-applying")
        return wt, [series.AppliedCommit(**c) for c in done["applied"]]
    stamp.unlink(missing_ok=True)
    applied: list[series.AppliedCommit] = []
    for commit in series.apply_iter(s, t, wt, base, f"kwb/{variant}", log=log):
        applied.append(commit)
        if after_each is not None:
            after_each(wt, commit)
    stamp.write_text(json.dumps({"key": key, "head": _head(wt),
                                 "applied": [c.__dict__ for c in applied]}))
    return wt, applied


def configure(src: Path, objdir: Path, name: str, log: Path,
              extra: list[Path] | None = None) -> config.ConfigResult:
    """Merge the named config (and the ``extra`` fragments after it: a collection's) unless
    the same fragments were merged on the same commit.

    When a re-merge gives the same .config, its mtime is kept so make sees nothing new.
    """
    fragments = config.named_fragments(name) + (extra or [])
    stamp = objdir / "kwb-config.json"
    key = config.fragments_key(fragments) + ":" + _head(src)
    cfg = objdir / ".config"
    try:
        prev = json.loads(stamp.read_text())
    except (OSError, ValueError):
        prev = {}
    if prev.get("key") == key and cfg.is_file() and \
            hashlib.sha256(cfg.read_bytes()).hexdigest() == prev.get("sha256"):
        return config.ConfigResult(name, fragments, cfg, prev["sha256"], prev["skipped"])
    old = cfg.read_bytes() if cfg.is_file() else None
    old_mtime = cfg.stat().st_mtime_ns if old is not None else 0
    res = config.merge(src, objdir, name, fragments, log, kbuild.make_env(name))
    if old is not None and cfg.read_bytes() == old:
        os.utime(cfg, ns=(old_mtime, old_mtime))
    stamp.write_text(json.dumps({"key": key, "sha256": res.sha256,
                                 "skipped": res.skipped_undefined}))
    return res


def _series_dict(s: series.Series, applied: list[series.AppliedCommit]) -> dict[str, object]:
    return {
        "title": s.title, "version": s.version, "source": s.source, "count": s.count,
        "base_commit_trailer": s.base_commit, "change_id": s.change_id,
        "patches": [{"index": c.index, "total": c.total, "subject": c.subject,
                     "commit": c.commit} for c in applied],
        # sha256 of each patch as applied, in order: KCIDB's patchset hash is made of these
        "patch_sha256": [hashlib.sha256(p.raw).hexdigest() for p in s.patches],
    }


class EachPatch:
    """--each-patch: build bzImage after every patch, in the variant's own build dir (so the
    last step is the variant's build, done once), and stop at the first patch that breaks."""

    def __init__(self, objdir: Path, config_name: str, total: int, log: Path) -> None:
        self.objdir, self.config_name, self.total, self.log = objdir, config_name, total, log
        self.results: list[dict[str, object]] = []

    def __call__(self, wt: Path, commit: series.AppliedCommit) -> None:
        info(f"--each-patch: building with patches 1..{commit.index} of {self.total} "
             f"({commit.subject})")
        start = time.monotonic()
        entry: dict[str, object] = {"index": commit.index, "subject": commit.subject,
                                    "commit": commit.commit}
        self.results.append(entry)
        try:
            configure(wt, self.objdir, self.config_name, self.log)
            kbuild.build(wt, self.objdir, self.log, [], config_name=self.config_name)
            entry["ok"] = True
        except WorkbenchError as exc:
            entry.update(ok=False, error=str(exc))
            raise WorkbenchError(
                f"--each-patch: the build first breaks at patch {commit.index}/{self.total} "
                f"({commit.subject}):\n{exc}", log=str(self.log)) from exc
        finally:
            entry["seconds"] = round(time.monotonic() - start, 1)


def _check_kunit_options(tests_file: Path, cfg: config.ConfigResult) -> None:
    """With the series applied, every KUnit option of tests.txt must exist in the tree (only
    a tree without the series may lack one: the series adds it)."""
    entries = testlist.read(tests_file).kunit
    if not any(f.name == testlist.FRAGMENT_NAME for f in cfg.fragments):
        return  # this config does not build the tests' KUnit suites
    missing = testlist.undefined_options(entries, cfg.skipped_undefined)
    if missing:
        raise WorkbenchError(
            f"config verification failed: {', '.join(missing)} (named in {tests_file.name} "
            "beside a kunit: entry) is not defined by this tree, even with the series applied: "
            "a typo, or the series does not add it")


def make_manifest(variant: str, t: tree.Tree, base: str, src: Path, cfg: config.ConfigResult,
                  result: kbuild.BuildResult, log: Path, timings: dict[str, float], *,
                  series: dict[str, object] | None = None,
                  each_patch: list[dict[str, object]] | None = None) -> Manifest:
    """The manifest of a finished build (not yet written)."""
    return Manifest(
        variant=variant,
        tree={"source": t.source, "repo": str(t.repo), "base_commit": base,
              "head_commit": _head(src), "worktree": str(src)},
        series=series,
        config={"name": cfg.name, "fragments": [str(f) for f in cfg.fragments],
                "sha256": cfg.sha256, "path": str(cfg.config_path),
                "skipped_undefined": cfg.skipped_undefined},
        artifacts={"objdir": str(result.objdir),
                   "bzImage": str(result.bzimage) if result.bzimage else None,
                   **({"objects": {k: str(v) for k, v in result.objects.items()},
                       "warnings": result.warnings} if result.objects else {}),
                   "selftests": {k: str(v) for k, v in result.selftests.items()},
                   "build_log": str(log), "noop": result.noop},
        timings=timings,
        tools=tool_versions(),
        each_patch=each_patch,
    )


def apply_and_build(req: BuildRequest) -> Manifest:
    timer = Timer()
    with timer.stage("tree"):
        t = get_tree(req)
    objdir = objdir_for(t, req.variant, req.fragments())
    objdir.mkdir(parents=True, exist_ok=True)
    log = objdir.parent / f"{objdir.name}.log"
    with open(log, "a") as fh:
        fh.write(f"\n===== kwb apply-and-build {req.variant} {time.ctime()} =====\n")
    info(f"tree: {t.source}, base commit {t.base}")
    # apply → config → build → manifest under the worktree's and the build dir's locks: a
    # second kwb must not check out, clean or git-am the tree this one is compiling
    with locks.worktree_lock(tree.worktree_path(t, req.variant)), locks.objdir_lock(objdir):
        return _apply_and_build(req, t, objdir, log, timer)


def _apply_and_build(req: BuildRequest, t: tree.Tree, objdir: Path, log: Path,
                     timer: Timer) -> Manifest:
    s: series.Series | None = None
    style: dict[str, str] = {}
    applied: list[series.AppliedCommit] = []
    each: list[dict[str, object]] | None = None
    with timer.stage("series"):
        if req.variant == "base":
            base = tree.has_commit(t, req.base) if req.base else t.base
            if base is None:
                raise WorkbenchError(f"--base {req.base}: no such commit in {t.source}")
            src = tree.worktree(t, "base", base)
        else:
            s = series.load(patches_dir=req.patches_dir, mbox=req.mbox, msgid=req.msgid,
                            revision=req.revision)
            base = series.resolve_base(s, t, req.base)
            info(f"series: {s.title!r} v{s.version}, {s.count} patches, on {base[:12]}")
            checker = EachPatch(objdir, req.config_name, s.count, log) if req.each_patch \
                else None
            src, applied = apply_series(t, s, base, req.variant, log, checker)
    if s is not None and s.count:
        with timer.stage("checkpatch"):
            style = cached_checkpatch(src, s, base, log)
            if checker is not None:
                each = checker.results
                info(f"--each-patch: all {len(each)} patches build on their own")

    with timer.stage("config"):
        cols = req.collections()  # a whole collection: its config, as kselftest-merge does
        cfg = configure(src, objdir, req.config_name, log,
                        collection.config_fragments(src, cols))
    # tests.txt's KUnit options come with the project's own series (patches/), not with
    # another one given by --patches/--mbox/--msgid (e.g. a one-line test series)
    own_series = req.mbox is None and req.msgid is None and \
        (req.patches_dir is None or req.patches_dir.resolve() == paths.PATCHES_DIR.resolve())
    if s is not None and req.build_selftests and own_series:
        _check_kunit_options(req.tests_file, cfg)
    if cfg.skipped_undefined:
        info("config: not defined by this tree, so not checked: "
             + ", ".join(cfg.skipped_undefined))
    tests, collections = collection.resolve(
        src, collection.build_entries(req.tests_file, req.tests)) if req.build_selftests \
        else ([], {})
    with timer.stage("build"):
        result = kbuild.build(src, objdir, log, tests, config_name=req.config_name)
    for k, v in result.timings.items():
        timer.timings[f"build.{k}"] = round(v, 2)

    m = make_manifest(req.variant, t, base, src, cfg, result, log, timer.timings,
                      series={**_series_dict(s, applied), "checkpatch": style}
                      if s is not None else None, each_patch=each)
    if collections:
        m.artifacts["collections"] = collections
    path = m.write()
    info(f"manifest: {path}")
    return m
