"""Unit tests of harness.bisect on small synthetic git histories (no kernel).

The stages are played by ``FakeGitPipeline``, a TEST FAKE: ``git am -3`` of a one-patch
series, ``sh build.sh`` (fails on a ``#error`` line, printing compiler-style errors) and
``sh test.sh NAME`` — real git and real commands on a tiny repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import bisect as bs
from harness import paths
from harness.build import tree

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_AUTHOR_DATE": "2024-06-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-06-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C",
}

GMEM_C = """\
/* gmem core */
int gmem_context = 1;

int gmem_unrelated_a;
int gmem_unrelated_b;
int gmem_unrelated_c;
int gmem_unrelated_d;

int punch_hole(void) { return 0; } /* punch_hole_ok */
"""

BUILD_SH = """\
#!/bin/sh
# the fake "compiler": any C file with a #error line fails the build
status=0
for f in $(git ls-files '*.c'); do
    line=$(grep -n '^#error' "$f" | head -n 1 | cut -d: -f1)
    if [ -n "$line" ]; then
        echo "$f:$line:1: error: #error in $f"
        status=1
    fi
done
exit $status
"""

TEST_SH = """\
#!/bin/sh
case "$1" in
gmem) grep -q punch_hole_ok core/gmem.c ;;
series) test -f core/series.c ;;
*) echo "no such test $1"; exit 4 ;;
esac
"""


def git(cwd: Path, *args: str) -> str:
    res = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, text=True,
                         capture_output=True)
    assert res.returncode == 0, f"git {args}: {res.stderr}"
    return res.stdout.strip()


@dataclass
class Repo:
    path: Path  # the user's repository (a normal checkout)
    commits: list[str]  # c0 (good end) .. cN (bad end)
    patches: list[Path]


def make_repo(root: Path, n: int = 10, *, context_at: int | None = None,
              behaviour_at: int | None = None, unrelated_break: tuple[int, int] | None = None,
              series_file_break_at: int | None = None) -> Repo:
    """c0 .. cn on branch main.  At commit ``context_at`` the line the series changes is edited
    (the series stops applying); at ``behaviour_at`` the gmem test starts failing; in
    [start, end) of ``unrelated_break`` drivers/other.c has a #error (a build failure the
    series has nothing to do with); at ``series_file_break_at`` core/gmem.c gets a #error."""
    repo = root / "user"
    (repo / "core").mkdir(parents=True)
    (repo / "drivers").mkdir()
    (repo / "docs").mkdir()
    git(root, "init", "-q", "-b", "main", str(repo))
    (repo / "core" / "gmem.c").write_text(GMEM_C)
    (repo / "drivers" / "other.c").write_text("int other;\n")
    (repo / "docs" / "notes.txt").write_text("notes\n")
    (repo / "build.sh").write_text(BUILD_SH)
    (repo / "test.sh").write_text(TEST_SH)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c0: initial")
    commits = [git(repo, "rev-parse", "HEAD")]

    # the series: one patch on c0 changing the gmem_context line and adding core/series.c
    scratch = root / "series-src"
    git(root, "clone", "-q", str(repo), str(scratch))
    gm = scratch / "core" / "gmem.c"
    gm.write_text(gm.read_text().replace("int gmem_context = 1;", "int gmem_context = 2;"))
    (scratch / "core" / "series.c").write_text("int series;\n")
    git(scratch, "add", "-A")
    git(scratch, "commit", "-q", "-m", "gmem: the series")
    pdir = root / "patches"
    git(scratch, "format-patch", "-q", "-1", "-o", str(pdir))
    patches = sorted(pdir.glob("*.patch"))

    gmem = repo / "core" / "gmem.c"
    other = repo / "drivers" / "other.c"
    for i in range(1, n + 1):
        what = []
        if i == context_at:
            gmem.write_text(gmem.read_text().replace(
                "int gmem_context = 1;", "int gmem_context = 1; /* upstream tweak */"))
            what.append("gmem: tweak the context")
        if i == behaviour_at:
            gmem.write_text(gmem.read_text().replace("punch_hole_ok", "punch_hole_einval"))
            what.append("gmem: break punch_hole")
        if i == series_file_break_at:
            gmem.write_text(gmem.read_text() + "#error upstream broke gmem\n")
            what.append("gmem: break the build")
        if unrelated_break and i == unrelated_break[0]:
            other.write_text("#error broken driver\nint other;\n")
            what.append("other: break the build")
        if unrelated_break and i == unrelated_break[1]:
            other.write_text("int other;\n")
            what.append("other: fix the build")
        if not what:
            with open(repo / "docs" / "notes.txt", "a") as fh:
                fh.write(f"churn {i}\n")
            what.append("docs: churn")
        git(repo, "commit", "-q", "-a", "-m", f"c{i}: {', '.join(what)}")
        commits.append(git(repo, "rev-parse", "HEAD"))
    return Repo(repo, commits, patches)


