"""The terminal summary of a run or a comparison: rich on a terminal, plain text otherwise.

It renders the verdict it is given (:func:`harness.results.verdict.decide`), never its own."""

from __future__ import annotations

import io
import sys
from typing import IO

from harness.results.compare import Comparison
from harness.results.model import RunResult
from harness.results.verdict import Judgement

from . import groups


def _fmt_duration(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.1f}s"


def _verdict_block(judgement: Judgement) -> list[str]:
    lines = [f"PROBLEM: {p}" for p in judgement.problems]
    headline = judgement.skip_headline()
    if headline:
        lines.append(headline)
        lines += [f"  SKIP {key} {what}" for key, what in judgement.skips]
    lines += [f"NOTE: {n}" for n in judgement.notes]
    lines.append(judgement.result_line())
    return lines


def summary_rows(
    subject: RunResult | Comparison, judgement: Judgement,
) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, rows and the loud trailer lines of the summary table."""
    if isinstance(subject, RunResult):
        run = subject
        head = ["test", run.label, "time", "reason"]
        rows = []
        group = None
        for key, (state, node, test) in run.entries().items():
            if test.collection != group and node is test.result:  # a collection's tests
                group = test.collection  # come under its name
                if group:
                    rows.append([f"[{group}]", "", "", "collection"])
            shown = state.value if state.kernel_down else node.status.value
            if (run.label, key) in judgement.excused and state.failed:
                shown += " (known)"
            top = node is test.result
            rows.append([key, shown, _fmt_duration(test.duration) if top else "", node.reason])
        return head, rows, groups.summary_lines(run) + _verdict_block(judgement)
    comp = subject
    head = ["test", comp.base.label, comp.patched.label, "verdict"]
    rows = [[r.test, r.base.value, r.patched.value, r.verdict_text] for r in comp.rows]
    return head, rows, groups.summary_lines(comp) + _verdict_block(judgement)


def render_plain(subject: RunResult | Comparison, judgement: Judgement) -> str:
    head, rows, trailer = summary_rows(subject, judgement)
    table = [head, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(head) - 1)]
    out = io.StringIO()
    for r in table:
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)] + [r[-1]]
        out.write("  ".join(cells).rstrip() + "\n")
    for line in trailer:
        out.write(line + "\n")
    return out.getvalue()


_STYLE = {
    "pass": "green",
    "unchanged-pass": "green",
    "fixed": "green",
    "fail": "red",
    "error": "red",
    "timeout": "red",
    "crash": "bold red",
    "hang": "bold red",
    "regression": "bold red",
    "skip": "bold yellow",
    "missing": "bold yellow",
}


def render_rich(subject: RunResult | Comparison, judgement: Judgement, width: int = 120) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    head, rows, trailer = summary_rows(subject, judgement)
    table = Table(*head, show_lines=False)
    for r in rows:
        table.add_row(*(Text(c, style=_STYLE.get(c.split(" ")[0], "")) for c in r))
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=True, highlight=False)
    console.print(table)
    for line in trailer:
        style = "bold red"
        if line.startswith(("SKIP", "  SKIP", "NOTE")):
            style = "bold yellow"
        elif line.startswith(("COLLECTION", "CONFIRM")):
            style = "bold"
        elif line.startswith("RESULT: OK"):
            style = "bold green"
        console.print(Text(line, style=style))
    return buf.getvalue()


def print_summary(subject: RunResult | Comparison, judgement: Judgement,
                  file: IO[str] | None = None) -> None:
    """The summary table on ``file`` (stdout): rich on a terminal, plain text otherwise."""
    out = file or sys.stdout
    if out.isatty():
        import shutil

        out.write(render_rich(subject, judgement, width=shutil.get_terminal_size().columns))
    else:
        out.write(render_plain(subject, judgement))
    out.flush()
