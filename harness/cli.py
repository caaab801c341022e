"""kwb — the thin command line over the pipeline stages.

    kwb tree                 import the pinned tree (once) and print its base commit
    kwb apply                does the series apply on its base? (nothing is built)
    kwb apply-and-build      tree → series → config → build → manifest
    kwb boot-and-test        boot a build, run the KVM selftests, report; --compare: base too
    kwb pipeline             the main job: apply-and-build base and patched, boot-and-test --compare
    kwb bisect               find the first base commit where the series or its tests break
    kwb bisect list|show|reset|stats   the bisections on record
    kwb history              make a multi-commit base history to bisect on (offline)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import WorkbenchError

if TYPE_CHECKING:
    from .build.pipeline import BuildRequest


BISECT_ADMIN = ("list", "show", "reset", "stats")  # kwb bisect CMD: managing bisections
# kwb bisect's run parameters when not given (a resumed bisection uses its saved ones)
BISECT_DEFAULTS: dict[str, Any] = {"config": None, "backend": "qemu", "timeout": 120.0,
                                   "confirm": 2, "revision": None}


def _add_tree_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("tree")
    g.add_argument("--tree", type=Path, metavar="PATH",
                   help="your linux.git (never modified: kwb works in a shared clone it owns)")
    g.add_argument("--base", metavar="REF",
                   help="base commit for the series (overrides the cover letter's base-commit)")


def _add_series_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("series (default: the patches/ directory)")
    g.add_argument("--patches", type=Path, metavar="DIR", help="git format-patch files")
    g.add_argument("--mbox", type=Path, metavar="FILE", help="an mbox of the series")
    g.add_argument("--msgid", metavar="ID", help="fetch the series with b4 (needs lore)")
    g.add_argument("--revision", type=int, metavar="N", help="the revision of the series to "
                   "take from a thread (--mbox, --msgid; default: the newest)")


def _add_distcc_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--distcc", metavar="HOSTS",
                   help="compile on these distcc hosts (distcc's host list, e.g. "
                        "'farm1/16 farm2/16'; default: $DISTCC_HOSTS), ccache in front, "
                        "-j scaled to the hosts' slots")


def _add_backend_args(p: argparse.ArgumentParser, default: str | None, note: str = "") -> None:
    """--backend (choices: the backend registry) and --accel."""
    from .vm import backends

    text = "; ".join(f"{n}: {b.summary}" for n, b in backends.BACKENDS.items())
    p.add_argument("--backend", choices=backends.names(), default=default,
                   help=f"{text} (default: {default or backends.DEFAULT}{note})")
    p.add_argument("--accel", choices=["auto", "kvm", "tcg"], default=None,
                   help="the accelerator: auto probes (KVM where a kernel boots under it, "
                        "cached when the answer is definite), kvm or tcg force it "
                        "(default: auto, or $KWB_ACCEL)")


def _add_config_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default=None, metavar="NAME",
                   help="named config from kernel-config/configs.toml (default: 'default', "
                        "or 'vng' with --backend vng)")


def config_for(config_name: str | None, backend: str | None) -> str:
    """The named config: the one given, else the one the backend boots ('vng' for virtme-ng,
    which needs 9p and virtio; 'default', the hermetic guest, for the others)."""
    return config_name or ("vng" if backend == "vng" else "default")


def cmd_tree(args: argparse.Namespace) -> int:
    from .build.pipeline import BuildRequest, get_tree

    t = get_tree(BuildRequest(tree_path=args.tree, base=args.base))
    print(t.base)
    return 0


def _request(args: argparse.Namespace, variant: str) -> BuildRequest:
    from .build.pipeline import BuildRequest

    return BuildRequest(
        variant=variant, config_name=config_for(args.config, getattr(args, "backend", None)),
        tree_path=args.tree, base=args.base,
        patches_dir=args.patches, mbox=args.mbox, msgid=args.msgid, revision=args.revision,
        each_patch=getattr(args, "each_patch", False),
        build_selftests=not getattr(args, "no_selftests", False),
        tests=_tests_arg(args) or [])


def _tests_arg(args: argparse.Namespace) -> list[str] | None:
    """--tests A,B (a collection: ``kvm`` or ``kvm:GLOB``); None when not given."""
    text = getattr(args, "tests", None)
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


def cmd_apply(args: argparse.Namespace) -> int:
    from .build import check

    answer = check.check(tree_path=args.tree, base=args.base, patches_dir=args.patches,
                         mbox=args.mbox, msgid=args.msgid, revision=args.revision)
    print(answer.text)
    return answer.exit_code


def cmd_apply_and_build(args: argparse.Namespace) -> int:
    from .build.pipeline import apply_and_build

    variant = "base" if args.no_series else "patched"
    m = apply_and_build(_request(args, variant))
    print(m.path)
    return 0


def _manifest_for(args: argparse.Namespace, variant: str, build_missing: bool) -> Path:
    """The manifest of a variant's build: built (incrementally) when asked to, else required."""
    from .build import pipeline

    req = _request(args, variant)
    if build_missing:
        return pipeline.apply_and_build(req).path
    t = pipeline.get_tree(req)
    objdir = pipeline.objdir_for(t, variant, req.fragments())
    path = objdir / "kwb-manifest.json"
    if not path.is_file():
        flag = " --no-series" if variant == "base" else ""
        raise WorkbenchError(f"no {variant} build for config {req.config_name!r} ({path} missing): "
                             f"run `kwb apply-and-build{flag}` first, or pass --build")
    return path


