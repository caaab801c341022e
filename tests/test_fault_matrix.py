"""The fault matrix of issue 10: one test per fault, each run as a user would meet it.

Every row runs the real ``kwb`` command line in a process of its own (its own session, as a
shell job) and asserts two things:

* **what the user sees** — a one-paragraph error (no traceback) naming the thing at fault:
  the file, the patch and hunk, the symbol, the panic, the test;
* **what is left behind** — no process of the row alive (every process kwb started carries
  the row's marker in its environment: make, gcc, QEMU are found by it in ``/proc``, whatever
  their process group or session), the user's tree exactly as it was, kwb's worktrees clean
  (``git status``, no ``git am`` in progress), and every log on disk (the build log the error
  points at, the console log with its closing line, the results of the tests that finished).

Rows and how they get there:

* series and tree faults (malformed mbox, an mbox of non-patch mail, a series that does not
  apply, a base commit absent from the tree) run on a small throw-away user tree (``--tree``);
* a cache dir on a full or a read-only file system: a 1 MiB tmpfs mounted by the test;
* a config symbol Kconfig drops, a compile error, SIGINT during the build and two pipelines on
  one build dir run on the **real pinned tree**, in a cache of their own whose repository is a
  ``--shared`` clone of the machine's pinned repository, with the machine's ccache and build
  lock (so the worktree and build dir names match the machine's and ccache hits; the builds
  queue behind any other kernel build on the machine). The broken series
  (``tests/data/faults/compile-error*``) breaks ``kernel/bounds.c``, compiled in the prepare
  stage of every build: a real failing build takes seconds;
* boot and test faults boot the **real kernel** (a snapshot of the machine's patched build)
  with the hermetic ``qemu`` backend under TCG. Where a real kernel must be pushed into the
  state, the push is real and named: the kernel command line gets ``rdinit=`` of an init that
  does not exist (a real panic: no root fs) or of ``sleep`` (a real boot that never gives a
  shell) through ``qemu-system-x86_64`` on ``PATH`` being a wrapper (tests/data/faults/qemu-append)
  that execs the real QEMU with one more ``-append`` word; a guest that stops answering is the
  real QEMU stopped with SIGSTOP.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import realbuilds
from conftest import REAL_CACHE, GitRepo, numbered_file

from harness import paths
from harness.build import tree

DATA = Path(__file__).resolve().parent / "data" / "faults"
COMPILE_ERROR = DATA / "compile-error"
COMPILE_ERROR_B = DATA / "compile-error-b"
QEMU_APPEND = DATA / "qemu-append"
MARK = "KWB_FAULT_ROW"
PINNED_BASE = "801ff5017250a3bf36584f20483d9cd0a8cdd33f"
ABSENT = "0123456789abcdef0123456789abcdef01234567"  # a well-formed commit id no tree has
BUILD_LIMIT = 3600.0  # a real build may queue behind the machine's other kernel builds
BOOT_LIMIT = 600.0


# --------------------------------------------------------------------------- running kwb


@dataclass
class Kwb:
    """One kwb process of a row: started in a session of its own, output in files."""

    args: list[str]
    cache: Path
    marker: str
    proc: subprocess.Popen[bytes]
    out: Path
    err: Path
    cwd: Path

    @property
    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"kwb {' '.join(self.args)} still running after {timeout:.0f}s;"
                                 f"\nstderr:\n{self.stderr[-3000:]}") from None

    def signal_job(self, sig: int) -> None:
        """What a terminal does on Ctrl-C: the signal to kwb's whole process group."""
        os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """Teardown only: kwb and everything carrying the row's marker."""
        for pid in [self.proc.pid, *marked_pids(self.marker)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait()


@dataclass
class Row:
    """The running environment of one row: its marker, its cache, its kwb processes."""

    cache: Path
    work: Path
    marker: str = field(default_factory=lambda: uuid.uuid4().hex)
    env: dict[str, str] = field(default_factory=dict)
    path_prefix: list[Path] = field(default_factory=list)
    started: list[Kwb] = field(default_factory=list)

    def spawn(self, *args: str, cwd: Path = paths.PROJECT_ROOT, name: str = "kwb") -> Kwb:
        n = len(self.started)
        out, err = self.work / f"{name}-{n}.out", self.work / f"{name}-{n}.err"
        env = {**os.environ, "KWB_CACHE": str(self.cache), MARK: self.marker,
               "PYTHONUNBUFFERED": "1", **self.env}
        env.pop("XDG_CACHE_HOME", None)
        if self.path_prefix:
            env["PATH"] = os.pathsep.join([*map(str, self.path_prefix), env["PATH"]])
        with open(out, "wb") as fo, open(err, "wb") as fe:
            proc = subprocess.Popen([sys.executable, "-m", "harness.cli", *args], cwd=cwd,
                                    env=env, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        k = Kwb(list(args), self.cache, self.marker, proc, out, err, cwd)
        self.started.append(k)
        return k

    def run(self, *args: str, timeout: float = 120.0, cwd: Path = paths.PROJECT_ROOT) -> Kwb:
        k = self.spawn(*args, cwd=cwd)
        k.wait(timeout)
        return k

    def cleanup(self) -> None:
        for k in self.started:  # what the user saw, for the report (pytest -rA shows it)
            print(f"$ kwb {' '.join(k.args)}\n[exit {k.proc.poll()}]\n--- stdout\n"
                  f"{k.stdout[-2500:]}--- stderr\n{k.stderr[-2500:]}")
        for k in self.started:
            if k.proc.poll() is None:
                k.kill()
        for pid in marked_pids(self.marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def row(tmp_path: Path) -> Iterator[Row]:
    r = Row(cache=tmp_path / "kwb-cache", work=tmp_path)
    yield r
    r.cleanup()


# --------------------------------------------------------------------------- what is seen


def error_paragraph(k: Kwb, rc: int = 1) -> str:
    """kwb's error: exit status ``rc``, no traceback, one ``kwb: error:`` paragraph at the end
    of stderr (no blank line in it); returned without the prefix."""
    err = k.stderr
    assert k.proc.returncode == rc, f"exit {k.proc.returncode}, not {rc}:\n{err[-3000:]}"
    assert "Traceback" not in err, f"a traceback, not an error message:\n{err[-4000:]}"
    at = err.rfind("kwb: error: ")
    assert at >= 0, f"no 'kwb: error:' line:\n{err[-3000:]}"
    para = err[at + len("kwb: error: "):].rstrip("\n")
    assert "\n\n" not in para, f"not one paragraph:\n{para}"
    return para


def assert_names(text: str, *names: str) -> None:
    missing = [n for n in names if n not in text]
    assert not missing, f"{missing} not named in:\n{text}"


# --------------------------------------------------------------------------- what is left


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def _state(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "X"
    return raw[raw.rfind(")") + 2:].split()[0]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def marked_pids(marker: str) -> list[int]:
    """Live processes (zombies excluded) carrying ``KWB_FAULT_ROW=marker``."""
    needle = f"{MARK}={marker}".encode()
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            pid = int(entry.name)
            if needle in _environ(pid).split(b"\0") and _state(pid) not in ("Z", "X"):
                out.append(pid)
    return out


def marked(marker: str, comm_prefix: str) -> list[int]:
    return [p for p in marked_pids(marker) if _comm(p).startswith(comm_prefix)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def using(*dirs: Path) -> list[int]:
    """Live processes whose command line names one of ``dirs`` (a make -C of a worktree, a
    QEMU booting an initramfs of the row's cache), whatever their environment."""
    needles = [str(d).encode() for d in dirs]
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            pid = int(entry.name)
            if any(n in _cmdline(pid) for n in needles) and _state(pid) not in ("Z", "X"):
                out.append(pid)
    return out


def assert_nothing_running(r: Row, limit: float = 10.0) -> None:
    """No process of the row is alive: no make, no gcc, no QEMU, no kwb — found by the row's
    marker in their environment, or by the row's directories on their command line."""
    deadline = time.monotonic() + limit
    alive = marked_pids(r.marker) + using(r.cache, r.work)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = marked_pids(r.marker) + using(r.cache, r.work)
    assert not alive, "left running: " + ", ".join(
        f"{p} ({_comm(p)}: {_cmdline(p)[:200]!r})" for p in sorted(set(alive)))


def git_out(path: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(path), *args], text=True, capture_output=True,
                          check=True).stdout


def snapshot(repo: Path) -> dict[str, str]:
    """Everything of a user's tree kwb must not touch: HEAD, refs, index and work tree."""
    return {"head": git_out(repo, "rev-parse", "HEAD"),
            "refs": git_out(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
            "status": git_out(repo, "status", "--porcelain", "--ignored"),
            "worktrees": git_out(repo, "worktree", "list", "--porcelain"),
            "stash": git_out(repo, "stash", "list")}


def assert_worktrees_clean(cache: Path) -> list[Path]:
    """Each kwb worktree: nothing modified or untracked, no git am / rebase in progress."""
    found = []
    wts = cache / "worktrees"
    for wt in sorted(wts.iterdir()) if wts.is_dir() else []:
        if not (wt / ".git").exists():
            continue
        found.append(wt)
        status = git_out(wt, "status", "--porcelain")
        assert not status, f"kwb worktree {wt} is not clean:\n{status}"
        for what in ("rebase-apply", "rebase-merge", "MERGE_HEAD"):
            p = Path(git_out(wt, "rev-parse", "--path-format=absolute", "--git-path", what)
                     .strip())
            assert not p.exists(), f"{wt}: {what} left behind"
    return found


def full_log(para: str) -> Path:
    """The log an error points at (``(full log: PATH)``): it must be on disk."""
    m = re.search(r"\(full log: ([^)]+)\)", para)
    assert m, f"the error does not point at its log:\n{para}"
    log = Path(m[1])
    assert log.is_file() and log.stat().st_size > 0, f"{log} missing or empty"
    return log


# --------------------------------------------------------------------------- a user's tree


@pytest.fixture
def user_tree(make_repo: Callable[..., GitRepo], tmp_path: Path) -> tuple[GitRepo, Path]:
    """A small linux.git of a user's (base tagged ``base``, a local change kept in the work
    tree and an untracked file: both must survive) and a one-patch series for it."""
    repo = make_repo("linux")
    repo.commit("Initial import", {"README": "a small tree\n", "src/a.c": numbered_file()})
    repo.git("tag", "base")
    repo.git("checkout", "-q", "-b", "topic")
    repo.edit_line("src/a.c", 5, "line five")
    repo.commit("a: spell five", body="Signed-off-by: Ada Author <ada@example.org>")
    series = tmp_path / "series"
    repo.format_patch("base..topic", series)
    repo.git("checkout", "-q", "main")
    (repo.path / "README").write_text("a small tree\nwith a local edit\n")
    (repo.path / "notes.txt").write_text("untracked\n")
    return repo, series


def tree_args(repo: GitRepo, *series: str, base: str = "base") -> list[str]:
    return ["apply-and-build", "--tree", str(repo.path), "--base", base, *series,
            "--no-selftests"]


# --------------------------------------------------------------------------- series and tree


def test_malformed_mbox(row: Row, user_tree: tuple[GitRepo, Path]) -> None:
    repo, _ = user_tree
    before = snapshot(repo.path)
    mbox = DATA / "malformed.mbox"
    k = row.run(*tree_args(repo, "--mbox", str(mbox)))
    para = error_paragraph(k)
    assert_names(para, f"{mbox} (message 2)", "unparsable mail headers")
    assert snapshot(repo.path) == before
    assert_nothing_running(row)
    assert_worktrees_clean(row.cache)
    assert any(row.cache.glob("builds/*.log"))


def test_mbox_of_non_patch_mail(row: Row, user_tree: tuple[GitRepo, Path]) -> None:
    repo, _ = user_tree
    before = snapshot(repo.path)
    mbox = DATA / "not-patches.mbox"
    k = row.run(*tree_args(repo, "--mbox", str(mbox)))
    para = error_paragraph(k)
    assert_names(para, str(mbox), "'Lunch on Friday?'", "has no diff")
    assert "skipping 1 reply" in k.stderr
    assert snapshot(repo.path) == before
    assert_nothing_running(row)
    assert_worktrees_clean(row.cache)


def test_non_applying_series(row: Row, user_tree: tuple[GitRepo, Path]) -> None:
    """The series was written on a tree where line 4 of src/a.c differs: git am -3 has no
    common blob to fall back on (the user's clone lacks it), so the hunk fails."""
    repo, _ = user_tree
    moved = repo.path.parent / "other"
    shutil.copytree(repo.path, moved)
    other = GitRepo(moved)
    other.git("checkout", "-q", "-b", "elsewhere", "base")
    other.edit_line("src/a.c", 4, "line FOUR, changed upstream")
    other.commit("a: four upstream")
    other.edit_line("src/a.c", 5, "line five, on top of four")
    other.commit("a: five on four", body="Signed-off-by: Ada Author <ada@example.org>")
    series = repo.path.parent / "stale-series"
    other.format_patch("HEAD~1..HEAD", series)
    shutil.rmtree(moved)
    before = snapshot(repo.path)
    k = row.run(*tree_args(repo, "--patches", str(series)))
    para = error_paragraph(k)
    patch = next(series.iterdir())
    assert_names(para, "patch 1/1 'a: five on four'", str(patch), "does not apply",
                 "src/a.c", "@@ -2,7 +2,7 @@", "nothing was left applied")
    log = full_log(para)
    assert "error: patch failed: src/a.c:2" in log.read_text()
    assert snapshot(repo.path) == before
    assert_nothing_running(row)
    (wt,) = assert_worktrees_clean(row.cache)
    assert git_out(wt, "rev-parse", "HEAD").strip() == repo.rev("base")


def test_base_commit_absent_from_the_tree(row: Row, user_tree: tuple[GitRepo, Path]) -> None:
    repo, series = user_tree
    before = snapshot(repo.path)
    k = row.run(*tree_args(repo, "--patches", str(series), base=ABSENT))
    para = error_paragraph(k)
    assert_names(para, f"--base {ABSENT}", "no such commit", str(repo.path))
    assert snapshot(repo.path) == before
    assert_nothing_running(row)
    assert_worktrees_clean(row.cache)


# --------------------------------------------------------------------------- the cache's fs


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs of the test's own, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.fail("mounting a tmpfs needs root (the workbench runs as root)")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], check=True)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "--lazy", str(mnt)], check=False)


def test_cache_on_a_full_file_system(row: Row, user_tree: tuple[GitRepo, Path],
                                     small_mount: Path) -> None:
    repo, series = user_tree
    with open(small_mount / "filler", "wb") as fh:  # fill it up
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    row.cache = small_mount / "kwb"
    before = snapshot(repo.path)
    k = row.run(*tree_args(repo, "--patches", str(series)))
    para = error_paragraph(k)
    assert_names(para, "No space left on device", str(small_mount / "kwb"))
    assert snapshot(repo.path) == before
    assert_nothing_running(row)


def test_cache_on_a_read_only_file_system(row: Row, user_tree: tuple[GitRepo, Path],
                                          small_mount: Path) -> None:
    repo, series = user_tree
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True)
    row.cache = small_mount / "kwb"
    before = snapshot(repo.path)
    k = row.run(*tree_args(repo, "--patches", str(series)))
    para = error_paragraph(k)
    assert_names(para, "Read-only file system", str(small_mount / "kwb"))
    assert snapshot(repo.path) == before
    assert_nothing_running(row)


# --------------------------------------------------------------------------- the real pinned tree


def wait_for(what: str, cond: Callable[[], bool], k: Kwb, limit: float) -> None:
    """Poll ``cond`` (every 20 ms) until true; fail if kwb exits first or ``limit`` passes."""
    deadline = time.monotonic() + limit
    while not cond():
        if k.proc.poll() is not None:
            raise AssertionError(f"kwb exited ({k.proc.returncode}) before {what}:\n"
                                 f"{k.stderr[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {limit:.0f}s:\n{k.stderr[-3000:]}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def pinned_cache(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest,
                 ) -> Path:
    """A kwb cache of the rows' own on the real pinned tree: its repository is a ``--shared``
    clone of the machine's (objects borrowed: nothing of the machine's cache is written but
    ccache), its ccache and build lock are the machine's. Worktree and build dir names are
    those of the machine's cache, so ccache hits; builds queue behind the machine's."""
    real = REAL_CACHE / "repos" / f"{tree.load_pin().slug}.git"
    if not (real / "HEAD").is_file():  # a fresh machine: the real pipeline imports the tree
        request.getfixturevalue("built_kernel")
    cache = tmp_path_factory.mktemp("pinned") / "kwb-cache"
    (cache / "repos").mkdir(parents=True)
    subprocess.run(["git", "clone", "-q", "--bare", "--shared", str(real),
                    str(cache / "repos" / real.name)], check=True)
    assert git_out(cache / "repos" / real.name, "rev-parse", "kwb-pinned").strip() == PINNED_BASE
    (REAL_CACHE / "ccache").mkdir(parents=True, exist_ok=True)
    (REAL_CACHE / "build.lock").touch()
    (cache / "ccache").symlink_to(REAL_CACHE / "ccache")
    (cache / "build.lock").symlink_to(REAL_CACHE / "build.lock")
    return cache


def project_copy(dest: Path) -> Path:
    """A user's copy of this project (harness, kernel-config, patches, selftests), to edit."""
    shutil.copytree(paths.PROJECT_ROOT, dest, ignore=shutil.ignore_patterns(
        ".git", ".venv", "tests", "ci", "docs", "*.egg-info", "__pycache__", ".*_cache"))
    return dest


@pytest.mark.kernel
def test_config_symbol_kconfig_drops(row: Row, pinned_cache: Path, tmp_path: Path) -> None:
    """A user adds a config to kernel-config/ (in their copy of kwb) whose fragment asks for
    a symbol with an unmet dependency and a misspelt one; the real Kconfig drops both."""
    copy = project_copy(tmp_path / "kwb")
    cfg = copy / "kernel-config"
    (cfg / "fault-dropped.config").write_text(
        "# a user's fragment\nCONFIG_KVM_SW_PROTECTED_VM=y\nCONFIG_GUEST_MEMFD_TYPO=y\n")
    with open(cfg / "configs.toml", "a") as fh:
        fh.write('\n[fault-dropped]\nfragments = ["base.config", "fault-dropped.config"]\n')
    row.cache = pinned_cache
    k = row.run("apply-and-build", "--patches", str(COMPILE_ERROR), "--config",
                "fault-dropped", "--no-selftests", cwd=copy, timeout=BUILD_LIMIT)
    para = error_paragraph(k)
    assert_names(para, "CONFIG_KVM_SW_PROTECTED_VM=y (fault-dropped.config:2)",
                 "CONFIG_GUEST_MEMFD_TYPO=y (fault-dropped.config:3)")
    assert "building bzImage" not in k.stderr  # stopped before make
    logs = list(pinned_cache.glob("builds/*-fault-dropped*.log")) or \
        list(pinned_cache.glob("builds/*.log"))
    assert any("olddefconfig" in log.read_text() for log in logs)
    assert_nothing_running(row)
    assert_worktrees_clean(pinned_cache)


@pytest.mark.kernel
def test_base_commit_of_the_cover_letter_absent(row: Row, pinned_cache: Path,
                                                tmp_path: Path) -> None:
    """The series' cover letter names a base-commit the pinned tree does not have."""
    series = tmp_path / "series"
    series.mkdir()
    (patch,) = COMPILE_ERROR.iterdir()
    shutil.copy(patch, series / patch.name)
    cover = series / "0000-cover-letter.patch"
    cover.write_text(
        "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
        "From: Ada Author <ada@example.org>\nDate: Wed, 1 Jan 2025 12:00:00 +0000\n"
        "Subject: [PATCH 0/1] bounds: a series on a base this tree lacks\n\n"
        "Posted on a tree kwb has never seen.\n\n"
        f"base-commit: {ABSENT}\n-- \n2.39.5\n")
    row.cache = pinned_cache
    k = row.run("apply-and-build", "--patches", str(series), "--no-selftests")
    para = error_paragraph(k)
    assert_names(para, f"base-commit {ABSENT}", str(cover), "is not in",
                 "debian:linux-source-6.12", "--base REF")
    assert "checking out" not in k.stderr and "building" not in k.stderr
    assert_nothing_running(row)
    assert_worktrees_clean(pinned_cache)


@pytest.mark.kernel
def test_compile_error_in_the_series(row: Row, pinned_cache: Path) -> None:
    row.cache = pinned_cache
    k = row.run("apply-and-build", "--patches", str(COMPILE_ERROR), "--no-selftests",
                timeout=BUILD_LIMIT)
    para = error_paragraph(k)
    assert_names(para, "build failed", "kernel/bounds.c:24:", "kwb_no_such_lock_t")
    log = full_log(para)
    assert "kwb_no_such_lock_t" in log.read_text()
    assert_nothing_running(row)
    (wt,) = assert_worktrees_clean(pinned_cache)
    assert git_out(wt, "log", "-1", "--format=%s").strip() == \
        "bounds: size the spinlock with a type that does not exist"


@pytest.mark.kernel
def test_sigint_during_the_build(row: Row, pinned_cache: Path) -> None:
    """The real series on the real tree: make compiles for minutes; Ctrl-C once it does."""
    row.cache = pinned_cache
    k = row.spawn("apply-and-build", "--no-selftests")
    wait_for("make at work", lambda: "building bzImage" in k.stderr
             and bool(marked(row.marker, "make")), k, BUILD_LIMIT)
    time.sleep(3)  # compiling (or fetching from ccache): the whole tree is stale
    assert k.proc.poll() is None and marked(row.marker, "make")
    k.signal_job(signal.SIGINT)
    rc = k.wait(60)
    assert rc == 130, k.stderr[-3000:]
    assert "Traceback" not in k.stderr
    assert "kwb: interrupted (exit status 130)" in k.stderr
    assert_nothing_running(row)
    m = re.search(r"building bzImage in \S+ \(log: (\S+)\)", k.stderr)
    assert m, k.stderr
    text = Path(m[1]).read_text()
    assert re.search(r"# interrupted \(SIGINT\) after [\d.]+s: process group \d+ stopped", text)
    assert_worktrees_clean(pinned_cache)


def _log_since(log: Path, offset: int) -> str:
    with open(log, "rb") as fh:
        fh.seek(offset)
        return fh.read().decode(errors="replace")


@pytest.mark.kernel
def test_two_pipelines_on_one_build_dir(row: Row, pinned_cache: Path) -> None:
    """Two real kwb on the same build dir, with series that rewrite the same line: the second
    waits for the whole apply → config → build of the first, then does its own."""
    row.cache = pinned_cache
    logs = {p: p.stat().st_size for p in pinned_cache.glob("builds/*.log")}
    a = row.spawn("apply-and-build", "--patches", str(COMPILE_ERROR), "--no-selftests")
    wait_for("the first kwb at work", lambda: "kwb: series:" in a.stderr, a, 600)
    b = row.spawn("apply-and-build", "--patches", str(COMPILE_ERROR_B), "--no-selftests")
    wait_for("the second kwb waiting", lambda: "waiting" in b.stderr, b, 120)
    assert f"another kwb (pid {a.proc.pid})" in b.stderr
    a.wait(BUILD_LIMIT)
    b.wait(BUILD_LIMIT)
    para_a, para_b = error_paragraph(a), error_paragraph(b)
    assert_names(para_a, "kernel/bounds.c:24:", "kwb_no_such_lock_t")  # A's tree stayed A's
    assert_names(para_b, "kernel/bounds.c:24:", "kwb_other_missing_t")
    log = full_log(para_b)
    assert full_log(para_a) == log
    text = _log_since(log, logs.get(log, 0))
    a_failed = text.index("kwb_no_such_lock_t")
    b_applied = text.index("another missing type")
    assert a_failed < b_applied, "the second kwb applied its series during the first's build"
    assert_nothing_running(row)
    assert_worktrees_clean(pinned_cache)


# --------------------------------------------------------------------------- the real kernel


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A snapshot (bzImage, selftests, manifest) of the machine's patched build, so that a
    build running meanwhile cannot change the kernel under a row; built when there is none."""
    found = realbuilds.newest(REAL_CACHE, "patched")
    src = found if found else request.getfixturevalue("built_kernel").path
    m = json.loads(src.read_text())
    snap = tmp_path_factory.mktemp("kernel")
    art = m["artifacts"]
    shutil.copy2(art["bzImage"], snap / "bzImage")
    selftests = {}
    for name, path in art["selftests"].items():
        dst = snap / "kselftest" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dst)
        selftests[name] = str(dst)
    art.update(objdir=str(snap), bzImage=str(snap / "bzImage"), selftests=selftests)
    (snap / "kwb-manifest.json").write_text(json.dumps(m, indent=2))
    return snap / "kwb-manifest.json"


def boot(r: Row, kernel: Path, tests: str, timeout: float, *, append: str = "") -> Kwb:
    """``kwb boot-and-test --backend qemu`` of the snapshot, results in ``r.work/out``."""
    if append:
        bin_dir = r.work / "bin"
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "qemu-system-x86_64").symlink_to(QEMU_APPEND)
        r.path_prefix.append(bin_dir)
        r.env["KWB_FAULT_APPEND"] = append
    return r.spawn("boot-and-test", "--backend", "qemu", "--manifest", str(kernel),
                   "--tests", tests, "--timeout", f"{timeout:g}", "--out", str(r.work / "out"))


def console_log(r: Row) -> Path | None:
    logs = sorted((r.work / "out").glob("*/console-qemu-*.log"))
    return logs[-1] if logs else None


def console_text(r: Row) -> str:
    log = console_log(r)
    return log.read_text(errors="replace") if log else ""


def closed_console(r: Row) -> str:
    """The console log, on disk and finished with kwb's closing line."""
    text = console_text(r)
    assert text, "no console log"
    assert text.rstrip("\n").splitlines()[-1].startswith("### kwb: console closed:"), \
        "console log not closed:\n" + text[-1500:]
    return text


def results(r: Row) -> dict[str, object]:
    path = r.work / "out" / "results.json"
    assert path.is_file(), "no results.json"
    assert (r.work / "out" / "junit.xml").is_file(), "no junit.xml"
    return json.loads(path.read_text())


def states_of(res: dict[str, object]) -> dict[str, str]:
    """{test name: state} of the single run in results.json (the schema's ``state``)."""
    (run,) = res["runs"]  # type: ignore[index]
    return {t["name"]: t["state"] for t in run["tests"]}  # type: ignore[index]




def in_test(r: Row, name: str) -> Callable[[], bool]:
    """True once the console log shows kwb running test ``name``."""
    return lambda: f"/kwb/tests/{name}" in console_text(r).split("shell ready", 1)[-1]


@pytest.mark.kernel
@pytest.mark.qemu
def test_kernel_panics_at_boot(row: Row, kernel: Path) -> None:
    """The real kernel with ``rdinit=`` of an init that does not exist: no root fs, panic."""
    k = boot(row, kernel, "guest_memfd_test", 30, append="rdinit=/kwb-no-such-init")
    assert k.wait(BOOT_LIMIT) == 4, k.stdout + k.stderr
    assert "Traceback" not in k.stderr
    assert_names(k.stdout, "Kernel panic - not syncing: VFS: Unable to mount root fs",
                 "RESULT: CRASHED", "guest_memfd_test", "not run")
    assert "Kernel panic - not syncing" in closed_console(row)
    assert states_of(results(row)) == {"guest_memfd_test": "error"}
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_kernel_hangs_at_boot(row: Row, kernel: Path) -> None:
    """The real kernel whose init is ``sleep 3600``: it boots, and no shell ever comes."""
    k = boot(row, kernel, "guest_memfd_test", 30, append="rdinit=/bin/sleep -- 3600")
    assert k.wait(BOOT_LIMIT) == 4, k.stdout + k.stderr
    assert "Traceback" not in k.stderr
    assert_names(k.stdout, "kernel hang", "no shell within 120s of boot", "RESULT:",
                 str(console_log(row)))
    assert "Run /bin/sleep as init process" in closed_console(row)
    assert states_of(results(row)) == {"guest_memfd_test": "error"}
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_test_hangs_past_its_timeout(row: Row, kernel: Path) -> None:
    """set_memory_region_test takes longer than 3 s under TCG: interrupted, reported as a
    timeout of that test (kselftest's TIMEOUT), not a kernel hang; the next test runs."""
    k = boot(row, kernel, "set_memory_region_test,guest_memfd_test", 3)
    assert k.wait(BOOT_LIMIT) == 1, k.stdout + k.stderr
    lines = k.stdout.splitlines()
    (smr,) = [ln for ln in lines if ln.startswith("set_memory_region_test ")]
    assert_names(smr, "timeout", "timed out after 3")
    assert "RESULT: FAILED (exit status 1)" in lines
    summary = k.stdout.split(" json: ")[0].lower()
    assert "hang" not in summary and "crash" not in summary
    assert states_of(results(row)) == {"set_memory_region_test": "timeout",
                                         "guest_memfd_test": "pass"}
    closed_console(row)
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_guest_stops_answering(row: Row, kernel: Path) -> None:
    """The real QEMU is stopped (SIGSTOP) while a test runs: no output, no answer to Ctrl-C
    or a newline; kwb kills it after the timeout and two grace periods and says so."""
    k = boot(row, kernel, "set_memory_region_test,guest_memfd_test", 10)
    wait_for("set_memory_region_test running", in_test(row, "set_memory_region_test"), k,
             BOOT_LIMIT)
    (qemu,) = marked(row.marker, "qemu-system")
    os.kill(qemu, signal.SIGSTOP)
    rc = k.wait(120)
    assert "Traceback" not in k.stderr
    assert rc == 4, k.stdout + k.stderr
    assert_names(k.stdout, "set_memory_region_test", "guest stopped answering",
                 "RESULT: CRASHED")
    assert states_of(results(row)) == {"set_memory_region_test": "hang",
                                         "guest_memfd_test": "error"}
    assert "guest stopped answering" in closed_console(row)
    assert_nothing_running(row)


def _interrupted_run(row: Row, kernel: Path, sig: int) -> Kwb:
    """Signal kwb while the second of two tests runs (the first has passed by then)."""
    k = boot(row, kernel, "guest_memfd_test,set_memory_region_test", 120)
    wait_for("set_memory_region_test running", in_test(row, "set_memory_region_test"), k,
             BOOT_LIMIT)
    k.signal_job(sig)
    k.wait(60)
    return k


def assert_interrupted_results(row: Row, result: str, status: int) -> None:
    """results.json is written, marked interrupted, with the test that had finished."""
    res = results(row)
    assert res["interrupted"] is True
    assert res["verdict"]["result"] == result  # type: ignore[index]
    assert res["verdict"]["exit_status"] == status  # type: ignore[index]
    states = states_of(res)
    assert states.get("guest_memfd_test") == "pass", states
    assert states.get("set_memory_region_test") in (None, "not-run"), states
    assert (row.work / "out" / "junit.xml").is_file()


@pytest.mark.kernel
@pytest.mark.qemu
def test_sigint_during_boot(row: Row, kernel: Path) -> None:
    k = boot(row, kernel, "guest_memfd_test", 120)
    wait_for("QEMU booting", lambda: bool(marked(row.marker, "qemu-system"))
             and "Linux version" in console_text(row), k, BOOT_LIMIT)
    assert "shell ready" not in console_text(row)
    k.signal_job(signal.SIGINT)
    assert k.wait(60) == 130, k.stderr[-3000:]
    assert "Traceback" not in k.stderr
    assert_names(k.stderr, "interrupted by SIGINT", str(row.work / "out"))
    assert_names(k.stdout, "RESULT: INTERRUPTED (exit status 130)", "not run: guest_memfd_test")
    assert "SIGINT" in closed_console(row).splitlines()[-1]
    res = results(row)
    assert res["interrupted"] is True and states_of(res) == {}
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_sigint_during_a_test(row: Row, kernel: Path) -> None:
    k = _interrupted_run(row, kernel, signal.SIGINT)
    assert k.proc.returncode == 130, k.stderr[-3000:]
    assert "Traceback" not in k.stderr
    assert_names(k.stderr, "interrupted by SIGINT", str(row.work / "out"))
    assert "SIGINT" in closed_console(row).splitlines()[-1]
    assert_names(k.stdout, "RESULT: INTERRUPTED (exit status 130)")
    assert_interrupted_results(row, "INTERRUPTED", 130)
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_sigterm_during_a_test(row: Row, kernel: Path) -> None:
    k = _interrupted_run(row, kernel, signal.SIGTERM)
    assert k.proc.returncode == 143, k.stderr[-3000:]
    assert "Traceback" not in k.stderr
    assert_names(k.stderr, "interrupted by SIGTERM", str(row.work / "out"))
    assert "terminated" in closed_console(row).splitlines()[-1]
    assert_names(k.stdout, "RESULT: TERMINATED (exit status 143)")
    assert_interrupted_results(row, "TERMINATED", 143)
    assert_nothing_running(row)


@pytest.mark.kernel
@pytest.mark.qemu
def test_sigkill_during_a_test(row: Row, kernel: Path) -> None:
    """kwb cannot clean up after SIGKILL: QEMU must die with it (PR_SET_PDEATHSIG), and the
    console log so far stays on disk."""
    k = _interrupted_run(row, kernel, signal.SIGKILL)
    assert k.proc.returncode == -signal.SIGKILL
    assert_nothing_running(row)
    text = console_text(row)
    assert "/kwb/tests/set_memory_region_test" in text and "Linux version" in text
