"""Boot and test benchmark (see ci/bench-boot)."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.build import config, manifest, pipeline, tree
from harness.build.pipeline import BuildRequest
from harness.vm import session

KWB = [sys.executable, "-m", "harness.cli"]


def fmt(values: list[float]) -> str:
    return (f"median {statistics.median(values):6.2f} s  "
            f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")


def timed_cmd(cmd: list[str]) -> float:
    start = time.monotonic()
    res = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.monotonic() - start
    if res.returncode != 0:
        print(res.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return secs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t = tree.pinned_tree()
    objdir = pipeline.objdir_for(t, "patched", config.named_fragments("default"))
    m = manifest.load(objdir)
    bz = Path(m.artifacts["bzImage"])
    tests = {k: Path(v) for k, v in m.artifacts["selftests"].items()}
    print(f"kernel: {bz} (patched, default config)")

    with tempfile.TemporaryDirectory() as tmp:
        for backend in ("qemu", "vng"):
            boots, per_test = [], {n: [] for n in tests}
            for _ in range(args.runs):
                g = session.run_tests(backend, bz, tests, 300, Path(tmp))
                if g.boot_seconds is not None:
                    boots.append(g.boot_seconds)
                for r in g.tests:
                    per_test[r.name].append(r.duration)
            cmd = f"session.run_tests({backend!r}, bzImage, all {len(tests)} tests)"
            print(f"boot to prompt [{backend}]: {fmt(boots)}   ({cmd})")
            for name, values in per_test.items():
                print(f"  {name:<40} [{backend}] {fmt(values)}")

    for backend in ("qemu", "vng"):
        cmd = [*KWB, "boot-and-test", "--backend", backend]
        secs = [timed_cmd(cmd) for _ in range(args.runs)]
        print(f"whole boot-and-test [{backend}]: {fmt(secs)}   (kwb boot-and-test "
              f"--backend {backend})")

    wt = tree.worktree_path(t, "patched")
    target = wt / "virt" / "kvm" / "guest_memfd.c"
    build_cmd = [*KWB, "apply-and-build"]
    test_cmd = [*KWB, "boot-and-test", "--backend", "qemu", "--tests", "guest_memfd_test"]
    pipeline.apply_and_build(BuildRequest())  # settle: the loop starts from a built tree
    loops, builds = [], []
    for _ in range(args.runs):
        target.touch()
        start = time.monotonic()
        builds.append(timed_cmd(build_cmd))
        timed_cmd(test_cmd)
        loops.append(time.monotonic() - start)
    print(f"warm loop rebuild part: {fmt(builds)}   (touch virt/kvm/guest_memfd.c; "
          "kwb apply-and-build)")
    print(f"warm loop end to end:   {fmt(loops)}   (touch virt/kvm/guest_memfd.c; "
          "kwb apply-and-build; kwb boot-and-test --backend qemu --tests guest_memfd_test)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