def cmd_boot_and_test(args: argparse.Namespace) -> int:
    import time

    from . import paths
    from .build import collection, manifest
    from .results import compare, model, verdict
    from .vm import session, stage

    opts = stage.TestOptions(backend=args.backend, timeout=args.timeout, tests=_tests_arg(args),
                             shard=collection.parse_shard(args.shard) if args.shard else None,
                             kunit_isolated=args.kunit_isolated)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = args.out or paths.runs_dir() / f"{stamp}-{'compare' if args.compare else 'run'}"
    out = out.resolve()
    runs: list[model.RunResult] = []
    if args.compare:
        manifests = [_manifest_for(args, v, True) for v in ("base", args.variant)]
    elif args.manifest:
        manifests = [args.manifest]
    else:
        manifests = [_manifest_for(args, "base" if args.no_series else args.variant,
                                   args.build)]
    try:
        for path in manifests:
            opts.out_dir = out / manifest.load(Path(path)).variant
            runs.append(stage.boot_and_test(Path(path), opts))
    except session.Interrupted as exc:  # report what finished, then exit 130 / 143
        if exc.result is not None:
            runs.append(exc.result)
        if not runs:
            raise
        judgement, written = stage.conclude(out, runs, None)
        for kind, path in written.items():
            print(f"{kind:>5}: {path}")
        print(f"kwb: interrupted by {exc.signal}: the results of the tests that finished are "
              f"in {out}", file=sys.stderr)
        return int(judgement.exit)
    comparison = compare.compare(runs[0], runs[1], verdict.load_known_failures()) \
        if args.compare else None
    if comparison is not None and args.confirm > 0:  # differing results: re-run, fresh boots
        from .vm import confirm

        confirm.confirm_comparison(comparison, [Path(p) for p in manifests], opts, args.confirm,
                                   out / "confirm")
    judgement, written = stage.conclude(out, runs, comparison,
                                        [manifest.load(Path(p)) for p in manifests])
    for kind, path in written.items():
        print(f"{kind:>5}: {path}")
    return int(judgement.exit)


