"""Stage 2 — series parsing, base selection and git am, on small throw-away repositories."""

from __future__ import annotations

import gzip
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import GitRepo

from harness.build import series as S
from harness.build.tree import Tree, worktree
from harness.errors import WorkbenchError

TITLE = "guestmem: two small fixes"
CHANGE_ID = "20250101-guestmem-fixes-0123456789ab"


@pytest.fixture
def topic(small_repo: GitRepo) -> GitRepo:
    """small_repo plus branch ``topic``: two patches on ``base``; main stays checked out."""
    repo = small_repo
    repo.git("checkout", "-q", "-b", "topic", "base")
    repo.edit_line("src/a.c", 3, "line three")
    repo.commit("a: spell out line 3", body="Because it reads better.\n\nSigned-off-by: A <a@b.c>")
    repo.edit_line("src/b.c", 20, "bee twenty")
    repo.edit_line("src/a.c", 25, "line twenty-five")
    repo.commit("b: spell out line 20", author=("Bob Patcher", "bob@example.org"))
    repo.git("checkout", "-q", "main")
    return repo


def write_series(repo: GitRepo, outdir: Path, *args: str, cover: bool = True,
                 change_id: str | None = CHANGE_ID) -> list[Path]:
    """format-patch base..topic (cover letter with a real title and a change-id by default)."""
    files = repo.format_patch("base..topic", outdir, *(["--cover-letter"] if cover else []), *args)
    if cover:
        text = files[0].read_text().replace("*** SUBJECT HERE ***", TITLE)
        if change_id:
            text = text.replace("\n-- \n", f"\nchange-id: {change_id}\n-- \n", 1)
        files[0].write_text(text)
    return files


@pytest.fixture
def patch_dir(topic: GitRepo, tmp_path: Path) -> Path:
    out = tmp_path / "patches"
    write_series(topic, out, "-v3", "--base=base")
    return out


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(("subject", "expected"), [
    ("[PATCH v3 1/2] mm: fix it", (1, 2, 3, "mm: fix it")),
    ("[RFC PATCH net-next v2 03/12] x: y", (3, 12, 2, "x: y")),
    ("[PATCHv4 2/5] z", (2, 5, 4, "z")),
    ("[PATCH 0/7]  cover   title", (0, 7, 1, "cover title")),
    ("[PATCH] single", (None, None, 1, "single")),
    ("[RESEND] [PATCH V2 1/1] two groups", (1, 1, 2, "two groups")),
    ("no prefix at all", (None, None, 1, "no prefix at all")),
])
def test_split_subject(subject: str, expected: tuple[object, ...]) -> None:
    assert S.split_subject(subject) == expected


def test_dir_with_cover_letter(patch_dir: Path, topic: GitRepo) -> None:
    s = S.from_dir(patch_dir)
    assert (s.title, s.version, s.count) == (TITLE, 3, 2)
    assert [(p.label, p.subject) for p in s.patches] == [
        ("1/2", "a: spell out line 3"), ("2/2", "b: spell out line 20")]
    assert s.cover is not None and s.cover.index == 0 and s.cover.label == "0/2"
    assert s.base_commit == topic.rev("base")
    assert s.base_commit_origin is not None
    assert Path(s.base_commit_origin).name == "v3-0000-cover-letter.patch"
    assert s.change_id == CHANGE_ID
    assert s.source == f"dir:{patch_dir}"
    assert s.patches[1].author is not None and "bob@example.org" in s.patches[1].author
    assert all(p.version == 3 and p.path is not None for p in s.patches)
    assert s.patches[0].raw == s.patches[0].path.read_bytes()  # type: ignore[union-attr]


def test_base_commit_without_cover_letter(topic: GitRepo, tmp_path: Path) -> None:
    write_series(topic, tmp_path / "p", "--base=base", cover=False)
    s = S.from_dir(tmp_path / "p")
    assert s.cover is None and s.title == "a: spell out line 3" and s.version == 1
    assert s.base_commit == topic.rev("base") and s.change_id is None
    assert s.base_commit_origin is not None and s.base_commit_origin.endswith(".patch")


