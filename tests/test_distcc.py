"""Builds on distcc (issue 12): host lists, -j, and a real build of kernel objects through a
real distccd on loopback (127.0.0.1 only, a bounded run), checked in distccd's own log."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import realbuilds

from harness.build import distcc, kbuild, locks


@pytest.mark.parametrize(("hosts", "slots"), [
    ("farm1/8 farm2/16", 24),
    ("farm1 farm2", 8),  # distcc's default: 4 per host
    ("localhost 10.0.0.5:3633/6,lzo", 8),
    ("--randomize @builder/12", 12),
])
def test_slots_of_a_host_list(hosts: str, slots: int) -> None:
    assert distcc.slots(hosts) == slots


def test_jobs_scale_to_the_farm_and_never_below_local(monkeypatch) -> None:
    monkeypatch.delenv("KWB_JOBS", raising=False)
    assert distcc.jobs("farm1/8 farm2/16", local=2) == 24
    assert distcc.jobs("farm1/1", local=2) == 2
    assert distcc.jobs(None, local=2) == 2
    monkeypatch.setenv("KWB_JOBS", "40")  # icecream: the farm is the scheduler's business
    assert distcc.jobs(None, local=2) == 40


def test_make_env_sends_ccache_misses_to_distcc(monkeypatch) -> None:
    monkeypatch.setenv("DISTCC_HOSTS", "127.0.0.1:4000/4")
    env = kbuild.make_env()
    assert env["CCACHE_PREFIX"] == "distcc" and env["DISTCC_HOSTS"] == "127.0.0.1:4000/4"
    assert env["CCACHE_DEPEND"] == "true"  # no local preprocessing on a miss either
    monkeypatch.delenv("DISTCC_HOSTS")
    assert "CCACHE_PREFIX" not in kbuild.make_env()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def distccd(log: Path) -> Iterator[str]:
    """distccd on 127.0.0.1 only, in the foreground, for at most 15 minutes; its log (on
    stderr) in ``log``; stopped (its whole process group) on the way out.  Yields the host."""
    if shutil.which("distccd") is None:
        pytest.fail("distccd is missing: it is in ./workbench's APT_PACKAGES")
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["timeout", "900", "distccd", "--daemon", "--no-detach", "--allow", "127.0.0.1",
             "--listen", "127.0.0.1", "--port", str(port), "--jobs", "2", "--log-stderr",
             "--log-level", "info"], stdout=out, stderr=subprocess.STDOUT,
            process_group=0)
    try:
        for _ in range(100):  # listening?
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None:
                pytest.fail(f"distccd exited: {log.read_text()}")
            subprocess.run(["sleep", "0.05"], check=True)
        yield f"127.0.0.1:{port}/2"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _configured_build(cache: Path) -> tuple[Path, Path]:
    """(worktree, build dir) of the machine's newest x86 default-config build (not a cross
    build: this test runs the host's make and gcc in it)."""
    for variant in ("patched", "base"):
        mf = realbuilds.newest(cache, variant)
        if mf is not None:
            data = json.loads(mf.read_text())
            return Path(data["tree"]["worktree"]), mf.parent
    pytest.fail(f"no default-config kernel build in {cache / 'builds'}: run "
                "`./workbench kwb apply-and-build` first")


@pytest.mark.kernel
def test_kernel_objects_build_through_distcc(real_cache: Path, tmp_path: Path,
                                             monkeypatch) -> None:
    wt, objdir = _configured_build(real_cache)
    targets = ["mm/filemap.o", "mm/mmap.o", "lib/sort.o"]
    server_log = tmp_path / "distccd.log"
    build_log = tmp_path / "build.log"
    # the locks first (a colleague's build may hold them a while), then the bounded distccd
    with locks.worktree_lock(wt), locks.objdir_lock(objdir), kbuild.build_lock(), \
            distccd(server_log) as host:
        monkeypatch.setenv("DISTCC_HOSTS", host)
        monkeypatch.setenv("DISTCC_FALLBACK", "0")  # no silent local compile
        monkeypatch.setenv("CCACHE_RECACHE", "1")  # compile for real, not a ccache hit
        for t in targets:
            os.utime(wt / t.replace(".o", ".c"))
        secs, work = kbuild.make_targets(wt, objdir, build_log, targets)
    text = server_log.read_text()
    done = [ln for ln in text.splitlines() if "COMPILE_OK" in ln]
    for t in targets:
        assert any(t.replace(".o", ".c") in ln for ln in done), (t, text[-3000:])
    assert "connection from 127.0.0.1" in text
    log = build_log.read_text()
    assert all(f"CC      {t}" in log for t in targets)
    assert "# exit 0" in log


def test_host_compiles_stay_local_with_distcc(monkeypatch) -> None:
    monkeypatch.setenv("DISTCC_HOSTS", "127.0.0.1:4000/4")
    assert kbuild.host_cc() == "gcc"  # not ccache (CCACHE_PREFIX=distcc), not distcc
    monkeypatch.delenv("DISTCC_HOSTS")
    assert kbuild.host_cc() == ("ccache gcc" if shutil.which("ccache") else "gcc")


@pytest.mark.kernel
def test_why_host_tools_do_not_go_through_distcc(real_cache: Path, tmp_path: Path,
                                                 monkeypatch) -> None:
    """objtool's parse-options.c marks fall-throughs with comments, which distcc's client-side
    preprocessing drops: through the real distccd it fails -Werror=implicit-fallthrough, with
    the HOSTCC and environment kwb's make gets it compiles (a --distcc build in a fresh build
    dir failed on this in CI)."""
    wt, _ = _configured_build(real_cache)
    src = wt / "tools/lib/subcmd"
    flags = ["-Werror=implicit-fallthrough", "-I../../include", "-c", "parse-options.c"]
    with distccd(tmp_path / "distccd.log") as host:
        monkeypatch.setenv("DISTCC_HOSTS", host)
        monkeypatch.setenv("DISTCC_FALLBACK", "0")
        env = {**os.environ, **kbuild.make_env()}
        remote = subprocess.run(["distcc", "gcc", *flags, "-o", str(tmp_path / "r.o")],
                                cwd=src, env=env, capture_output=True, text=True)
        local = subprocess.run([*kbuild.host_cc().split(), *flags, "-o", str(tmp_path / "l.o")],
                               cwd=src, env=env, capture_output=True, text=True)
    assert remote.returncode != 0 and "parse-options.c" in remote.stderr, remote.stderr
    assert local.returncode == 0, local.stderr