def cmd_bisect(args: argparse.Namespace) -> int:
    from . import bisect, paths
    from .bisect.kernel import KernelPipeline, load_series, series_digest
    from .build import series
    from .build.pipeline import BuildRequest, get_tree

    if args.reset:
        bisect.Bisection.load(args.reset).reset()
        return 0
    series_given = args.no_series or any((args.patches, args.mbox, args.msgid))
    s = None if args.no_series else series.load(patches_dir=args.patches, mbox=args.mbox,
                                                 msgid=args.msgid, revision=args.revision) \
        if series_given else None
    given = {"config": args.config, "backend": args.backend, "timeout": args.timeout,
             "confirm": args.confirm, "revision": args.revision}
    if args.resume is not None:
        b = bisect.Bisection.load(args.resume or None)
        criterion, tests = b.state.criterion, b.state.tests
        if not series_given:  # the series it started with, from where it was read then
            s = load_series(b.state.params.get("series_source", f"dir:{paths.PATCHES_DIR}"),
                            revision=b.state.params.get("revision"))
        # config, backend, timeout and series are the saved ones; differing ones are refused
        params = {**BISECT_DEFAULTS, **b.resume_params({**given, "series": series_digest(s)})}
    else:
        if not (args.good and args.bad):
            raise WorkbenchError("bisect needs --good REF and --bad REF (or --resume / --reset)")
        criterion = args.criterion
        tests = args.tests.split(",") if args.tests else []
        if criterion.startswith("test:") and not tests:
            tests = [criterion[5:]]
        if not series_given:
            s = series.load()
        params = {k: v if v is not None else BISECT_DEFAULTS[k] for k, v in given.items()}
        params["config"] = config_for(params["config"], params["backend"])
        params.update(series=series_digest(s), series_source=s.source if s else "none")
        t = get_tree(BuildRequest(tree_path=args.tree, base=args.good))
        b = bisect.Bisection.start(t, args.good, args.bad, criterion=criterion, tests=tests,
                                   params=params)
    pipe = KernelPipeline(b.tree, s, params["config"], b.id, params["backend"],
                          params["timeout"])
    result = b.run(bisect.make_step(criterion, pipe, tests, confirm=params["confirm"]))
    print(result.summary())
    return result.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kwb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kwb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tree", help="import the pinned tree and print its base commit")
    _add_tree_args(p)
    p.set_defaults(func=cmd_tree)

    p = sub.add_parser("apply", help="check that the series applies on its base (nothing "
                       "is built); exit 0 if it does, 1 if not, with the failing hunks")
    _add_tree_args(p)
    _add_series_args(p)
    p.set_defaults(func=cmd_apply)

    p = sub.add_parser("apply-and-build", help="apply the series and build kernel + selftests")
    _add_tree_args(p)
    _add_series_args(p)
    _add_config_arg(p)
    _add_distcc_arg(p)
    p.add_argument("--no-series", action="store_true",
                   help="build the base alone (the 'base' variant)")
    p.add_argument("--each-patch", action="store_true",
                   help="also build after every patch in turn (bisectability check)")
    p.add_argument("--no-selftests", action="store_true", help="build bzImage only")
    p.add_argument("--tests", metavar="A,B", help="selftests to build besides "
                   "kernel-config/tests.txt's; a whole collection (kvm) brings its config")
    p.set_defaults(func=cmd_apply_and_build)

    for name, text in (("boot-and-test", "boot a build and run the KVM selftests in it"),
                       ("pipeline", "the main job: build base and patched, boot both, compare")):
        p = sub.add_parser(name, help=text)
        _add_tree_args(p)
        _add_series_args(p)
        _add_config_arg(p)
        _add_distcc_arg(p)
        _add_backend_args(p, "qemu")
        p.add_argument("--tests", metavar="A,B", help="selftests and kunit:GLOB suites to "
                       "run (default: kernel-config/tests.txt and the project's selftests/)")
        p.add_argument("--timeout", type=float, metavar="S",
                       help="per-test timeout in seconds (default: a collection's settings "
                            "file, 120 s for single tests)")
        p.add_argument("--kunit-isolated", choices=["suite", "case"], metavar="suite|case",
                       help="boot once per KUnit suite (or case), as kunit.py's "
                            "--run_isolated: for a suite that takes the kernel down")
        p.add_argument("--variant", default="patched", metavar="NAME",
                       help="the patched side's name: its own worktree and build dir, for a "
                            "series other than patches/ (default: %(default)s)")
        p.add_argument("--shard", metavar="K/N", help="run the K-th of N slices of the tests "
                       "(as TuxRun's SHARD_INDEX/SHARD_NUMBER): a long collection in N boots")
        p.add_argument("--confirm", type=int, default=3, metavar="N",
                       help="with --compare: re-run a test whose result differs between the "
                            "kernels on N fresh boots of each before calling it a regression "
                            "(default: %(default)s; 0: no re-runs)")
        p.add_argument("--out", type=Path, metavar="DIR", help="where results go "
                       "(default: ~/.cache/kwb/runs/<time>-…; runs/latest points at it)")
        if name == "boot-and-test":
            p.add_argument("--manifest", type=Path, metavar="PATH",
                           help="the build to boot (default: the patched build)")
            p.add_argument("--no-series", action="store_true", help="boot the base build")
            p.add_argument("--build", action="store_true",
                           help="build the kernel first when it is missing or out of date")
            p.add_argument("--compare", action="store_true",
                           help="build (what is missing), boot and test base and patched; "
                                "report the difference")
        else:
            p.set_defaults(compare=True, manifest=None, no_series=False, build=True)
        p.set_defaults(func=cmd_boot_and_test)

    p = sub.add_parser("bisect", help="find the first base commit where the series breaks",
                       description="Bisect base commits: on each candidate apply the series, "
                       "build, boot and test; see docs/bisect.md.",
                       epilog="the bisections on record: kwb bisect list | show ID | reset ID | "
                       "stats ID [--cold-seconds S]")
    p.add_argument("--good", metavar="REF", help="a base where all is well")
    p.add_argument("--bad", metavar="REF", help="a base where it is broken")
    p.add_argument("--criterion", default="apply", metavar="WHAT",
                   help="what counts as bad: apply | build | test:NAME | regression "
                        "(default: %(default)s)")
    p.add_argument("--tests", metavar="A,B", help="tests to run (test:NAME implies NAME)")
    p.add_argument("--tree", type=Path, metavar="PATH", help="your linux.git (default: pinned)")
    p.add_argument("--resume", nargs="?", const="", metavar="ID",
                   help="continue an interrupted bisection (default: the latest)")
    p.add_argument("--reset", metavar="ID", help="abandon a bisection (its step log is kept)")
    p.add_argument("--confirm", type=int, default=None, metavar="N",
                   help="re-run a step's tests on N fresh boots: its verdict steers the "
                        "bisection only when every boot agrees, else the step is skipped as "
                        "flaky (default: 2; 0: trust one boot; on --resume: the bisection's)")
    p.add_argument("--no-series", action="store_true", help="bisect the bare tree")
    _add_backend_args(p, None, "; on --resume: the bisection's own")
    p.add_argument("--timeout", type=float, metavar="S",
                   help="per-test timeout (default: 120; on --resume: the bisection's own)")
    _add_series_args(p)
    p.add_argument("--config", metavar="NAME", help="named config from "
                   "kernel-config/configs.toml (default: default; on --resume: the bisection's)")
    _add_distcc_arg(p)
    p.set_defaults(func=cmd_bisect)

    p = sub.add_parser("history", help="make a multi-commit base history to bisect on "
                       "(synthetic | versions | check; see docs/bisect.md)")

    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["history"]:  # its own parser: pass everything through
        from .bisect import history

        return history.main(argv[1:])
    if argv[:1] == ["bisect"] and argv[1:2] and argv[1] in BISECT_ADMIN:
        from .bisect import admin

        return admin.main(argv[1:])
    args = build_parser().parse_args(argv)
    if getattr(args, "distcc", None):  # read by the build stage (harness.build.distcc)
        import os

        os.environ["DISTCC_HOSTS"] = args.distcc
    if getattr(args, "accel", None):  # read where the guest is booted (harness.vm.accel)
        import os

        os.environ["KWB_ACCEL"] = args.accel
    from .proc import interrupt_status, signals_raise

    try:
        with signals_raise():  # SIGTERM/SIGHUP unwind like Ctrl-C: make and QEMU are stopped
            return int(args.func(args))
    except WorkbenchError as exc:
        print(f"kwb: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # e.g. the cache on a full or read-only file system (issue 10)
        from . import paths

        where = f": {exc.filename}" if exc.filename else ""
        print(f"kwb: error: {exc.strerror or exc}{where} (kwb keeps its state in "
              f"{paths.cache_root()}: it needs a writable file system with free space; "
              "KWB_CACHE moves it)", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, SystemExit) as exc:
        status = interrupt_status(exc)
        if isinstance(exc, SystemExit) and status < 128:
            raise
        print(f"kwb: interrupted (exit status {status})", file=sys.stderr)
        return status


if __name__ == "__main__":
    sys.exit(main())
