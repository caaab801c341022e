"""Each bisect step is judged by its own build output (issue 10 defect 2): the logs of earlier
steps, appended or not, never decide a later verdict.

The real KernelPipeline (configure + kbuild, real git and make) on the FAKE kernel tree of
tests/fake_kernel.py, whose ``bzImage`` fails with the compiler error written in ``BROKEN``.
"""

from __future__ import annotations

from pathlib import Path

from fake_kernel import make_fake_kernel

from harness.bisect import kernel, step
from harness.build import kbuild, tree


def test_each_step_is_judged_by_its_own_build_errors(tmp_path: Path, make_repo) -> None:
    repo = make_repo("linux")
    make_fake_kernel(repo, tmp_path / "patches")
    first = repo.commit("break one", {"BROKEN": "mm/one.c:1:1: error: first breakage\n"})
    second = repo.commit("break two", {"BROKEN": "mm/two.c:2:2: error: second breakage\n"})
    t = tree.Tree(repo.git_dir, first, "test:fake")
    pipe = kernel.KernelPipeline(t, None, "default", "logs")
    outcomes = []
    for n, commit in enumerate((first, second), 1):
        wt = tree.worktree(t, "bisect-logs", commit)
        token = step._STEP_LOG_DIR.set(tmp_path / "steps" / f"{n:02d}")
        try:
            outcomes.append(pipe.build(wt))
        finally:
            step._STEP_LOG_DIR.reset(token)
    one, two = outcomes
    assert not one.ok and one.error_files == ["mm/one.c"]
    assert not two.ok and two.error_files == ["mm/two.c"]
    assert "second breakage" in two.message and "first breakage" not in two.message
    # each step has its own log, in its own step dir
    assert one.log == str(tmp_path / "steps" / "01" / "build.log")
    assert two.log == str(tmp_path / "steps" / "02" / "build.log")
    assert "first breakage" not in Path(two.log).read_text()


def test_first_errors_reads_from_an_offset(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text("a.c:1:1: error: old\nmake: *** [x] Error 1\n")
    start = kbuild.log_size(log)
    with open(log, "a") as fh:
        fh.write("b.c:2:2: error: new\n")
    assert kbuild.first_errors(log) == ["a.c:1:1: error: old", "b.c:2:2: error: new"]
    assert kbuild.first_errors(log, start=start) == ["b.c:2:2: error: new"]
