"""Build-time benchmark for the pinned tree's default config (see ci/bench-build)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time

from harness import paths
from harness.build import kbuild, tree
from harness.build.pipeline import configure


def timed(label: str, cmd: str, fn: object) -> float:
    start = time.monotonic()
    fn()  # type: ignore[operator]
    secs = time.monotonic() - start
    print(f"{label:<40} {secs:8.1f} s   ({cmd})", flush=True)
    return secs


def main() -> int:
    cold = "--no-cold" not in sys.argv
    t = tree.pinned_tree()
    wt = tree.worktree(t, "bench", t.base)
    objdir = paths.builds_dir() / "bench-default"
    log = paths.builds_dir() / "bench-default.log"
    log.unlink(missing_ok=True)
    make = f"make -C {wt} O={objdir} -j{os.cpu_count()} CC='ccache gcc' bzImage"

    def fresh() -> None:
        shutil.rmtree(objdir, ignore_errors=True)
        configure(wt, objdir, "default", log)

    def bz() -> None:
        kbuild.build(wt, objdir, log, [])

    print(f"tree {t.source} @ {t.base[:12]}, config 'default', {os.cpu_count()} cores")
    if cold:
        fresh()
        os.environ["CCACHE_DISABLE"] = "1"
        timed("cold build (empty O=, no ccache)", make + "  [CCACHE_DISABLE=1]", bz)
        del os.environ["CCACHE_DISABLE"]
        fresh()
        timed("empty O=, ccache being filled", make, bz)
    fresh()
    timed("empty O=, warm ccache", make, bz)
    timed("no-op rebuild", make, bz)
    target = wt / "mm" / "filemap.c"
    target.touch()
    timed("rebuild after touching mm/filemap.c", f"touch mm/filemap.c; {make}", bz)
    original = target.read_bytes()
    try:
        target.write_bytes(original + f"/* bench {time.time()} */\n".encode())
        timed("rebuild after editing mm/filemap.c", f"edit mm/filemap.c; {make}", bz)
    finally:
        target.write_bytes(original)
        bz()
    print(f"log: {shlex.quote(str(log))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
