"""Build-stage helpers that need no kernel: error extraction from a captured log, test lists."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fake_kernel import kwb_argv, make_fake_kernel, spawn

from harness.build import kbuild

LOG = (Path(__file__).parent / "data" / "build" / "guestmem-error.log").read_text()


def test_first_errors_names_file_and_line(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text(LOG)
    errors = kbuild.first_errors(log)
    assert errors[0] == ("../../worktrees/linux-patched/mm/guestmem.c:139:17: error: "
                         "'usr' undeclared (first use in this function)")
    assert errors[1].startswith("../../worktrees/linux-patched/include/linux/guestmem.h:9:1: "
                                "error: linux/nope.h")
    assert any("undefined reference to `guestmem_attach'" in e for e in errors)
    assert not any("note:" in e for e in errors)


def test_first_errors_of_a_log_without_compiler_errors(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text("make[1]: *** No rule to make target 'bzImagex'.  Stop.\n")
    assert kbuild.first_errors(log) == ["make[1]: *** No rule to make target 'bzImagex'.  Stop."]
    assert kbuild.first_errors(tmp_path / "missing.log") == []


def test_selftest_list_ignores_comments(tmp_path: Path) -> None:
    f = tmp_path / "tests.txt"
    f.write_text("# KVM selftests\nguest_memfd_test\n\nx86_64/private_mem_kvm_exits_test  # x\n")
    assert kbuild.selftest_names(f) == ["guest_memfd_test", "x86_64/private_mem_kvm_exits_test"]


# --------------------------------------------------------------------------- signals (defect 7)


def _wait_for(what: str, found: Callable[[], object], proc: subprocess.Popen[bytes],
              out: Path, limit: float = 60.0) -> object:
    """Poll until ``found()`` is truthy; fail naming ``what`` (and kwb's output) otherwise."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := found():
            return value
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"never saw {what}; kwb exit {proc.poll()}:\n{out.read_text()}")


def _group_members(pgid: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.parametrize(("signo", "status", "name"), [
    (signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")])
def test_a_signal_stops_make_and_keeps_the_log(tmp_path: Path, make_repo, isolated_env,
                                               signo, status, name) -> None:
    repo = make_repo("linux")
    patches = tmp_path / "patches"
    make_fake_kernel(repo, patches)
    out = tmp_path / "kwb.out"
    proc = spawn(kwb_argv(repo, patches), {"KWB_FAKE_FOREVER": "1"}, out)
    try:
        ticks = _wait_for("make writing into the build dir",
                          lambda: next((isolated_env / "builds").glob("*/ticks"), None),
                          proc, out)
        assert isinstance(ticks, Path)
        recipe_pid, pgid = (int(x) for x in (ticks.parent / "make-recipe.pid").read_text()
                            .split())
        proc.send_signal(signo)  # to kwb alone, as `kill PID` does: not to make's group
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rc == status, out.read_text()
    assert "interrupted" in out.read_text()
    # nothing of make's process group is left to write into the build dir
    assert _group_members(pgid) == []
    assert not Path(f"/proc/{recipe_pid}").exists()
    log = ticks.parent.parent / f"{ticks.parent.name}.log"
    text = log.read_text()
    assert "CC      fake/a.o" in text  # what make printed is kept
    assert f"interrupted ({name})" in text