def test_single_unnumbered_patch(topic: GitRepo, tmp_path: Path) -> None:
    topic.format_patch("-1", tmp_path / "p", "topic")
    s = S.from_dir(tmp_path / "p")
    assert [p.label for p in s.patches] == ["1/1"] and s.base_commit is None


def test_unnumbered_patches_taken_in_file_order(topic: GitRepo, tmp_path: Path) -> None:
    write_series(topic, tmp_path / "p", "--no-numbered", cover=False)
    s = S.from_dir(tmp_path / "p")
    assert [(p.label, p.subject) for p in s.patches] == [
        ("1/2", "a: spell out line 3"), ("2/2", "b: spell out line 20")]


def test_gap_in_numbering(topic: GitRepo, tmp_path: Path) -> None:
    topic.git("checkout", "-q", "topic")
    topic.commit("c: third", {"src/c.c": "c\n"})
    topic.git("checkout", "-q", "main")
    files = write_series(topic, tmp_path / "p")
    files[2].unlink()  # 0002
    with pytest.raises(WorkbenchError, match=r"incomplete series: patch 2/3 missing \(have 1, 3\)"):
        S.from_dir(tmp_path / "p")


def test_duplicate_patch_number(patch_dir: Path) -> None:
    first = next(patch_dir.glob("v3-0001-*"))
    shutil.copy(first, patch_dir / "v3-0001-copy.patch")
    with pytest.raises(WorkbenchError, match=r"patch 1/2 appears twice: .*v3-0001"):
        S.from_dir(patch_dir)


def test_inconsistent_total(patch_dir: Path) -> None:
    second = next(patch_dir.glob("v3-0002-*"))
    second.write_text(second.read_text().replace("[PATCH v3 2/2]", "[PATCH v3 2/3]"))
    with pytest.raises(WorkbenchError, match="inconsistent patch count"):
        S.from_dir(patch_dir)


def test_stale_files_of_another_version(topic: GitRepo, patch_dir: Path) -> None:
    write_series(topic, patch_dir, "-v2")
    with pytest.raises(WorkbenchError, match=r"mixes versions .*v2: .*v3: .*remove the stale"):
        S.from_dir(patch_dir)


