"""``kwb bisect --resume`` goes on with what the bisection started with (issue 10 defect 4):
config, backend, timeout, --confirm, --revision and series are saved in steps.json (the
series as a hash of its patches) and a resume that gives a different one is refused, naming
it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import GitRepo

from harness import bisect as bs
from harness import cli
from harness.bisect import kernel
from harness.build import series

SAVED = {"config": "debug", "backend": "qemu", "timeout": 30.0, "confirm": 3, "revision": None}


@pytest.fixture
def started(small_repo: GitRepo, tree_of: Any, tmp_path: Path) -> tuple[str, Path]:
    """A bisection started with SAVED and a one-patch series read from a patches dir."""
    repo = small_repo
    repo.git("checkout", "-q", "-b", "topic", "base")
    repo.commit("a: line three", {"src/a.c": "line three\n"},
                body="Signed-off-by: Ada Author <ada@example.org>")
    repo.git("checkout", "-q", "main")
    patches = tmp_path / "patches"
    repo.format_patch("base..topic", patches)
    s = series.load(patches_dir=patches)
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    b = bs.Bisection.start(tree_of(repo), first, repo.rev("base"), criterion="build",
                           bisect_id="params", params={
                               **SAVED, "series": kernel.series_digest(s),
                               "series_source": s.source})
    return b.id, patches


@pytest.mark.parametrize(("option", "value", "shown"), [
    ("--config", "default", "'debug' then, 'default' now"),
    ("--backend", "vng", "'qemu' then, 'vng' now"),
    ("--timeout", "120", "30.0 then, 120.0 now"),
    ("--confirm", "0", "3 then, 0 now"),
])
def test_resume_with_another_parameter_is_refused(started, capsys, option, value, shown):
    bid, _ = started
    assert cli.main(["bisect", "--resume", bid, option, value]) == 1
    err = capsys.readouterr().err
    assert f"{option} differs" in err and shown in err
    assert bs.Bisection.load(bid).state.steps == []  # nothing was run


def test_resume_with_a_changed_series_is_refused(started, capsys):
    bid, patches = started
    patch = next(patches.glob("*.patch"))
    patch.write_text(patch.read_text().replace("+line three", "+line 3"))
    assert cli.main(["bisect", "--resume", bid]) == 1
    assert "series (sha256 of its patches) differs" in capsys.readouterr().err


class RecordingPipeline:
    """A TEST FAKE standing in for KernelPipeline: records what it is made with, then stops."""

    made: list[tuple[Any, ...]] = []

    def __init__(self, tree: Any, s: Any, config: str, bisect_id: str, backend: str,
                 timeout: float) -> None:
        RecordingPipeline.made.append((s.count if s else None, config, backend, timeout))
        raise bs.BisectError("fake pipeline: stop here")


def test_resume_runs_with_the_saved_parameters(started, monkeypatch):
    bid, _ = started
    monkeypatch.setattr(kernel, "KernelPipeline", RecordingPipeline)
    RecordingPipeline.made.clear()
    assert cli.main(["bisect", "--resume", bid]) == 1
    assert cli.main(["bisect", "--resume", bid, "--backend", "qemu"]) == 1  # the same: fine
    assert RecordingPipeline.made == [(1, "debug", "qemu", 30.0)] * 2


def test_saved_parameters_are_in_the_step_log(started):
    bid, _ = started
    params = bs.Bisection.load(bid).state.params
    assert {k: params[k] for k in SAVED} == SAVED
    assert len(params["series"]) == 64 and params["series_source"].startswith("dir:")


def test_sigterm_during_a_step_keeps_the_bisection_resumable(started) -> None:
    from harness.proc import Terminated

    bid, _ = started

    def step(commit: str, worktree: Path) -> bs.Verdict:
        raise Terminated(15)  # what kwb's SIGTERM handler raises, mid-build

    with pytest.raises(bs.BisectInterrupted) as info:
        bs.Bisection.load(bid).run(step)
    assert info.value.exit_code == 143
    state = bs.Bisection.load(bid).state
    assert state.status == "interrupted"
    assert state.events[-1]["detail"] == "signal 15"


def test_resume_reads_the_series_at_its_saved_revision(monkeypatch) -> None:
    seen = {}

    def load(**kw):
        seen.update(kw)
        return None

    monkeypatch.setattr(series, "load", load)
    kernel.load_series("mbox:/x/thread.mbox", revision=2)
    assert seen == {"mbox": Path("/x/thread.mbox"), "revision": 2}
