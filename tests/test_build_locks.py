"""Two kwb processes on the same build dir (issue 10 defect 3): the second one waits for the
whole apply → config → build → manifest of the first, not just for its make.

Real processes, real git, real make, on the FAKE kernel tree of tests/fake_kernel.py; the order
is read from what the fake tree's make targets and merge_config.sh record, not from timing.
"""

from __future__ import annotations

import time
from pathlib import Path

from fake_kernel import kwb_argv, make_fake_kernel, spawn, write_series

from harness.build import locks


def _events(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _wait(what: str, cond: object, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if cond():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_pipelines_on_one_build_dir_serialize(tmp_path: Path, make_repo) -> None:
    repo = make_repo("linux")
    patches_a, patches_b = tmp_path / "series-a", tmp_path / "series-b"
    make_fake_kernel(repo, patches_a, "series A")
    write_series(repo, patches_b, "series B")  # another series: B's apply rewrites the tree
    events, hold = tmp_path / "events", tmp_path / "hold"
    hold.touch()
    env = {"KWB_FAKE_EVENTS": str(events), "KWB_FAKE_HOLD": str(hold)}
    out_a, out_b = tmp_path / "a.out", tmp_path / "b.out"
    a = spawn(kwb_argv(repo, patches_a), {**env, "KWB_FAKE_ID": "A"}, out_a)
    b = None
    try:
        _wait("A inside make", lambda: "build-start A" in _events(events) or a.poll() is not None)
        assert a.poll() is None, out_a.read_text()
        b = spawn(kwb_argv(repo, patches_b), {**env, "KWB_FAKE_ID": "B"}, out_b)
        # B either waits for A's lock before touching anything, or (the defect) applies its
        # series and merges its config in the tree A is compiling
        _wait("B waiting or B at work", lambda: "waiting" in out_b.read_text()
              or any(e.endswith(" B") for e in _events(events)) or b.poll() is not None)
        assert not any(" B" in e for e in _events(events)), _events(events)
        assert "is in use by another kwb" in out_b.read_text()
        assert "worktree" in out_b.read_text()  # the first lock B needs is the worktree's
        hold.unlink()
        assert a.wait(timeout=120) == 0, out_a.read_text()
        assert b.wait(timeout=120) == 0, out_b.read_text()
    finally:
        for p in (a, b):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    # the first build of the dir had a total from the start: the named config's measured count
    assert "bzImage: cold build: " in out_a.read_text()
    ev = _events(events)
    # A built series A from start to end, untouched; only then did B apply, merge and build
    assert ev.index("build-end A series A") < ev.index("merge B")
    assert [e.split()[-1] for e in ev[:ev.index("build-end A series A") + 1]].count("B") == 0
    assert ev[-1] == "build-end B series B"


def test_locks_are_reentrant_and_released(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    with locks.hold(lock, "x"):
        with locks.hold(lock, "x"):  # the --each-patch build inside apply-and-build
            assert locks.is_held(lock)
        assert locks.is_held(lock)
    assert not locks.is_held(lock)
    assert lock.read_text().strip().isdigit()  # the holder's pid, for the waiting message