def test_empty_and_missing_directory(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README").write_text("not a patch\n")
    s = S.from_dir(empty, allow_empty=True)
    assert s.count == 0 and s.cover is None and s.base_commit is None
    with pytest.raises(WorkbenchError, match=f"no patches in {empty}"):
        S.from_dir(empty)
    with pytest.raises(WorkbenchError, match="does not exist"):
        S.from_dir(tmp_path / "nope")


def test_mbox_same_as_directory(patch_dir: Path, tmp_path: Path) -> None:
    mbox = tmp_path / "series.mbox"
    mbox.write_bytes(b"".join(f.read_bytes() for f in sorted(patch_dir.iterdir())))
    s, d = S.from_mbox(mbox), S.from_dir(patch_dir)
    assert s.source == f"mbox:{mbox}"
    assert [(p.label, p.subject, p.author) for p in s.patches] == [
        (p.label, p.subject, p.author) for p in d.patches]
    assert (s.title, s.version, s.base_commit, s.change_id) == (
        d.title, d.version, d.base_commit, d.change_id)
    assert s.patches[1].origin == f"{mbox} (message 3)" and s.patches[1].path is None


def test_mbox_in_reverse_order_is_sorted(patch_dir: Path, tmp_path: Path) -> None:
    mbox = tmp_path / "rev.mbox"
    mbox.write_bytes(b"".join(f.read_bytes() for f in sorted(patch_dir.iterdir(), reverse=True)))
    assert [p.label for p in S.from_mbox(mbox).patches] == ["1/2", "2/2"]


MAIL = "From x Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: {subject}\n\n{body}\n"


@pytest.mark.parametrize(("content", "message"), [
    ("", "no patches"),
    ("hello, this is not an e-mail\njust text\n", "unparsable mail headers"),
    (MAIL.format(subject="[PATCH 1/1] words", body="No diff here."), "has no diff"),
    (MAIL.format(subject="Re: [PATCH 1/1] words", body="> quoted"), r"no patches \(1 reply\)"),
    ("From x Mon Sep 17 00:00:00 2001\nSubject: [PATCH] x\n\ndiff --git a/f b/f\n",
     "no From: header"),
    ("From x Mon Sep 17 00:00:00 2001\nFrom: nobody\nSubject: [PATCH] x\n\ndiff --git a/f b/f\n",
     "unparsable From: header"),
])
def test_malformed_mbox_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.mbox"
    bad.write_text(content)
    with pytest.raises(WorkbenchError, match=message) as exc:
        S.from_mbox(bad)
    assert str(bad) in str(exc.value)


def test_message_without_diff_in_multi_message_mbox(patch_dir: Path, tmp_path: Path) -> None:
    mbox = tmp_path / "m.mbox"
    note = MAIL.format(subject="[PATCH v3 3/3] nothing", body="Just words.")
    mbox.write_bytes(b"".join(f.read_bytes() for f in sorted(patch_dir.iterdir()))
                     + note.encode())
    with pytest.raises(WorkbenchError, match=rf"{mbox} \(message 4\): message 'nothing' has no"):
        S.from_mbox(mbox)


def test_thread_mbox_gzipped_with_replies(patch_dir: Path, tmp_path: Path) -> None:
    files = sorted(patch_dir.iterdir())
    reply = MAIL.format(subject="Re: [PATCH v3 2/2] b: spell out line 20",
                        body="What about this instead?\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n"
                             "@@ -1 +1 @@\n-x\n+y\n")
    thread = tmp_path / "t.mbox.gz"
    thread.write_bytes(gzip.compress(files[0].read_bytes() + reply.encode()
                                     + b"".join(f.read_bytes() for f in files[1:])))
    s = S.from_mbox(thread)
    assert [p.subject for p in s.patches] == ["a: spell out line 3", "b: spell out line 20"]
    assert s.patches[1].origin == f"{thread} (message 4)" and s.change_id == CHANGE_ID


def test_load_refuses_two_sources(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="give only one series source"):
        S.load(mbox=tmp_path / "a", msgid="x@y")


@pytest.mark.parametrize(("given", "clean"), [
    ("<20250101.1234-1-a@b.org>", "20250101.1234-1-a@b.org"),
    ("id:x@y", "x@y"),
    ("https://lore.kernel.org/kvm/20250101.1-1-a%40b.org/", "20250101.1-1-a@b.org"),
])
def test_clean_msgid(given: str, clean: str) -> None:
    assert S.clean_msgid(given) == clean


def test_msgid_offline_fails_fast(tmp_path: Path) -> None:
    if S.unreachable(S.LORE_HOST) is None:
        pytest.skip("lore.kernel.org is reachable from here: nothing offline to test")
    start = time.monotonic()
    with pytest.raises(WorkbenchError) as exc:
        S.from_msgid("<20250101000000.1-1-nobody@example.org>", tmp_path / "b4")
    assert time.monotonic() - start < 30
    text = str(exc.value)
    assert "unreachable" in text and "lore" in text and "--mbox" in text


def test_msgid_from_local_thread_with_b4(topic: GitRepo, tmp_path: Path) -> None:
    files = write_series(topic, tmp_path / "p", "--thread", "-v2", "--base=base")
    thread = tmp_path / "thread.mbox"
    thread.write_bytes(b"".join(f.read_bytes() for f in files))
    cover_id = S.from_dir(tmp_path / "p").cover.message_id  # type: ignore[union-attr]
    s = S.from_msgid(cover_id, tmp_path / "b4", thread_mbox=thread)
    assert s.source == f"msgid:{cover_id}"
    assert (s.title, s.version, s.count) == (TITLE, 2, 2)
    assert s.base_commit == topic.rev("base") and s.change_id == CHANGE_ID
    assert [p.subject for p in s.patches] == ["a: spell out line 3", "b: spell out line 20"]


# --------------------------------------------------------------------------- base selection


def test_resolve_base(patch_dir: Path, small_repo: GitRepo,
                      tree_of: Callable[..., Tree]) -> None:
    other = small_repo.commit("Unrelated", {"other.txt": "x\n"})
    tree = tree_of(small_repo, base="main")  # tree.base = other
    s = S.from_dir(patch_dir)
    assert S.resolve_base(s, tree) == small_repo.rev("base")  # the cover letter's base-commit
    assert S.resolve_base(s, tree, "main~1") == small_repo.rev("main~1")  # --base wins
    assert S.resolve_base(S.empty_series("x"), tree) == other  # neither: the tree's base
    with pytest.raises(WorkbenchError, match="--base nosuchref: no such commit in test:small"):
        S.resolve_base(s, tree, "nosuchref")


def test_missing_base_commit(patch_dir: Path, make_repo: Callable[..., GitRepo],
                             tree_of: Callable[..., Tree]) -> None:
    elsewhere = make_repo("elsewhere")
    elsewhere.commit("Other history", {"x": "x\n"})
    s = S.from_dir(patch_dir)
    with pytest.raises(WorkbenchError) as exc:
        S.resolve_base(s, tree_of(elsewhere, base="HEAD", source="git:/elsewhere"))
    assert str(exc.value) == (
        f"base-commit {s.base_commit} from {patch_dir / 'v3-0000-cover-letter.patch'} is not in "
        "git:/elsewhere; pass --base REF or fetch it")


# --------------------------------------------------------------------------- apply


def git_state(wt: Path, repo: GitRepo) -> tuple[str, str, bool]:
    """(porcelain status, HEAD, whether an am is in progress) of worktree ``wt``."""
    status = repo.git("-C", str(wt), "status", "--porcelain", "--ignored")
    head = repo.git("-C", str(wt), "rev-parse", "HEAD")
    rebase_apply = Path(repo.git("-C", str(wt), "rev-parse", "--path-format=absolute",
                                 "--git-path", "rebase-apply"))
    return status, head, rebase_apply.exists()


def test_apply_clean(patch_dir: Path, small_repo: GitRepo,
                     tree_of: Callable[..., Tree]) -> None:
    tree = tree_of(small_repo)
    wt = worktree(tree, "series", tree.base)
    s = S.from_dir(patch_dir)
    applied = S.apply(s, tree, wt, tree.base, "kwb/test")
    assert [(c.index, c.total, c.subject) for c in applied] == [
        (1, 2, "a: spell out line 3"), (2, 2, "b: spell out line 20")]
    assert small_repo.rev("kwb/test") == applied[-1].commit
    assert small_repo.rev("kwb/test~2") == tree.base
    assert small_repo.git("rev-parse", f"{applied[1].commit}^") == applied[0].commit
    assert git_state(wt, small_repo) == ("", applied[-1].commit, False)
    assert small_repo.git("-C", str(wt), "symbolic-ref", "HEAD") == "refs/heads/kwb/test"
    # the patches' content, authors and messages are kept; the committer is the tool
    assert small_repo.git("diff", "topic", "kwb/test") == ""
    log = small_repo.git("log", "--format=%an <%ae>|%cn|%B", "-2", "kwb/test")
    assert "Bob Patcher <bob@example.org>|kwb|" in log and "Because it reads better." in log
    # same series on the same base → the same commits, every time
    again = S.apply(s, tree, wt, tree.base, "kwb/test")
    assert [c.commit for c in again] == [c.commit for c in applied]


def test_apply_each_patch_in_turn(patch_dir: Path, small_repo: GitRepo,
                                  tree_of: Callable[..., Tree]) -> None:
    tree = tree_of(small_repo)
    wt = worktree(tree, "each", tree.base)
    s = S.from_dir(patch_dir)
    seen = []
    for commit in S.apply_iter(s, tree, wt, "base", "kwb/each"):
        # between two patches: clean worktree at exactly this commit (the caller builds here)
        assert git_state(wt, small_repo) == ("", commit.commit, False)
        seen.append((commit.index, (wt / "src/b.c").read_text().splitlines()[19]))
    assert seen == [(1, "bee 20"), (2, "bee twenty")]

    one = S.apply(s, tree, wt, tree.base, "kwb/each", upto=1)
    assert [c.index for c in one] == [1] and small_repo.rev("kwb/each") == one[0].commit
    assert S.apply(s, tree, wt, tree.base, "kwb/each", upto=0) == []
    assert small_repo.rev("kwb/each") == tree.base
    with pytest.raises(WorkbenchError, match="cannot apply 3 patches of a series of 2"):
        S.apply(s, tree, wt, tree.base, "kwb/each", upto=3)


def test_apply_conflict_leaves_nothing_half_applied(
        patch_dir: Path, small_repo: GitRepo, tree_of: Callable[..., Tree],
        tmp_path: Path) -> None:
    small_repo.edit_line("src/b.c", 20, "bee XX")  # patch 2/2 changes this line too
    conflicting = small_repo.commit("Conflicting change")
    tree = tree_of(small_repo, base="main")
    wt = worktree(tree, "conflict", tree.base)
    (wt / "leftover.txt").write_text("junk from an earlier run\n")
    log = tmp_path / "logs" / "am.log"
    with pytest.raises(WorkbenchError) as exc:
        S.apply(S.from_dir(patch_dir), tree, wt, conflicting, "kwb/conflict", log=log)
    text = str(exc.value)
    assert "patch 2/2 'b: spell out line 20'" in text
    assert "v3-0002-b-spell-out-line-20.patch" in text
    assert "src/b.c: merge conflict (content)" in text
    assert "src/b.c: hunk @@ -17,7 +17,7 @@ does not apply" in text
    assert f"on {conflicting[:12]} + 1 patch of test:small" in text
    assert "src/a.c" not in text  # its hunks applied fine
    assert exc.value.log == str(log) and "CONFLICT" in log.read_text()
    assert "git am --continue" not in log.read_text()  # kwb aborted: no advice, in the log too
    assert git_state(wt, small_repo) == ("", conflicting, False)
    assert small_repo.rev("kwb/conflict") == conflicting


def test_apply_already_applied_patch(patch_dir: Path, small_repo: GitRepo,
                                     tree_of: Callable[..., Tree]) -> None:
    tree = tree_of(small_repo)
    wt = worktree(tree, "twice", tree.base)
    with pytest.raises(WorkbenchError, match=r"patch 1/2 'a: spell out line 3' .*changes nothing"):
        S.apply(S.from_dir(patch_dir), tree, wt, "topic", "kwb/twice")
    assert git_state(wt, small_repo) == ("", small_repo.rev("topic"), False)


def test_apply_refuses_foreign_worktree(patch_dir: Path, small_repo: GitRepo,
                                        make_repo: Callable[..., GitRepo],
                                        tree_of: Callable[..., Tree]) -> None:
    other = make_repo("other")
    other.commit("x", {"x": "x\n"})
    with pytest.raises(WorkbenchError, match="is not a worktree of"):
        S.apply(S.from_dir(patch_dir), tree_of(small_repo), other.path, "base", "kwb/x")


def test_am_problems_parsing() -> None:
    raw = (b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -10,6 +10,7 @@ int f(void)\n"
           b" a\n+b\n")
    output = "\n".join([
        "Applying: something",
        "error: patch failed: x.c:10",
        "error: x.c: patch does not apply",
        "error: patch failed: y.c:3",
        "error: new.c: already exists in index",
        "CONFLICT (content): Merge conflict in x.c",
        "CONFLICT (modify/delete): z.c deleted in HEAD and modified in something.",
        "Patch failed at 0001 something",
    ])
    assert S.am_problems(output, raw) == [
        "x.c: hunk @@ -10,6 +10,7 @@ does not apply",
        "y.c: hunk at line 3 does not apply",
        "new.c: already exists in index",
        "x.c: merge conflict (content)",
        "CONFLICT (modify/delete): z.c deleted in HEAD and modified in something.",
    ]



ADVICE = ("git am --continue", "git am --skip", "git am --abort", "hint:", "When you have "
          "resolved", "Patch failed at")


def test_conflict_report_names_hunk_context_and_three_way(
        patch_dir: Path, small_repo: GitRepo, tree_of: Callable[..., Tree]) -> None:
    small_repo.edit_line("src/b.c", 20, "bee XX")  # patch 2/2 changes this line too
    conflicting = small_repo.commit("Conflicting change")
    tree = tree_of(small_repo, base="main")
    wt = worktree(tree, "conflict", tree.base)
    with pytest.raises(WorkbenchError) as exc:
        S.apply(S.from_dir(patch_dir), tree, wt, conflicting, "kwb/conflict")
    lines = str(exc.value).splitlines()
    hunk = lines.index("  src/b.c: hunk @@ -17,7 +17,7 @@ does not apply")
    assert lines[hunk + 1] == ("    nearest context in the tree: lines 17-23, 6 of 7 lines match; "
                               "line 20: the patch expects 'bee 20', the tree has 'bee XX'")
    tried = [ln for ln in lines if ln.startswith("  tried:")]
    assert tried == ["  tried: git am -3; the 3-way merge from the patch's own base blobs "
                     "conflicted in src/b.c: the tree and the patch change the same lines"]
    assert not [ln for ln in lines for a in ADVICE if a in ln]


def test_conflict_report_when_the_patch_was_made_elsewhere(
        small_repo: GitRepo, make_repo: Callable[..., GitRepo], tree_of: Callable[..., Tree],
        tmp_path: Path) -> None:
    """The patch's preimage blob is not in the tree: 3-way is impossible, and it says why."""
    from conftest import numbered_file
    other = make_repo("elsewhere")
    other.commit("Import", {"src/b.c": numbered_file(prefix="bee").replace(
        "bee 18\n", "bee eighteen\n")})
    other.edit_line("src/b.c", 20, "bee twenty")
    other.commit("b: spell out line 20")
    files = other.format_patch("HEAD~1..HEAD", tmp_path / "p")
    blob = other.git("rev-parse", "--short=7", "HEAD~1:src/b.c")
    tree = tree_of(small_repo)
    wt = worktree(tree, "elsewhere", tree.base)
    with pytest.raises(WorkbenchError) as exc:
        S.apply(S.from_dir(files[0].parent), tree, wt, tree.base, "kwb/elsewhere")
    text = str(exc.value)
    assert "patch 1/1 'b: spell out line 20'" in text
    assert "  src/b.c: hunk @@ -17,7 +17,7 @@ does not apply\n    nearest context in the tree: " \
           "lines 17-23, 6 of 7 lines match; line 18: the patch expects 'bee eighteen', the " \
           "tree has 'bee 18'" in text
    assert "the 3-way merge was not possible: the blobs the patch names in its index lines " \
           f"are not in the tree: {blob} (src/b.c)" in text
    assert not [a for a in ADVICE if a in text]
    assert git_state(wt, small_repo) == ("", tree.base, False)


def test_conflict_report_for_a_file_the_tree_lacks(
        small_repo: GitRepo, tree_of: Callable[..., Tree], tmp_path: Path) -> None:
    small_repo.git("checkout", "-q", "-b", "extra", "base")
    small_repo.commit("c: add", {"src/c.c": "c one\n"})
    small_repo.commit("c: change", {"src/c.c": "c two\n"})
    files = small_repo.format_patch("HEAD~1..HEAD", tmp_path / "p")
    small_repo.git("checkout", "-q", "main")
    tree = tree_of(small_repo)
    wt = worktree(tree, "lacks", tree.base)
    with pytest.raises(WorkbenchError) as exc:
        S.apply(S.from_dir(files[0].parent), tree, wt, tree.base, "kwb/lacks")
    text = str(exc.value)
    assert "CONFLICT (modify/delete): src/c.c deleted in HEAD" in text
    assert "  src/c.c: not in the tree" in text
    assert "the 3-way merge from the patch's own base blobs conflicted in src/c.c" in text
    assert not [a for a in ADVICE if a in text]