class FakeGitPipeline:
    """TEST FAKE of the real pipeline (apply / build / boot+test): real git and real commands
    on the synthetic repo, no kernel.  Records what it was asked to do."""

    def __init__(self, patches: Sequence[Path], scratch: Path) -> None:
        self.patches = [str(p) for p in patches]
        self.scratch = scratch
        self.touched = sorted({ln[6:] for p in patches for ln in p.read_text().splitlines()
                               if ln.startswith("+++ b/")})
        self.calls: list[tuple[str, str]] = []

    def _log(self, name: str) -> Path:
        d = bs.step_log_dir() or self.scratch
        d.mkdir(parents=True, exist_ok=True)
        return d / f"{name}.log"

    def _run(self, cmd: list[str], cwd: Path, log: Path) -> tuple[int, str]:
        res = subprocess.run(cmd, cwd=cwd, env={**os.environ, **GIT_ENV}, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        with open(log, "a") as fh:
            fh.write(f"$ {' '.join(cmd)}\n{res.stdout}")
        return res.returncode, res.stdout

    def apply(self, worktree: Path, commit: str) -> bs.ApplyOutcome:
        self.calls.append(("apply", commit))
        log = self._log("apply")
        rc, out = self._run(["git", "am", "-3", *self.patches], worktree, log)
        if rc != 0:
            self._run(["git", "am", "--abort"], worktree, log)
            return bs.ApplyOutcome(False, out, self.touched, str(log))
        return bs.ApplyOutcome(True, "applied", self.touched, str(log))

    def build(self, worktree: Path) -> bs.BuildOutcome:
        self.calls.append(("build", git(worktree, "rev-parse", "HEAD")))
        log = self._log("build")
        rc, out = self._run(["sh", "build.sh"], worktree, log)
        errors = re.findall(r"^(\S+?):\d+:\d+: error", out, re.M)
        return bs.BuildOutcome(rc == 0, out, errors, str(log))

    def test(self, worktree: Path, tests: Sequence[str]) -> bs.TestResults:
        log = self._log("test")
        statuses = {}
        for name in tests:
            rc, _ = self._run(["sh", "test.sh", name], worktree, log)
            statuses[name] = {0: "pass", 1: "fail"}.get(rc, "skip")
        return bs.TestResults(statuses, [str(log)])


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KWB_CACHE", str(tmp_path / "cache"))
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    return tmp_path / "cache"


def tool_tree(repo: Repo) -> tree.Tree:
    return tree.user_tree(repo.path, "main")


def steps_json(bisect_id: str) -> dict:
    return json.loads((paths.runs_dir() / f"bisect-{bisect_id}" / "steps.json").read_text())


def snapshot(repo: Path) -> dict:
    """Everything of a user's repository the tool must not change."""
    files = {}
    for p in sorted(repo.rglob("*")):
        if p.is_file() and ".git" not in p.relative_to(repo).parts:
            files[str(p.relative_to(repo))] = p.read_bytes()
    gitdir = repo / ".git"
    return {
        "head": git(repo, "rev-parse", "HEAD"),
        "symbolic": git(repo, "symbolic-ref", "HEAD"),
        "refs": git(repo, "show-ref"),
        "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
        "gitdir": sorted(p.name for p in gitdir.iterdir()),
        "index": (gitdir / "index").read_bytes(),
        "files": files,
    }


# --------------------------------------------------------------------------- the criteria


def test_series_stops_applying_at_k(tmp_path):
    repo = make_repo(tmp_path, 10, context_at=6)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("apply", pipe), bisect_id="apply", criterion="apply")
    assert res.status == "found" and res.exit_code == 0
    assert res.first_bad == repo.commits[6]
    assert res.subject == "c6: gmem: tweak the context"
    assert res.evidence.kind == "bad" and res.evidence.stage == "apply"
    assert "no longer applies" in res.evidence.why
    assert res.evidence.logs and Path(res.evidence.logs[0]).is_file()
    assert res.n_steps == len(res.steps) <= 5
    assert "c5" in res.parent_evidence or "good" in res.parent_evidence
    assert ("build", repo.commits[6]) not in pipe.calls  # apply criterion: nothing built
    log = steps_json("apply")
    assert log["status"] == "found" and log["result"]["first_bad"] == repo.commits[6]
    assert [s["commit"] for s in log["steps"]] == [s.commit for s in res.steps]
    for s in log["steps"]:
        assert {"commit", "subject", "verdict", "why", "seconds", "logs", "marked"} <= set(s)
        assert s["marked"] is True
    assert "first bad commit: " + repo.commits[6] in res.summary()


