"""``kwb apply``: does the series apply? — on a throw-away repository used as ``--tree``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GitRepo

from harness import cli


@pytest.fixture
def series_dir(small_repo: GitRepo, tmp_path: Path) -> Path:
    repo = small_repo
    repo.git("checkout", "-q", "-b", "topic", "base")
    repo.edit_line("src/a.c", 3, "line three")
    repo.commit("a: spell out line 3")
    repo.edit_line("src/b.c", 20, "bee twenty")
    repo.commit("b: spell out line 20")
    repo.git("checkout", "-q", "main")
    out = tmp_path / "series"
    repo.format_patch("base..topic", out, "--cover-letter", "--base=base")
    cover = next(out.glob("0000-*"))
    cover.write_text(cover.read_text().replace("*** SUBJECT HERE ***", "two fixes"))
    return out


def user_state(repo: GitRepo) -> tuple[str, str, str]:
    return (repo.git("status", "--porcelain", "--ignored"), repo.git("rev-parse", "HEAD"),
            repo.git("for-each-ref"))


def test_apply_ok(series_dir: Path, small_repo: GitRepo,
                  capsys: pytest.CaptureFixture[str]) -> None:
    before = user_state(small_repo)
    rc = cli.main(["apply", "--tree", str(small_repo.path), "--base", "base",
                   "--patches", str(series_dir)])
    out = capsys.readouterr().out
    assert rc == 0
    assert out.startswith(f"APPLIES: 'two fixes' v1, 2 patches on {small_repo.rev('base')[:12]}")
    assert user_state(small_repo) == before  # the user's repository is never written


def test_apply_fails_with_the_hunk(series_dir: Path, small_repo: GitRepo,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    small_repo.edit_line("src/b.c", 19, "bee nineteen")  # in patch 2's context
    small_repo.commit("b: nineteen")
    before = user_state(small_repo)
    rc = cli.main(["apply", "--tree", str(small_repo.path), "--base", "main",
                   "--patches", str(series_dir)])
    out = capsys.readouterr().out
    assert rc == 1
    lines = out.splitlines()
    assert lines[0].startswith("DOES NOT APPLY: 'two fixes' v1, 2 patches on ")
    assert "patch 2/2 'b: spell out line 20'" in lines[1]
    assert "  src/b.c: hunk @@ -17,7 +17,7 @@ does not apply" in lines
    assert ("    nearest context in the tree: lines 17-23, 6 of 7 lines match; line 19: the "
            "patch expects 'bee 19', the tree has 'bee nineteen'") in lines
    assert any(ln.startswith("  tried: git am -3") for ln in lines)
    assert "--continue" not in out and "hint:" not in out
    assert user_state(small_repo) == before


def test_apply_needs_base_with_tree(small_repo: GitRepo,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["apply", "--tree", str(small_repo.path)]) == 1
    assert "--tree needs --base REF" in capsys.readouterr().err
