"""Mail as it arrives — an mbox, a lore thread — read through b4's own model of a thread.

b4 splits the mailbox (``b4.mailsplit_bytes``), sorts its messages into revisions, cover
letters and follow-ups (``b4.LoreMailbox``), picks a revision (``get_series``) and hands back
the patches ready for ``git am`` (``LoreSeries.get_am_ready``): decoded bodies, and the
Reviewed-by / Acked-by / Tested-by given in replies collected into each commit message, as
``b4 am`` does.  Offline: no lore lookup, no attestation check.

What b4 hands back is only the raw material: :mod:`.series` checks it as strictly as a
directory of patch files (numbering, a diff in every patch, none in the cover letter).
"""

from __future__ import annotations

import contextlib
import email.parser
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import b4

from harness.errors import WorkbenchError

_FROM_LINE = b"From kwb Thu Jan  1 00:00:00 1970\n"


@dataclass(frozen=True)
class Mail:
    """One message of the mailbox and where it is: "FILE" or "FILE (message N)"."""

    msg: EmailMessage
    origin: str

    @property
    def raw(self) -> bytes:
        return b4.LoreMessage.get_msg_as_bytes(self.msg)


@dataclass
class Picked:
    """The revision b4 picked, as ``git am`` input, with what was left out."""

    revision: int
    revisions: list[int]
    patches: list[Mail]  # am-ready, in order; a missing patch is simply not there
    cover: Mail | None
    base_commit: str | None
    change_id: str | None
    trailers: list[str] = field(default_factory=list)  # "Reviewed-by: ... (patch 1/2)"
    replies: int = 0
    b4_said: list[str] = field(default_factory=list)  # b4's warnings


def split(data: bytes, where: str) -> list[Mail]:
    """The messages of a mailbox (a file without a From_ line is one message); a message
    without a Message-ID gets a local one (b4 needs one)."""
    if not data.startswith(b"From "):
        data = _FROM_LINE + data
    msgs = b4.mailsplit_bytes(data)
    out: list[Mail] = []
    for i, msg in enumerate(msgs, 1):
        if not b4.LoreMessage.get_clean_msgid(msg):
            msg["Message-ID"] = f"<kwb-{i}@local.invalid>"
        out.append(Mail(msg, where if len(msgs) == 1 else f"{where} (message {i})"))
    return out


def parse_bytes(raw: bytes) -> EmailMessage:
    return email.parser.BytesParser(policy=b4.emlpolicy, _class=EmailMessage).parsebytes(raw)


@contextlib.contextmanager
def _offline_b4() -> Iterator[list[str]]:
    """b4 as a library, offline: no lore queries, no attestation (DKIM, patatt) checks; its
    log lines collected instead of printed."""
    said: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                said.append(record.getMessage().strip())

    log = logging.getLogger("b4")
    saved = (b4.can_network, b4.MAIN_CONFIG, log.propagate, log.level)
    handler = Keep()
    b4.can_network = False
    b4.MAIN_CONFIG = {**b4.DEFAULT_CONFIG, **(b4.MAIN_CONFIG or {}),
                      "attestation-policy": "off"}
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    try:
        yield said
    finally:
        log.removeHandler(handler)
        b4.can_network, b4.MAIN_CONFIG, log.propagate, _ = saved
        log.setLevel(saved[3])


def pick(mails: list[Mail], where: str, revision: int | None = None) -> Picked:
    """The series of ``mails`` at ``revision`` (default: the newest), am-ready."""
    origin = {b4.LoreMessage.get_clean_msgid(m.msg): m for m in mails}
    with _offline_b4() as said:
        box = b4.LoreMailbox()
        for m in mails:
            try:
                box.add_message(m.msg)
            except ValueError as exc:
                raise WorkbenchError(f"{m.origin}: b4 cannot read this message: {exc}") from exc
        revisions = sorted(box.series)
        replies = len(box.followups)
        if not revisions and (other := [u for u in box.unknowns if not u.reply]):
            first = origin.get(other[0].msgid)
            raise WorkbenchError(f"{first.origin if first else where}: message "
                                 f"{other[0].full_subject!r} has no diff (not a patch)")
        if not revisions:
            what = [f"{len(box.covers)} cover letter(s)"] * bool(box.covers) + \
                [f"{replies} repl{'ies' if replies != 1 else 'y'}"] * bool(replies)
            raise WorkbenchError(f"{where}: no patches" + (f" ({', '.join(what)})" if what else ""))
        if revision is not None and revision not in box.series:
            raise WorkbenchError(f"{where}: no revision v{revision} of the series here "
                                 f"(found {', '.join(f'v{r}' for r in revisions)})")
        chosen = revision if revision is not None else box.get_latest_revision()
        lser = box.get_series(chosen, codereview_trailers=False)
        if lser is None:
            raise WorkbenchError(f"{where}: b4 found no patches of v{chosen}: "
                                 + "; ".join(said[-3:]))
        try:
            am = lser.get_am_ready(noaddtrailers=False, addmysob=False, addlink=False)
        except SystemExit as exc:  # b4's refusal (e.g. unicode control characters)
            raise WorkbenchError(f"{where}: b4 refuses the series: "
                                 + "; ".join(s for s in said if s and s != "---")) from exc
    patches: list[Mail] = []
    trailers: list[str] = []
    for lmsg, am_msg in zip([p for p in lser.patches[1:] if p is not None], am, strict=True):
        src = origin.get(lmsg.msgid)
        patches.append(Mail(am_msg, src.origin if src else where))
        trailers += [f"{t.name}: {t.value} ({lmsg.counter}/{lmsg.expected})"
                     for t in lmsg.followup_trailers]
    cover_l = lser.patches[0] if lser.has_cover else None
    if cover_l is not None:
        trailers += [f"{t.name}: {t.value} (cover letter: every patch)"
                     for t in cover_l.followup_trailers]
    cover = None
    if cover_l is not None:
        src = origin.get(cover_l.msgid)
        cover = Mail(cover_l.msg, src.origin if src else where)
    return Picked(lser.revision, revisions, patches, cover, lser.base_commit, lser.change_id,
                  trailers, replies, said)