@pytest.mark.parametrize("k", [1, 4, 10])
def test_predicate_fails_from_k(tmp_path, k):
    repo = make_repo(tmp_path, 10, behaviour_at=k)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("test:gmem", pipe), bisect_id=f"pred{k}")
    assert res.status == "found"
    assert res.first_bad == repo.commits[k]
    assert res.evidence.kind == "bad"
    if any(s.commit == repo.commits[k] for s in res.steps):
        assert res.evidence.stage == "test" and res.evidence.why == "test gmem fails (fail)"
    else:  # k = N: the bad end itself, which the user vouched for
        assert k == 10 and "bad end" in res.evidence.why
    assert all(s.verdict in ("good", "bad") for s in res.steps)


def test_regression_against_the_good_end(tmp_path):
    repo = make_repo(tmp_path, 8, behaviour_at=3)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    step = bs.make_step("regression", pipe, ["gmem", "series"])
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1], step,
                    bisect_id="regr", criterion="regression", tests=["gmem", "series"])
    assert res.first_bad == repo.commits[3]
    assert "gmem" in res.evidence.why and "regression" in res.evidence.why
    log = steps_json("regr")
    assert log["baseline"]["commit"] == repo.commits[0]
    assert log["baseline"]["results"] == {"gmem": "pass", "series": "pass"}


def test_unrelated_build_failure_is_skipped_and_said(tmp_path):
    repo = make_repo(tmp_path, 12, behaviour_at=9, unrelated_break=(4, 8))
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("test:gmem", pipe), bisect_id="skip")
    assert res.status == "found"
    assert res.first_bad == repo.commits[9]
    skipped = [s for s in res.steps if s.verdict == "skip"]
    assert skipped, "the bisection should have landed on an unbuildable base"
    for s in skipped:
        assert s.commit in repo.commits[4:8]
        assert s.stage == "build"
        assert "drivers/other.c" in s.why and "does not touch" in s.why
        assert "exit 125" in s.why
    assert "skipped bases:" in res.summary()


def test_skip_that_hides_the_answer_is_inconclusive(tmp_path):
    repo = make_repo(tmp_path, 8, behaviour_at=5, unrelated_break=(5, 6))
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("test:gmem", pipe), bisect_id="hidden")
    assert res.status == "inconclusive" and res.exit_code == 2
    assert res.first_bad is None
    assert [c for c, _ in res.candidates] == [repo.commits[5], repo.commits[6]]
    text = res.summary()
    assert "inconclusive" in text and "does not touch" in text
    assert f"range: {repo.commits[5][:12]}^..{repo.commits[6][:12]}" in text
    assert steps_json("hidden")["status"] == "inconclusive"


