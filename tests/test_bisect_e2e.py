"""The real `kwb bisect` on the real kernel tree, short enough for CI: a synthetic history of
12 commits on the pinned base whose 7th changes the context patch 2 of the series relies on,
and the `apply` criterion (no build needed).  The long one — `test:guest_memfd_test` on the
behaviour history, building and booting at every step — is `ci/bench-bisect`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness import paths

pytestmark = pytest.mark.kernel


def kwb(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], text=True,
                          capture_output=True, cwd=paths.PROJECT_ROOT)


def test_kwb_bisect_finds_where_the_series_stops_applying(real_cache: Path) -> None:
    made = kwb("history", "synthetic", "--mode", "context", "-n", "12", "-k", "7")
    assert made.returncode == 0, made.stderr
    ref = re.search(r"^ref:\s+(\S+)", made.stdout, re.M)[1]
    first_bad = re.search(r"^first bad \(by construction\): ([0-9a-f]{40})", made.stdout, re.M)[1]
    assert "series applies before the breaking commit" in made.stdout
    assert "series does not apply at the breaking commit" in made.stdout

    res = kwb("bisect", "--good", "kwb-pinned", "--bad", ref, "--criterion", "apply")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert first_bad[:12] in res.stdout
    assert "does not apply" in res.stdout or "patch" in res.stdout
    bisect_id = re.search(r"bisect (\d{8}-\d{6}-[0-9a-f]+)", res.stderr)[1]
    record = paths.cache_root() / "runs" / f"bisect-{bisect_id}"
    assert (record / "steps.json").is_file() and (record / "result.txt").is_file()
    # the tool-owned worktree is gone and git's bisect state with it
    assert not list((paths.cache_root() / "worktrees").glob(f"*bisect-{bisect_id}"))
