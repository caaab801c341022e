"""Series read from mail as it really arrives, through b4: quoted-printable bodies with ``=0D``
line ends, a b4-sent cover letter with its diffstat after ``---``, replies carrying trailers,
two revisions in one mbox.  The mail is made by ``git format-patch --thread`` and written as
mail clients and lists deliver it (RFC 5322 headers, In-Reply-To / References)."""

from __future__ import annotations

import quopri
import re
from collections.abc import Callable
from email.utils import make_msgid
from pathlib import Path

import pytest
from conftest import GitRepo

from harness.build import series as S
from harness.build.tree import Tree, worktree
from harness.errors import WorkbenchError

TITLE = "guestmem: two small fixes"


@pytest.fixture
def topic(small_repo: GitRepo) -> GitRepo:
    """small_repo plus ``v1`` (two patches on ``base``) and ``v2`` (patch 2 reworked)."""
    repo = small_repo
    repo.git("checkout", "-q", "-b", "v1", "base")
    repo.edit_line("src/a.c", 3, "line three")
    repo.commit("a: spell out line 3", body="Because it reads better.\n\nSigned-off-by: Ada "
                "Author <ada@example.org>")
    repo.edit_line("src/b.c", 20, "bee twenty")
    repo.commit("b: spell out line 20", body="Signed-off-by: Ada Author <ada@example.org>")
    repo.git("checkout", "-q", "-b", "v2", "v1~1")
    repo.edit_line("src/b.c", 20, "bee 20 (twenty)")
    repo.commit("b: spell out line 20", body="v2: keep the digits.\n\nSigned-off-by: Ada "
                "Author <ada@example.org>")
    repo.git("checkout", "-q", "main")
    return repo


def b4_cover(repo: GitRepo, version: int, rng: str) -> str:
    """The body of a cover letter as ``b4 send`` writes it: text, then ``---``, the shortlog
    and diffstat, base-commit and change-id, and a signature."""
    shortlog = repo.git("shortlog", rng)
    diffstat = repo.git("diff", "--stat", rng.replace("..", " ").split()[0],
                        rng.split("..")[1])
    return (f"Two small fixes.\n\nChanges in v{version}:\n- the second one keeps its digits\n\n"
            f"---\n{shortlog}\n\n{diffstat}\n---\nbase-commit: {repo.rev('base')}\n"
            "change-id: 20250101-guestmem-fixes-0123456789ab\n\nBest regards,\n-- \n"
            "Ada Author <ada@example.org>\n")


def sent(repo: GitRepo, version: int, outdir: Path, date: str) -> list[bytes]:
    """The series ``v<version>`` as the list delivers it: format-patch --thread with a b4-style
    cover letter, Date and To headers of a real send."""
    files = repo.format_patch(f"base..v{version}", outdir, "--thread=shallow", "--cover-letter",
                              f"-v{version}", "--base=base")
    out = []
    for f in files:
        text = f.read_text()
        if "0000-cover-letter" in f.name:
            head, _, _ = text.partition("\n\n")
            head = head.replace("*** SUBJECT HERE ***", TITLE)
            text = head + "\n\n" + b4_cover(repo, version, f"base..v{version}")
        text = re.sub(r"^Date: .*$", f"Date: {date}", text, count=1, flags=re.M)
        # each send has its own message-ids (format-patch's are made of commit and time)
        text = re.sub(r"<((?:[0-9a-f]{40}|cover)\.\d+)\.git\.", rf"<\1.v{version}.git.", text)
        text = text.replace("\nSubject:", "\nTo: kvm@vger.kernel.org\nSubject:", 1)
        out.append(text.encode())
    return out


def reply(to: bytes, frm: str, body: str, date: str) -> bytes:
    """A reply to message ``to`` (threaded by In-Reply-To and References)."""
    mid = re.search(rb"^Message-I[dD]: (<[^>]+>)", to, re.M)[1].decode()  # type: ignore[index]
    subject = re.search(rb"^Subject: (.*(?:\n .*)*)", to, re.M)[1].decode()  # type: ignore[index]
    return (f"From {frm.split('<')[1][:-1]} Mon Sep 17 00:00:00 2001\nFrom: {frm}\n"
            f"Date: {date}\nSubject: Re: {subject}\nMessage-ID: {make_msgid('r', 'example.org')}\n"
            f"In-Reply-To: {mid}\nReferences: {mid}\nTo: kvm@vger.kernel.org\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}\n").encode()