def test_build_failure_in_a_series_file_is_bad(tmp_path):
    repo = make_repo(tmp_path, 8, series_file_break_at=5)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("test:gmem", pipe), bisect_id="ours")
    assert res.first_bad == repo.commits[5]
    assert res.evidence.stage == "build"
    assert "files the series touches (core/gmem.c)" in res.evidence.why


def test_build_criterion_counts_any_build_break(tmp_path):
    repo = make_repo(tmp_path, 8, unrelated_break=(3, 99))
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                    bs.make_step("build", pipe), bisect_id="build")
    assert res.first_bad == repo.commits[3]
    assert res.evidence.stage == "build" and "drivers/other.c" in res.evidence.why


# --------------------------------------------------------------------------- interruption


class InterruptOnce:
    """Wraps a step; raises KeyboardInterrupt on call number ``at`` (once)."""

    def __init__(self, step: bs.Step, at: int) -> None:
        self.step, self.at, self.calls = step, at, 0

    def __call__(self, commit: str, worktree: Path) -> bs.Verdict:
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return self.step(commit, worktree)


def reference(tmp_path: Path, repo: Repo, criterion: str = "test:gmem") -> bs.BisectResult:
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    return bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[-1],
                     bs.make_step(criterion, pipe), bisect_id="reference")


def test_interrupt_then_resume_gives_the_same_answer(tmp_path):
    repo = make_repo(tmp_path, 12, behaviour_at=7)
    ref = reference(tmp_path, repo)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           criterion="test:gmem", bisect_id="intr")
    with pytest.raises(bs.BisectInterrupted) as info:
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    assert info.value.exit_code == bs.EXIT_INTERRUPTED
    assert "kwb bisect --resume intr" in str(info.value)
    assert "kwb bisect --reset intr" in str(info.value)
    log = steps_json("intr")
    assert log["status"] == "interrupted" and len(log["steps"]) == 1
    assert any(e["event"] == "interrupt" for e in log["events"])
    assert "git bisect good" in git(b.worktree, "bisect", "log")  # git state kept

    again = bs.Bisection.load("intr")
    assert again.state.criterion == "test:gmem"
    res = again.run(bs.make_step(again.state.criterion, pipe))
    assert res.first_bad == ref.first_bad == repo.commits[7]
    assert [s.commit for s in res.steps] == [s.commit for s in ref.steps]
    log = steps_json("intr")
    assert [s["commit"] for s in log["steps"]] == [s.commit for s in ref.steps]
    assert [s["n"] for s in log["steps"]] == list(range(1, len(ref.steps) + 1))
    assert [e["event"] for e in log["events"]][-3:] == ["interrupt", "resume", "end"]
    # a finished bisection loads again with its result, running nothing
    done = bs.Bisection.load("intr").run(InterruptOnce(bs.make_step("apply", pipe), at=1))
    assert done.first_bad == res.first_bad and done.n_steps == res.n_steps


def test_resume_latest_without_id(tmp_path):
    repo = make_repo(tmp_path, 6, behaviour_at=2)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="latest")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=1))
    assert bs.Bisection.load().id == "latest"
    assert bs.Bisection.load().run(bs.make_step("test:gmem", pipe)).first_bad == repo.commits[2]
    with pytest.raises(bs.BisectError, match="no unfinished"):
        bs.Bisection.load()


def test_resume_rebuilds_a_lost_worktree_from_the_step_log(tmp_path):
    repo = make_repo(tmp_path, 12, behaviour_at=7)
    ref = reference(tmp_path, repo)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="lost")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=3))
    shutil.rmtree(b.worktree)  # the worktree, with git's bisect state, is gone
    res = bs.Bisection.load("lost").run(bs.make_step("test:gmem", pipe))
    assert res.first_bad == ref.first_bad
    assert [s.commit for s in res.steps] == [s.commit for s in ref.steps]
    assert any(e["event"] == "replay" for e in steps_json("lost")["events"])


