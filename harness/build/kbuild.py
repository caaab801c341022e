"""Stage 4 — the build: bzImage out of tree (``O=``) with ccache, then the KVM selftests of the
same tree, with progress, an ETA, a full log and the first compiler errors on failure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import info, run_logged

from . import config, distcc, locks, progress, testlist

SELFTEST_DIR = "tools/testing/selftests/kvm"
_ERROR = re.compile(r"^(?P<loc>[^\s:][^:]*:\d+(?::\d+)?): (?:fatal )?error: (?P<msg>.*)$")
_LINKER = re.compile(
    r"^(?:ld|.*\bld(?:\.bfd)?): .*(?:undefined reference|error|multiple definition)")


@dataclass
class BuildResult:
    objdir: Path
    bzimage: Path | None  # None for a compile-only config (objects below)
    selftests: dict[str, Path]
    log: Path
    timings: dict[str, float] = field(default_factory=dict)
    noop: bool = False
    objects: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def make_env(config_name: str | None = None) -> dict[str, str]:
    """Reproducible build identity (so ccache hits across trees), the tool's own ccache, and a
    cross config's ARCH / CROSS_COMPILE."""
    return {
        **config.named_target(config_name).make_vars(),
        "CCACHE_DIR": str(paths.ccache_dir()),
        "CCACHE_BASEDIR": str(paths.cache_root()),
        "CCACHE_NOHASHDIR": "1",
        "CCACHE_SLOPPINESS": "time_macros,include_file_mtime,include_file_ctime",
        # depend mode: a miss runs no preprocessor (kbuild's -Wp,-MMD gives ccache the
        # includes). Measured on the default config, 2 cores, empty caches: cold bzImage
        # 143.8 s against 195.5 s in ccache's default mode (133.9 s without ccache); a fresh
        # O= with the cache warm 18.6 s, every compile a direct hit.
        "CCACHE_DEPEND": "true",
        "CCACHE_MAXSIZE": os.environ.get("CCACHE_MAXSIZE", "5G"),
        "KBUILD_BUILD_TIMESTAMP": "Thu Jan  1 00:00:00 UTC 2025",
        "KBUILD_BUILD_USER": "kwb",
        "KBUILD_BUILD_HOST": "kwb",
        "LC_ALL": "C",
        **distcc.env(distcc.hosts()),
    }


def cc(config_name: str | None = None) -> str:
    """The compiler: gcc (a cross config's own gcc) behind ccache, which hands misses to
    distcc when hosts are set."""
    gcc = f"{config.named_target(config_name).cross_compile}gcc"
    if shutil.which("ccache"):
        return f"ccache {gcc}"
    return f"distcc {gcc}" if distcc.hosts() else gcc


def host_cc() -> str:
    """The host compiler (kbuild's HOSTCC: scripts/, objtool; and the selftests): ccache gcc,
    but plain local gcc with distcc hosts.  distcc preprocesses on the client and compiles the
    ``.i`` remotely, which drops comments: tools/ marks switch fall-throughs with
    ``/* FALLTHROUGH */`` comments (the kernel proper uses the ``fallthrough`` attribute), so
    objtool's parse-options.c fails ``-Werror=implicit-fallthrough`` through distcc.  ccache is
    left out too because ``CCACHE_PREFIX=distcc`` is in the whole make's environment."""
    if distcc.hosts():
        return "gcc"
    return "ccache gcc" if shutil.which("ccache") else "gcc"


class BuildError(WorkbenchError):
    """A make that failed; ``errors`` are the first compiler errors of *this* make's output."""

    def __init__(self, message: str, errors: list[str], *, log: str | None = None) -> None:
        super().__init__(message, log=log)
        self.errors = errors


def log_size(log: Path) -> int:
    """Where the next command's output will start in ``log`` (logs are appended to)."""
    try:
        return log.stat().st_size
    except OSError:
        return 0


def first_errors(log: Path, limit: int = 10, start: int = 0) -> list[str]:
    """The first compiler / linker errors of a build log, as ``file:line: message``; only the
    part of the log from byte ``start`` on is read (the output of the command that failed, not
    of earlier builds appended to the same log).

    With no compiler or linker error in the log, make's own ``***`` lines stand in.
    """
    try:
        with open(log, "rb") as fh:
            fh.seek(start)
            lines = fh.read().decode(errors="replace").splitlines()
    except OSError:
        return []
    out: list[str] = []
    make_errors: list[str] = []
    for line in lines:
        if (m := _ERROR.match(line)) or _LINKER.match(line):
            text = f"{m['loc']}: error: {m['msg']}" if m else line.strip()
            if text not in out:
                out.append(text)
            if len(out) >= limit:
                break
        elif line.startswith("make") and "***" in line:
            make_errors.append(line.strip())
    return out or make_errors[:limit]