def quoted_printable_crlf(raw: bytes) -> bytes:
    """The message with its body re-sent as some mail clients send CRLF text: quoted-printable,
    every line ending in an encoded CR (``=0D``)."""
    head, _, body = raw.partition(b"\n\n")
    head = re.sub(rb"\nContent-Transfer-Encoding: [^\n]*", b"", head)
    lines = body.split(b"\n")
    encoded = b"".join(quopri.encodestring(ln).rstrip(b"\n") + b"=0D\n" for ln in lines[:-1])
    return head + b"\nContent-Transfer-Encoding: quoted-printable\n\n" + encoded


def applied_messages(series: S.Series, repo: GitRepo, tree: Tree, name: str) -> list[str]:
    wt = worktree(tree, name, tree.base)
    commits = S.apply(series, tree, wt, tree.base, f"kwb/{name}")
    return [repo.git("log", "-1", "--format=%B", c.commit) for c in commits]


def test_quoted_printable_crlf_bodies(topic: GitRepo, tmp_path: Path,
                                      tree_of: Callable[..., Tree]) -> None:
    mails = sent(topic, 1, tmp_path / "v1", "Wed, 1 Jan 2025 12:00:00 +0000")
    mbox = tmp_path / "qp.mbox"
    mbox.write_bytes(b"".join(quoted_printable_crlf(m) for m in mails))
    s = S.from_mbox(mbox)
    assert [p.subject for p in s.patches] == ["a: spell out line 3", "b: spell out line 20"]
    assert s.title == TITLE and s.version == 1
    tree = tree_of(topic)
    messages = applied_messages(s, topic, tree, "qp")
    assert topic.git("diff", "v1", "kwb/qp") == ""  # content exactly the patches'
    assert "\r" not in "".join(messages) and "=0D" not in "".join(messages)
    assert messages[0].startswith("a: spell out line 3\n\nBecause it reads better.")


def test_b4_cover_letter_with_diffstat(topic: GitRepo, tmp_path: Path) -> None:
    mbox = tmp_path / "t.mbox"
    mbox.write_bytes(b"".join(sent(topic, 1, tmp_path / "v1", "Wed, 1 Jan 2025 12:00:00 +0000")))
    s = S.from_mbox(mbox)
    assert s.cover is not None and s.cover.subject == TITLE and s.title == TITLE
    assert "src/a.c | 2 +-" in S.patch_text(s.cover.raw)  # the diffstat is not a diff
    assert s.base_commit == topic.rev("base")
    assert s.change_id == "20250101-guestmem-fixes-0123456789ab"
    assert s.cover.origin == f"{mbox} (message 1)"
    assert [p.origin for p in s.patches] == [f"{mbox} (message 2)", f"{mbox} (message 3)"]


