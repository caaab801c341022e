"""kwb — the thin command line over the pipeline stages.

    kwb tree                 import the pinned tree (once) and print its base commit
    kwb apply-and-build      tree → series → config → build → manifest
    kwb boot-and-test        boot a build, run the KVM selftests, report; --compare: base too
    kwb pipeline             the main job: apply-and-build base and patched, boot-and-test --compare
    kwb bisect               find the first base commit where the series or its tests break
    kwb history              make a multi-commit base history to bisect on (offline)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import WorkbenchError


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


def _add_config_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", default="default", metavar="NAME",
                   help="named config from kernel-config/configs.toml (default: %(default)s)")


def cmd_tree(args: argparse.Namespace) -> int:
    from .pipeline import BuildRequest, get_tree

    t = get_tree(BuildRequest(tree_path=args.tree, base=args.base))
    print(t.base)
    return 0


def _request(args: argparse.Namespace, variant: str) -> object:
    from .pipeline import BuildRequest

    return BuildRequest(
        variant=variant, config_name=args.config, tree_path=args.tree, base=args.base,
        patches_dir=args.patches, mbox=args.mbox, msgid=args.msgid,
        each_patch=getattr(args, "each_patch", False),
        build_selftests=not getattr(args, "no_selftests", False))


def cmd_apply_and_build(args: argparse.Namespace) -> int:
    from .pipeline import apply_and_build

    variant = "base" if args.no_series else "patched"
    m = apply_and_build(_request(args, variant))  # type: ignore[arg-type]
    print(m.path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kwb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"kwb {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tree", help="import the pinned tree and print its base commit")
    _add_tree_args(p)
    p.set_defaults(func=cmd_tree)

    p = sub.add_parser("apply-and-build", help="apply the series and build kernel + selftests")
    _add_tree_args(p)
    _add_series_args(p)
    _add_config_arg(p)
    p.add_argument("--no-series", action="store_true",
                   help="build the base alone (the 'base' variant)")
    p.add_argument("--each-patch", action="store_true",
                   help="also build after every patch in turn (bisectability check)")
    p.add_argument("--no-selftests", action="store_true", help="build bzImage only")
    p.set_defaults(func=cmd_apply_and_build)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except WorkbenchError as exc:
        print(f"kwb: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kwb: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