def _failed(what: str, log: Path, start: int) -> BuildError:
    errors = first_errors(log, start=start)
    return BuildError(f"{what}:\n  " + ("\n  ".join(errors) if errors
                                         else "(no compiler error found; see the log)"),
                      errors, log=str(log))


def _make(src: Path, objdir: Path, log: Path, stage: str, targets: list[str],
          jobs: int, extra: list[str] | None = None,
          config_name: str | None = None) -> tuple[float, int]:
    """make ``targets`` in ``objdir``; (seconds, kbuild action lines: 0 for a no-op)."""
    t0 = time.monotonic()
    est = progress.estimate(objdir, config_name) if stage in ("bzImage", "modules") \
        else progress.Estimate(None, "")
    if est.how:
        info(f"{stage}: {est.how} ({time.monotonic() - t0:.1f}s to estimate)")
    bar = progress.Progress(stage, est)
    cmd = ["make", "-C", str(src), f"O={objdir}", f"-j{jobs}", f"CC={cc(config_name)}",
           f"HOSTCC={host_cc()}", *(extra or []), *targets]
    start = log_size(log)
    began = time.time_ns()
    try:
        rc, secs = run_logged(cmd, log, env=make_env(config_name), on_line=bar.line)
    finally:
        bar.done()
    if rc != 0:
        raise _failed(f"build failed in stage {stage!r} ({src.name}, O={objdir})", log, start)
    if est.how:
        progress.update_index(objdir, since_ns=began)
        info(f"{stage}: {bar.count} objects compiled (estimated {est.total}), {secs:.1f}s")
    return secs, bar.work


def _build_objects(src: Path, objdir: Path, log: Path, target: config.Target, jobs: int,
                   config_name: str | None) -> BuildResult:
    """A compile-only config: make just its objects (for another architecture), no bzImage,
    no selftests; the compiler warnings of this make are counted (the build must have none)."""
    # an object whose source this commit does not have yet (--each-patch: the patch adding
    # it is not applied) is left out, and said so
    present = [o for o in target.objects if (src / o).with_suffix(".c").is_file()]
    if absent := sorted(set(target.objects) - set(present)):
        info(f"objects: not in this tree (yet), so not built: {', '.join(absent)}")
    values = config.read_config(objdir / ".config")
    off = {o: sym for o in present if (sym := _object_option(src, o))
           and values.get(sym, "n") == "n"}
    if off:
        info("objects: not enabled by this config, so not built: "
             + ", ".join(f"{o} ({sym} is not set)" for o, sym in off.items()))
    present = [o for o in present if o not in off]
    if not present:
        raise WorkbenchError(f"none of {', '.join(target.objects)} is in {src} and enabled "
                             "by its config")
    info(f"compiling {', '.join(present)} for {target.arch} in {objdir} "
         f"(compile only, {target.cross_compile}gcc; log: {log})")
    start = log_size(log)
    secs, work = _make(src, objdir, log, "objects", present, jobs, config_name=config_name)
    objects = {o: objdir / o for o in present}
    missing = [o for o, path in objects.items() if not path.is_file()]
    if missing:
        raise WorkbenchError(f"{', '.join(missing)} not built for {target.arch} in {objdir}",
                             log=str(log))
    warnings = [line for line in _log_lines_since(log, start) if ": warning: " in line]
    info(f"objects: {len(objects)} built for {target.arch}, {len(warnings)} compiler "
         f"warnings, {secs:.1f}s")
    return BuildResult(objdir, None, {}, log, {"objects": secs}, noop=work == 0,
                       objects=objects, warnings=warnings)


def _object_option(src: Path, obj: str) -> str | None:
    """The option that builds ``dir/name.o`` according to ``dir/Makefile``'s
    ``obj-$(CONFIG_X) += name.o`` line, if there is one."""
    path = Path(obj)
    makefile = src / path.parent / "Makefile"
    if not makefile.is_file():
        return None
    rule = re.compile(r"^obj-\$\((CONFIG_\w+)\)\s*\+=.*(?<![\w/-])" + re.escape(path.name)
                      + r"(?![\w.])")
    for line in makefile.read_text(errors="replace").splitlines():
        if m := rule.match(line):
            return m[1]
    return None


def _log_lines_since(log: Path, start: int) -> list[str]:
    with open(log, "rb") as fh:
        fh.seek(start)
        return fh.read().decode(errors="replace").splitlines()


