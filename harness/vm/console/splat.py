"""Kernel splat detection on console lines: panic, oops, BUG, WARNING, KASAN, UBSAN, lockdep,
lockups, RCU stalls, hung tasks, Call Trace.

:func:`splat_kind` names the report a line opens; :class:`SplatDetector` turns a stream of lines
into :class:`Event` s, each with an excerpt of the report (up to its end marker or
:data:`EXCERPT_LINES` lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXCERPT_LINES = 40

# Where a kernel line starts: line start, after the printk timestamp / caller id, or after a
# shell prompt the kernel wrote into (a serial console interleaves both).
_K = r"(?:^|\]\s*|[$#]\s+)"

# The first pattern that matches names the kind, so specific ones come first.
SPLAT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx))
    for kind, rx in (
        ("panic", r"Kernel panic - not syncing"),
        ("kasan", _K + r"BUG: KASAN: "),
        ("kfence", _K + r"BUG: KFENCE: "),
        ("ubsan", _K + r"UBSAN: "),
        ("soft-lockup", _K + r"watchdog: BUG: soft lockup"),
        ("hard-lockup", _K + r"(?:NMI )?watchdog: (?:Watchdog detected )?hard LOCKUP"),
        ("rcu-stall", _K + r"rcu: INFO: \S+ (?:self-)?detected stalls?"),
        ("rcu-stall", _K + r"INFO: rcu_\w+ (?:self-)?detected stalls?"),
        ("hung-task", _K + r"INFO: task .* blocked for more than \d+ seconds"),
        ("lockdep", _K + r"WARNING: possible (?:circular|recursive) locking"),
        ("lockdep", _K + r"WARNING: (?:suspicious RCU usage|inconsistent lock state)"),
        ("gpf", _K + r"(?:Oops: )?general protection fault"),
        ("bug", _K + r"BUG: "),
        ("bug", _K + r"kernel BUG at "),
        ("oops", _K + r"Oops: "),
        ("warning", _K + r"WARNING: "),
        ("call-trace", _K + r"Call Trace:"),
    )
)
_SPLAT_END = re.compile(r"---\[ end (?:trace|Kernel panic)|^(?:\[[^\]]*\]\s*)?={20,}\s*$")


def splat_kind(line: str) -> str | None:
    """The kind of kernel report ``line`` opens (``panic``, ``oops``, ``bug``, ...), or None."""
    for kind, rx in SPLAT_PATTERNS:
        if rx.search(line):
            return kind
    return None


@dataclass
class Event:
    """A kernel report seen on the console.

    ``excerpt`` is the report's lines up to its end marker or :data:`EXCERPT_LINES` lines;
    ``command`` the harness command running when it began (None: boot or between commands);
    ``at`` seconds since the guest was started.
    """

    kind: str
    line: str
    excerpt: str
    command: str | None
    at: float


class SplatDetector:
    """Feeds on console lines; opens an :class:`Event` per report and grows its excerpt."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._open: Event | None = None
        self._lines = 0

    def feed(self, line: str, command: str | None, at: float) -> Event | None:
        """Take one console line; return the Event it opens, if any."""
        kind = splat_kind(line)
        cur = self._open
        if cur is not None and (kind != "panic" or cur.kind == "panic"):
            # Inside a report only a panic opens a new one: an oops' "Call Trace:" or the
            # "BUG: KASAN:" under a KASAN rule belong to the report being collected.
            cur.excerpt += "\n" + line
            self._lines += 1
            if _SPLAT_END.search(line) or self._lines >= EXCERPT_LINES:
                self._open = None
            return None
        if kind is None:
            return None
        event = Event(kind, line.strip(), line, command, round(at, 3))
        self.events.append(event)
        self._open = event
        self._lines = 1
        return event

    def end_excerpt(self) -> None:
        """Close the report being collected (a harness marker line arrived)."""
        self._open = None