def test_resume_marks_a_verdict_git_never_heard_of(tmp_path):
    """Killed between writing the verdict and telling git: resume tells git, re-runs nothing."""
    repo = make_repo(tmp_path, 12, behaviour_at=7)
    ref = reference(tmp_path, repo)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="unmarked")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=3))
    # forge the crash window: the last verdict is on record, git did not hear of it
    state = steps_json("unmarked")
    state["steps"][-1]["marked"] = False
    (paths.runs_dir() / "bisect-unmarked" / "steps.json").write_text(json.dumps(state))
    git(b.worktree, "bisect", "reset")
    git(b.worktree, "bisect", "start", "--no-checkout", repo.commits[-1], repo.commits[0])
    first = state["steps"][0]
    git(b.worktree, "bisect", first["verdict"], first["commit"])
    counting = InterruptOnce(bs.make_step("test:gmem", pipe), at=0)
    res = bs.Bisection.load("unmarked").run(counting)
    assert res.first_bad == ref.first_bad
    assert counting.calls == len(ref.steps) - 2  # the two recorded steps were not re-run


def test_resume_refuses_a_state_changed_by_hand(tmp_path):
    repo = make_repo(tmp_path, 12, behaviour_at=7)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="hand")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    git(b.worktree, "bisect", "skip", repo.commits[1])
    with pytest.raises(bs.BisectError, match="changed by hand"):
        bs.Bisection.load("hand").run(bs.make_step("test:gmem", pipe))


def test_step_crash_keeps_the_state_resumable(tmp_path):
    repo = make_repo(tmp_path, 8, behaviour_at=5)
    pipe = FakeGitPipeline(repo.patches, tmp_path)

    def crashing(commit: str, worktree: Path) -> bs.Verdict:
        raise RuntimeError("disk full")

    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="crash")
    with pytest.raises(bs.BisectError, match="disk full.*--resume crash"):
        b.run(crashing)
    assert steps_json("crash")["status"] == "failed"
    res = bs.Bisection.load("crash").run(bs.make_step("test:gmem", pipe))
    assert res.first_bad == repo.commits[5]


def test_max_steps_pauses_resumably(tmp_path):
    repo = make_repo(tmp_path, 12, behaviour_at=7)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           bisect_id="pause")
    with pytest.raises(bs.BisectError, match="stopped after 2 step"):
        b.run(bs.make_step("test:gmem", pipe), max_steps=2)
    assert len(steps_json("pause")["steps"]) == 2
    assert bs.Bisection.load("pause").run(bs.make_step("test:gmem", pipe)).first_bad == \
        repo.commits[7]


# --------------------------------------------------------------------------- reset, isolation


def test_reset_leaves_no_bisect_state(tmp_path):
    repo = make_repo(tmp_path, 8, behaviour_at=5)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    t = tool_tree(repo)
    b = bs.Bisection.start(t, repo.commits[0], repo.commits[-1], bisect_id="rst")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    wt = b.worktree
    assert (wt / ".git").exists()
    bs.Bisection.load("rst").reset()
    assert not wt.exists()
    assert not list(t.repo.glob("BISECT_*")) and not list(t.repo.glob("worktrees/*"))
    assert t.git("worktree", "list").count("\n") == 0  # only the bare repo itself
    assert t.git("for-each-ref", "refs/bisect") == ""
    assert steps_json("rst")["status"] == "reset"
    with pytest.raises(bs.BisectError, match="was reset"):
        bs.Bisection.load("rst").run(bs.make_step("test:gmem", pipe))
    # the same ends can be bisected again afresh
    res = bs.bisect(t, repo.commits[0], repo.commits[-1], bs.make_step("test:gmem", pipe),
                    bisect_id="rst2")
    assert res.first_bad == repo.commits[5]