def selftest_names(test_list: Path) -> list[str]:
    """The KVM selftests of a tests.txt (its ``kunit:`` entries are built in, not built here)."""
    return testlist.read(test_list).selftests


def _extra_selftests(objdir: Path, log: Path) -> dict[str, Path]:
    """The project's own tests (``selftests/*.c``), built against the tree's UAPI headers.

    Named ``extra/<name>`` in results; rebuilt only when the source or the headers changed.
    """
    out_dir = objdir / "kselftest" / "extra"
    out_dir.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    headers = objdir / "usr" / "include"
    for src in sorted(paths.SELFTESTS_DIR.glob("*.c")):
        out = out_dir / src.stem
        newest = max(src.stat().st_mtime, (headers / "linux" / "kvm.h").stat().st_mtime)
        if not out.exists() or out.stat().st_mtime < newest:
            start = log_size(log)
            rc, _ = run_logged(["gcc", "-O2", "-Wall", "-Werror", "-isystem", str(headers),
                                "-o", str(out), str(src)], log, env=make_env())
            if rc != 0:
                raise _failed(f"selftest {src} failed to build", log, start)
        built[f"extra/{src.stem}"] = out
    return built


def build_lock() -> contextlib.AbstractContextManager[None]:
    """One kernel build at a time on this machine: builds of kwb processes queue here."""
    return locks.make_lock()


def build(src: Path, objdir: Path, log: Path, selftests: list[str],
          jobs: int | None = None, config_name: str | None = None) -> BuildResult:
    """Build bzImage, the UAPI headers and the named KVM selftests; incremental by design.

    Holds the build dir's lock (re-entrant: apply-and-build holds it already) and the
    machine's make slot."""
    with locks.objdir_lock(objdir), build_lock():
        return _build(src, objdir, log, selftests, jobs, config_name)


def make_targets(src: Path, objdir: Path, log: Path, targets: list[str],
                 jobs: int | None = None) -> tuple[float, int]:
    """make some targets (objects, a directory) in a configured build dir, as builds are made
    (locks, ccache, distcc, process group, log): (seconds, kbuild action lines)."""
    with locks.objdir_lock(objdir), build_lock():
        return _make(src, objdir, log, "make " + " ".join(targets), targets,
                     jobs or distcc.jobs(distcc.hosts()))


def _build(src: Path, objdir: Path, log: Path, selftests: list[str],
           jobs: int | None, config_name: str | None = None) -> BuildResult:
    jobs = jobs or distcc.jobs(distcc.hosts())
    target = config.named_target(config_name)
    if target.compile_only:
        return _build_objects(src, objdir, log, target, jobs, config_name)
    timings: dict[str, float] = {}
    farm = distcc.hosts()
    info(f"building bzImage in {objdir} (log: {log})"
         + (f", -j{jobs} on distcc hosts {farm!r}" if farm else ""))
    timings["bzImage"], n_kernel = _make(src, objdir, log, "bzImage", ["bzImage"], jobs,
                                         config_name=config_name)
    if "CONFIG_MODULES=y" in (objdir / ".config").read_text():
        timings["modules"], n_mod = _make(src, objdir, log, "modules", ["modules"], jobs,
                                            config_name=config_name)
        n_kernel += n_mod
    timings["headers"], _ = _make(src, objdir, log, "headers", ["headers"], jobs)
    out = objdir / "kselftest" / "kvm"
    built: dict[str, Path] = {}
    if selftests:
        info(f"building {len(selftests)} KVM selftests")
        start = log_size(log)
        rc, secs = run_logged(
            ["make", "-C", str(src / SELFTEST_DIR), f"-j{jobs}", f"OUTPUT={out}",
             f"KHDR_INCLUDES=-isystem {objdir}/usr/include", f"CC={host_cc()}",
             f"TEST_GEN_PROGS_x86_64={' '.join(selftests)}", "TEST_PROGS_x86_64=",
             "TEST_GEN_PROGS_EXTENDED_x86_64="],
            log, env=make_env())
        timings["selftests"] = secs
        if rc != 0:
            raise _failed("KVM selftests failed to build", log, start)
        for name in selftests:
            path = out / name
            if not path.is_file():
                raise WorkbenchError(f"KVM selftest {name} was not built (expected {path})",
                                     log=str(log))
            built[name] = path
    if selftests:
        built.update(_extra_selftests(objdir, log))
    bzimage = objdir / "arch" / "x86" / "boot" / "bzImage"
    return BuildResult(objdir, bzimage, built, log, timings, noop=n_kernel == 0)