def test_trailers_from_replies_reach_the_commits(topic: GitRepo, tmp_path: Path,
                                                 tree_of: Callable[..., Tree],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    cover, p1, p2 = sent(topic, 1, tmp_path / "v1", "Wed, 1 Jan 2025 12:00:00 +0000")
    thread = [
        cover, p1, p2,
        reply(p1, "Rita Reviewer <rita@example.org>", "> Because it reads better.\n\nIt does."
              "\n\nReviewed-by: Rita Reviewer <rita@example.org>", "Thu, 2 Jan 2025 09:00:00 "
              "+0000"),
        reply(cover, "Ack Er <ack@example.org>", "For the series:\n\nAcked-by: Ack Er "
              "<ack@example.org>", "Thu, 2 Jan 2025 10:00:00 +0000"),
        reply(p2, "Tess Ter <tess@example.org>", "Tested-by: Tess Ter <tess@example.org>",
              "Thu, 2 Jan 2025 11:00:00 +0000"),
        reply(p2, "Nosy Bystander <nosy@example.org>", "Looks odd to me, no tag.",
              "Thu, 2 Jan 2025 12:00:00 +0000"),
    ]
    mbox = tmp_path / "thread.mbox"
    mbox.write_bytes(b"".join(thread))
    s = S.from_mbox(mbox)
    messages = applied_messages(s, topic, tree_of(topic), "trailers")
    assert "Reviewed-by: Rita Reviewer <rita@example.org>" in messages[0]
    assert "Acked-by: Ack Er <ack@example.org>" in messages[0]
    assert "Reviewed-by" not in messages[1]
    assert "Acked-by: Ack Er <ack@example.org>" in messages[1]
    assert "Tested-by: Tess Ter <tess@example.org>" in messages[1]
    assert "Signed-off-by: Ada Author <ada@example.org>" in messages[1]
    assert "nosy" not in "".join(messages)
    # the trailers follow the Signed-off-by, as b4 am puts them
    assert messages[1].index("Signed-off-by") < messages[1].index("Tested-by")
    err = capsys.readouterr().err
    assert "trailers from replies" in err
    assert "Acked-by: Ack Er <ack@example.org> (cover letter: every patch)" in err
    assert "Reviewed-by: Rita Reviewer <rita@example.org> (1/2)" in err


@pytest.fixture
def two_revisions(topic: GitRepo, tmp_path: Path) -> Path:
    v1 = sent(topic, 1, tmp_path / "v1", "Wed, 1 Jan 2025 12:00:00 +0000")
    v2 = sent(topic, 2, tmp_path / "v2", "Fri, 10 Jan 2025 12:00:00 +0000")
    mbox = tmp_path / "both.mbox"
    mbox.write_bytes(b"".join(v1 + [reply(v1[2], "Rita Reviewer <rita@example.org>",
                                          "Reviewed-by: Rita Reviewer <rita@example.org>",
                                          "Thu, 2 Jan 2025 09:00:00 +0000")] + v2))
    return mbox


def test_two_revisions_newest_is_picked(two_revisions: Path, topic: GitRepo,
                                        tree_of: Callable[..., Tree],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    s = S.from_mbox(two_revisions)
    assert s.version == 2 and s.count == 2
    err = capsys.readouterr().err
    assert "using v2, the newest; also in the thread: v1 (--revision N picks another)" in err
    messages = applied_messages(s, topic, tree_of(topic), "newest")
    assert topic.git("diff", "v2", "kwb/newest") == ""
    assert "v2: keep the digits." in messages[1]
    assert "Reviewed-by" not in messages[1]  # given to v1's patch 2, which v2 changed


def test_revision_chooses_another(two_revisions: Path, topic: GitRepo,
                                  tree_of: Callable[..., Tree],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    s = S.load(mbox=two_revisions, revision=1)
    assert s.version == 1
    assert "using v1 (chosen with --revision); also in the thread: v2" in capsys.readouterr().err
    messages = applied_messages(s, topic, tree_of(topic), "older")
    assert topic.git("diff", "v1", "kwb/older") == ""
    assert "Reviewed-by: Rita Reviewer <rita@example.org>" in messages[1]
    with pytest.raises(WorkbenchError, match=r"no revision v3 of the series here \(found v1, v2\)"):
        S.load(mbox=two_revisions, revision=3)
    with pytest.raises(WorkbenchError, match="--revision 1: only for a thread"):
        S.load(revision=1)


def test_incomplete_newest_revision_is_refused(topic: GitRepo, tmp_path: Path) -> None:
    """kwb's own check on what b4 hands back: a revision with a patch missing."""
    v2 = sent(topic, 2, tmp_path / "v2", "Fri, 10 Jan 2025 12:00:00 +0000")
    mbox = tmp_path / "gap.mbox"
    mbox.write_bytes(v2[0] + v2[2])  # cover and 2/2: 1/2 never arrived
    with pytest.raises(WorkbenchError, match=r"incomplete series: patch 1/2 missing"):
        S.from_mbox(mbox)
