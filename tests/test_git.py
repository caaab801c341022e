"""The git layer (harness.build.git) on throw-away repositories, checked against git itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GitRepo

from harness.build import git


def test_errors_name_the_command_and_the_place(small_repo: GitRepo) -> None:
    with pytest.raises(git.GitError) as exc:
        git.run(small_repo.path, "rev-parse", "--verify", "no-such-ref")
    text = str(exc.value)
    assert f"git rev-parse failed in {small_repo.path} (exit 128)" in text
    assert "fatal: Needed a single revision" in text
    res = git.attempt(small_repo.path, "rev-parse", "--verify", "no-such-ref")
    assert res.status == 128 and not res.ok and "single revision" in res.stderr


def test_lookups(small_repo: GitRepo) -> None:
    base = small_repo.rev("base")
    assert git.resolve(small_repo.path, "base") == base
    assert git.resolve(small_repo.path, "base", "tree") == small_repo.git(
        "rev-parse", "base^{tree}")
    assert git.resolve(small_repo.path, "nope") is None
    assert git.subject(small_repo.path, "base") == "Touch README"
    assert git.subject(small_repo.path, "nope") == ""
    assert git.rev_list(small_repo.path, "base~2..base") == [base, small_repo.rev("base~1")]
    assert git.count(small_repo.path, "base~2..base") == 2
    assert git.is_ancestor(small_repo.path, "base~2", "base")
    assert not git.is_ancestor(small_repo.path, "base", "base~2")
    assert git.common_dir(small_repo.path) == small_repo.git_dir.resolve()
    assert git.common_dir(small_repo.path.parent) is None


def test_objects_are_what_git_makes(small_repo: GitRepo, tmp_path: Path) -> None:
    data = b"int x;\r\n\xff binary-ish\n"
    blob = git.write_blob(small_repo.git_dir, data)
    (tmp_path / "f").write_bytes(data)
    assert blob == small_repo.git("hash-object", "--no-filters", str(tmp_path / "f"))
    assert git.read_blob(small_repo.git_dir, blob) == data  # bytes kept exactly
    env = {"GIT_AUTHOR_NAME": "X", "GIT_AUTHOR_EMAIL": "x@y", "GIT_AUTHOR_DATE": "@0 +0000",
           "GIT_COMMITTER_NAME": "X", "GIT_COMMITTER_EMAIL": "x@y",
           "GIT_COMMITTER_DATE": "@0 +0000"}
    tree = small_repo.git("rev-parse", "base^{tree}")
    commit = git.commit_tree(small_repo.git_dir, tree, "Subject\n\nBody\n", ("base",), env)
    assert small_repo.git("log", "-1", "--format=%an|%at|%B", commit) == "X|0|Subject\n\nBody"
    assert small_repo.git("rev-parse", f"{commit}^") == small_repo.rev("base")
    with git.temporary_index(small_repo.git_dir, "base") as index:
        assert "src/a.c" in git.run(small_repo.git_dir, "ls-files", env=index)
    assert not Path(index["GIT_INDEX_FILE"]).exists()