def test_list_show_reset_commands(tmp_path, capsys):
    repo = make_repo(tmp_path, 6, behaviour_at=3)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           criterion="test:gmem", bisect_id="cmd")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    capsys.readouterr()
    assert bs.main(["list"]) == 0
    assert "cmd  interrupted    1 step(s)  test:gmem" in capsys.readouterr().out
    assert bs.main(["show", "cmd"]) == 0
    out = capsys.readouterr().out
    assert "resume: kwb bisect --resume cmd" in out and " 1. " in out
    assert bs.main(["stats", "cmd", "--cold-seconds", "100"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["n_steps"] == 1 and stats["per_step"][0]["verdict"] in ("good", "bad")
    assert stats["warm_to_cold_ratio"] is not None
    assert bs.main(["reset", "cmd"]) == 0
    assert steps_json("cmd")["status"] == "reset" and not b.worktree.exists()
    assert bs.main(["show", "nope"]) == 1


def test_kwb_bisect_list_show_stats_from_the_cli(tmp_path, capsys):
    from harness import cli

    repo = make_repo(tmp_path, 6, behaviour_at=3)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    b = bs.Bisection.start(tool_tree(repo), repo.commits[0], repo.commits[-1],
                           criterion="test:gmem", bisect_id="viacli")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    capsys.readouterr()
    assert cli.main(["bisect", "list"]) == 0
    assert "viacli  interrupted" in capsys.readouterr().out
    assert cli.main(["bisect", "show", "viacli"]) == 0
    assert "resume: kwb bisect --resume viacli" in capsys.readouterr().out
    assert cli.main(["bisect", "stats", "viacli"]) == 0
    assert json.loads(capsys.readouterr().out)["n_steps"] == 1
    assert cli.main(["bisect", "show", "nope"]) == 1
    assert cli.main(["bisect", "reset", "viacli"]) == 0
    assert steps_json("viacli")["status"] == "reset"


def test_finished_bisection_leaves_no_git_state(tmp_path):
    repo = make_repo(tmp_path, 6, behaviour_at=3)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    t = tool_tree(repo)
    b = bs.Bisection.start(t, repo.commits[0], repo.commits[-1], bisect_id="fin")
    b.run(bs.make_step("test:gmem", pipe))
    assert not b.worktree.exists() and not list(t.repo.glob("worktrees/*"))
    rd = paths.runs_dir() / "bisect-fin"
    assert "git bisect start" in (rd / "bisect.log").read_text()
    assert "first bad commit" in (rd / "result.txt").read_text()
    assert "fin" in bs.list_ids()


def test_users_repository_is_untouched(tmp_path):
    repo = make_repo(tmp_path, 10, behaviour_at=6, unrelated_break=(2, 4))
    (repo.path / "wip.txt").write_text("uncommitted work\n")  # a dirty checkout
    git(repo.path, "checkout", "-q", "-b", "topic", repo.commits[3])
    before = snapshot(repo.path)
    pipe = FakeGitPipeline(repo.patches, tmp_path)
    t = tree.user_tree(repo.path, "main")
    assert paths.cache_root() in t.repo.parents
    b = bs.Bisection.start(t, repo.commits[0], "main", bisect_id="iso")
    with pytest.raises(bs.BisectInterrupted):
        b.run(InterruptOnce(bs.make_step("test:gmem", pipe), at=2))
    assert paths.cache_root() in b.worktree.parents
    assert snapshot(repo.path) == before  # mid-bisection
    res = bs.Bisection.load("iso").run(bs.make_step("test:gmem", pipe))
    assert res.first_bad == repo.commits[6]
    assert snapshot(repo.path) == before
    bs.bisect(t, repo.commits[0], "main", bs.make_step("apply", pipe), bisect_id="iso2")
    assert snapshot(repo.path) == before


def test_bad_ends_are_refused(tmp_path):
    repo = make_repo(tmp_path, 3)
    t = tool_tree(repo)
    with pytest.raises(bs.BisectError, match="not an ancestor"):
        bs.Bisection.start(t, repo.commits[-1], repo.commits[0])
    with pytest.raises(bs.BisectError, match="no such commit"):
        bs.Bisection.start(t, "nope", repo.commits[0])
    with pytest.raises(bs.BisectError, match="same commit"):
        bs.Bisection.start(t, "main", repo.commits[-1])
    bs.Bisection.start(t, repo.commits[0], "main", bisect_id="dup")
    with pytest.raises(bs.BisectError, match="exists already"):
        bs.Bisection.start(t, repo.commits[0], "main", bisect_id="dup")


def test_adjacent_ends_need_no_step(tmp_path):
    repo = make_repo(tmp_path, 1)
    res = bs.bisect(tool_tree(repo), repo.commits[0], repo.commits[1],
                    bs.make_step("apply", FakeGitPipeline(repo.patches, tmp_path)))
    assert res.first_bad == repo.commits[1] and res.n_steps == 0
    assert "bad end" in res.evidence.why


# --------------------------------------------------------------------------- the decision table


class StubPipeline:
    """TEST FAKE with canned outcomes: no git, no commands."""

    def __init__(self, *, applies: bool = True, builds: bool = True,
                 error_files: Sequence[str] = (), tests: dict[str, str] | None = None,
                 raise_in_test: bs.StageError | None = None) -> None:
        self.applies, self.builds, self.error_files = applies, builds, list(error_files)
        self.results, self.raise_in_test = tests or {}, raise_in_test

    def apply(self, worktree, commit):
        return bs.ApplyOutcome(self.applies, "ok" if self.applies else "patch 2/4 failed",
                               ["mm/filemap.c", "virt/kvm/guest_memfd.c"])

    def build(self, worktree):
        return bs.BuildOutcome(self.builds, "" if self.builds else "error: boom",
                               self.error_files)

    def test(self, worktree, tests):
        if self.raise_in_test:
            raise self.raise_in_test
        return {t: self.results.get(t, "missing") for t in tests}


WT = Path("/nonexistent/wt")


@pytest.mark.parametrize(("criterion", "pipe", "kind", "stage", "words"), [
    ("apply", StubPipeline(applies=False), "bad", "apply", "no longer applies"),
    ("apply", StubPipeline(builds=False), "good", "apply", "applies"),
    ("build", StubPipeline(applies=False), "skip", "apply", "does not apply"),
    ("build", StubPipeline(builds=False, error_files=["drivers/x.c"]), "bad", "build",
     "drivers/x.c"),
    ("test:t", StubPipeline(applies=False), "skip", "apply", "exit 125"),
    ("test:t", StubPipeline(builds=False, error_files=["drivers/x.c"]), "skip", "build",
     "does not touch"),
    ("test:t", StubPipeline(builds=False), "skip", "build", "unknown place"),
    ("test:t", StubPipeline(builds=False, error_files=[
        "/nonexistent/wt/virt/kvm/guest_memfd.c:12:3"]), "bad", "build", "guest_memfd.c"),
    ("test:t", StubPipeline(builds=False, error_files=["../../src/mm/filemap.c"]), "bad",
     "build", "mm/filemap.c"),
    ("test:t", StubPipeline(builds=False, error_files=[
        "../../worktrees/x-patched/mm/filemap.c:12:3: error: boom"]), "bad", "build",
     "mm/filemap.c"),
    ("test:t", StubPipeline(tests={"t": "PASS"}), "good", "test", "passes"),
    ("test:t", StubPipeline(tests={"t": "fail"}), "bad", "test", "fails"),
    ("test:t", StubPipeline(tests={"t": "crash"}), "bad", "test", "fails"),
    ("test:t", StubPipeline(tests={"t": "timeout"}), "skip", "test", "no answer"),
    ("test:t", StubPipeline(tests={}), "skip", "test", "missing"),
    ("test:t", StubPipeline(raise_in_test=bs.StageError("boot", "no login prompt")), "skip",
     "boot", "boot failed"),
])
def test_decision_table(criterion, pipe, kind, stage, words):
    v = bs.make_step(criterion, pipe)("c" * 40, WT)
    assert (v.kind, v.stage) == (kind, stage), v
    assert words in v.why


def test_regression_decisions():
    base = {"a": "pass", "b": "pass", "c": "fail"}

    def judge(pipe: StubPipeline) -> bs.Verdict:
        step = bs.make_step("regression", pipe, ["a", "b", "c"])
        assert isinstance(step, bs.Baselined)
        step.load_baseline(base)
        return step("c" * 40, WT)

    assert judge(StubPipeline(tests={"a": "pass", "b": "pass", "c": "fail"})).kind == "good"
    v = judge(StubPipeline(tests={"a": "pass", "b": "fail", "c": "fail"}))
    assert v.kind == "bad" and v.why == "regression against the good end: b pass -> fail"
    assert judge(StubPipeline(tests={"a": "pass", "b": "error", "c": "pass"})).kind == "skip"
    v = judge(StubPipeline(raise_in_test=bs.StageError("boot", "panic")))
    assert (v.kind, v.stage) == ("bad", "boot")
    with pytest.raises(bs.BisectError, match="needs the tests"):
        bs.make_step("regression", StubPipeline())
    step = bs.make_step("regression", StubPipeline(tests={"a": "fail"}), ["a"])
    with pytest.raises(bs.BisectError, match="no test passes at the good end"):
        step.measure_baseline("c" * 40, WT)
    step = bs.make_step("regression", StubPipeline(applies=False), ["a"])
    with pytest.raises(bs.BisectError, match="good end .* is not good"):
        step.measure_baseline("c" * 40, WT)


def test_criterion_parse():
    assert str(bs.Criterion.parse("test:guest_memfd_test")) == "test:guest_memfd_test"
    assert bs.Criterion.parse(" regression ").kind == "regression"
    for bad in ("test:", "boot", ""):
        with pytest.raises(bs.BisectError, match="unknown bisect criterion"):
            bs.Criterion.parse(bad)
    with pytest.raises(ValueError):
        bs.Verdict("maybe", "?")  # type: ignore[arg-type]


def test_step_stats():
    def rec(n: int, secs: float, build: float) -> bs.StepRecord:
        return bs.StepRecord(n, "c" * 40, "s", "good", "", "test", [], secs, 0.1, "",
                             {"build": build})
    stats = bs.step_stats([rec(1, 100, 90), rec(2, 30, 20), rec(3, 40, 30)],
                          cold_build_seconds=600)
    assert stats["n_steps"] == 3 and stats["median_build_seconds"] == 30
    assert stats["warm_to_cold_ratio"] == 0.05


# --------------------------------------------------------------------------- on the kernel tree

@pytest.mark.kernel
def test_kernel_tree_bisect_where_the_series_stops_applying(tmp_path, real_cache, monkeypatch):
    """End to end on the real 6.12 tree (about a minute, no build): a synthetic history of 12
    commits on the pinned base (history.synthetic, context mode at 7) in a shared clone, and the
    apply criterion, ``git am -3`` of the series in a kernel worktree at each step.  The series
    is patches/ when it has patches, else a stand-in patch to virt/kvm/guest_memfd.c."""
    from harness.bisect import history

    pinned = tree.pinned_tree()  # the machine's cache: imported once, shared by e2e tests
    monkeypatch.setenv("KWB_CACHE", str(tmp_path / "cache"))  # the rest happens in tmp
    repo = tmp_path / "pin.git"
    git(tmp_path, "clone", "-q", "--bare", "--shared", str(pinned.repo), str(repo))
    base = pinned.base
    series = history.series_patch_files()
    if not series:
        line = history.DEFAULT_CONTEXT_LINES[0]
        stand_in = history.Breakage("standin", "KVM: guest_memfd: stand-in series patch", "",
                                    (history.Edit(history.GMEM_PATH, line, line.replace(
                                        "filemap_grab_folio", "filemap_grab_folio /* s */")),))
        h = history.synthetic(repo, base, 1, 1, stand_in, ref="refs/heads/standin")
        git(tmp_path, "--git-dir", str(repo), "format-patch", "-q", "-1", h.bad, "-o",
            str(tmp_path / "series"))
        series = sorted((tmp_path / "series").glob("*.patch"))
    brk = history.series_context_break(repo, base, series)
    hist = history.synthetic(repo, base, 12, 7, brk, avoid=history.patch_files(series))
    assert history.series_applies(repo, hist.commits[5], series)[0]
    t = tree.Tree(repo, base, "pinned (shared clone)")
    res = bs.bisect(t, base, hist.bad, bs.make_step("apply", FakeGitPipeline(series, tmp_path)),
                    bisect_id="kernel", criterion="apply")
    print(res.summary())
    print(bs.step_stats(res.steps))
    assert res.status == "found" and res.first_bad == hist.first_bad
    assert res.evidence.stage == "apply"
    assert 3 <= res.n_steps <= 5
