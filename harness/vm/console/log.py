"""The console log: everything the guest wrote, as it comes, with the harness's own notes."""

from __future__ import annotations

import re
from pathlib import Path

_CRLF = re.compile(r"\r+\n")


class ConsoleLog:
    """The console log: everything read, CR..CR-LF turned into LF, flushed at every write.

    Harness notes go on lines of their own, starting with ``### kwb:``. A note made while the
    guest is mid-line waits for the end of that line (so it never splits a kernel line), unless
    it is forced (harness actions, which happen at a prompt or when giving up).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._held_cr = False
        self._at_bol = True
        self._queued: list[str] = []

    def write(self, text: str) -> None:
        if self._fh.closed or not text:
            return
        if self._held_cr:
            text = "\r" + text
            self._held_cr = False
        if text.endswith("\r"):
            text, self._held_cr = text.rstrip("\r"), True
        text = _CRLF.sub("\n", text)
        if not text:
            return
        if self._queued and "\n" in text:
            head, _, tail = text.rpartition("\n")
            self._fh.write(head + "\n" + "".join(self._queued) + tail)
            self._queued.clear()
        else:
            self._fh.write(text)
        self._fh.flush()
        self._at_bol = text.endswith("\n")

    def note(self, msg: str, *, force: bool = True) -> None:
        if self._fh.closed:
            return
        line = f"### kwb: {msg}\n"
        if not self._at_bol and not force:
            self._queued.append(line)
            return
        prefix = "" if self._at_bol and not self._held_cr else "\n"
        self._held_cr = False
        self._fh.write(prefix + "".join(self._queued) + line)
        self._queued.clear()
        self._fh.flush()
        self._at_bol = True

    def close(self) -> None:
        if not self._fh.closed:
            if self._queued:
                self._fh.write(("" if self._at_bol else "\n") + "".join(self._queued))
            self._fh.close()
