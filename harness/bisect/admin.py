"""``kwb bisect list|show ID|reset ID|stats ID``: the bisections on record (also
``python -m harness.bisect …``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from harness.errors import WorkbenchError

from .driver import Bisection, list_ids
from .state import StepRecord
from .step import RESET_CMD, RESUME_CMD


def step_stats(steps: Sequence[StepRecord], cold_build_seconds: float | None = None,
               ) -> dict[str, float | int | None]:
    """Benchmark numbers of a bisection: steps, seconds per step and per build, and the ratio
    of a warm (incremental) build step to a cold build of the same tree when one is given."""
    secs = sorted(s.seconds for s in steps)
    builds = sorted(s.timings["build"] for s in steps if "build" in s.timings)
    median = secs[len(secs) // 2] if secs else None
    build_median = builds[len(builds) // 2] if builds else None
    ratio = None
    if cold_build_seconds and build_median is not None:
        ratio = round(build_median / cold_build_seconds, 3)
    return {"n_steps": len(steps), "total_seconds": round(sum(secs), 1),
            "median_step_seconds": median, "median_build_seconds": build_median,
            "cold_build_seconds": cold_build_seconds, "warm_to_cold_ratio": ratio}


def describe(bisect_id: str) -> str:
    """A bisection in a few lines: ends, criterion, status, steps, and the result if any."""
    b = Bisection.load(bisect_id)
    st = b.state
    lines = [f"bisect {st.id}: {st.status}", f"  good {st.good}", f"  bad  {st.bad}",
             f"  criterion {st.criterion or '-'}" + (f", tests {' '.join(st.tests)}"
                                                      if st.tests else ""),
             f"  worktree {b.worktree}", f"  step log {b.run_dir / 'steps.json'}"]
    for s in st.steps:
        lines.append(f"  {s.n:2d}. {s.commit[:12]} {s.verdict:4s} {s.seconds:7.1f}s  {s.subject}")
    if st.result is not None:
        lines.append(b._result_from_state().summary())
    elif st.status in ("running", "interrupted", "failed"):
        lines.append(f"  resume: {RESUME_CMD.format(id=st.id)}   reset: "
                     f"{RESET_CMD.format(id=st.id)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``kwb bisect list|show ID|reset ID|stats ID`` (or ``python -m harness.bisect …``) —
    managing bisections (running one needs the pipeline: that is ``kwb bisect --good …``)."""
    import argparse

    ap = argparse.ArgumentParser(prog="kwb bisect")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="the bisections with a step log, oldest first")
    sub.add_parser("show", help="one bisection's steps and result").add_argument("id")
    sub.add_parser("reset", help="abandon a bisection (keeps its step log)").add_argument("id")
    sp = sub.add_parser("stats", help="benchmark figures of a bisection, as JSON")
    sp.add_argument("id")
    sp.add_argument("--cold-seconds", type=float,
                    help="a cold build of the same tree (ci/bench-build), for the ratio")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "list":
            for bid in list_ids():
                st = Bisection._read(bid)
                print(f"{bid}  {st.status:12s} {len(st.steps):3d} step(s)  "
                      f"{st.criterion or '-'}  {st.good[:12]}..{st.bad[:12]}")
        elif args.cmd == "show":
            print(describe(args.id))
        elif args.cmd == "stats":
            st = Bisection._read(args.id)
            stats = step_stats(st.steps, args.cold_seconds)
            first = st.steps[0].timings.get("build") if st.steps else None
            print(json.dumps({**stats, "first_step_build_seconds": first,
                              "per_step": [{"n": x.n, "commit": x.commit[:12],
                                            "verdict": x.verdict, "seconds": x.seconds,
                                            **x.timings} for x in st.steps]}, indent=2))
        else:
            Bisection.load(args.id).reset()
    except WorkbenchError as exc:
        print(f"kwb: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
