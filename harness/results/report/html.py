"""The HTML report: one self-contained file (no external assets, no script), everything escaped.

Order: the verdict and why, the skips, the comparison (regressions first), then per run its
kernel, its crash excerpt, its tests with their output in ``<details>``, and its console log.
Nothing is dropped: a console log too large to embed is cut in the middle with a marker
saying how much was left out and where the full file is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness import __version__
from harness.results.compare import Comparison, Verdict
from harness.results.ktap import KEY_SEP, TestResult
from harness.results.model import RunResult, TestRun, now_iso
from harness.results.status import Status
from harness.results.verdict import Exit, Judgement

from . import groups, tested

CONSOLE_LIMIT = 4 * 1024 * 1024  # bytes of console log embedded per run

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1, h2, h3 { margin: 1em 0 .4em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
th { background: #eee; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: .5em; overflow-x: auto;
      white-space: pre-wrap; word-break: break-all; }
details { margin: .3em 0; }
summary { cursor: pointer; }
.banner { padding: .6em 1em; border-radius: 4px; font-weight: bold; }
.ok { background: #dfd; } .bad { background: #fdd; } .warn { background: #ffd; }
.pass, .unchanged-pass, .fixed { color: #070; }
.fail, .error, .timeout, .unchanged-fail { color: #b00; }
.crash, .hang, .regression { color: #fff; background: #b00; font-weight: bold; }
.skip, .new-skip, .skip-both, .skip-base, .missing, .missing-in-base, .missing-in-patched
  { background: #fe6; font-weight: bold; }
.known { color: #666; font-style: italic; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _anchor(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-")


def _pre(text: str) -> str:
    return f"<pre>{_e(text)}</pre>"


def _judgement(j: Judgement) -> list[str]:
    cls = "ok" if j.exit is Exit.OK else "bad"
    out = [f'<div class="banner {cls}">Result: {_e(j.word)} (exit status {int(j.exit)})</div>']
    if j.problems:
        out.append("<h3>Why not 0</h3><ul>")
        out += [f"<li>{_e(p)}</li>" for p in j.problems]
        out.append("</ul>")
    headline = j.skip_headline()
    if headline:
        out.append(f'<div class="banner warn">{_e(headline)}</div><ul>')
        out += [f'<li class="skip">{_e(k)} {_e(w)}</li>' for k, w in j.skips]
        out.append("</ul>")
    if j.notes:
        out.append("<h3>Notes</h3><ul>")
        out += [f"<li>{_e(n)}</li>" for n in j.notes]
        out.append("</ul>")
    return out


def _comparison(comp: Comparison) -> list[str]:
    b, p = comp.base.label, comp.patched.label
    counts = comp.counts()
    out = ["<h2>Comparison</h2>"]
    summary = ", ".join(f"{v.value}: {counts[v]}" for v in Verdict if counts[v])
    out.append(f"<p>{_e(summary)}</p>")
    regressions = comp.by_verdict(Verdict.REGRESSION)
    if regressions:
        out.append(f"<h3>Regressions ({len(regressions)})</h3><ul>")
        out += [f'<li class="regression">{_e(r.test)}: {_e(r.note)}</li>' for r in regressions]
        out.append("</ul>")
    out.append(
        f"<table><tr><th>test</th><th>{_e(b)}</th><th>{_e(p)}</th>"
        "<th>verdict</th><th>note</th></tr>"
    )
    for r in comp.rows:
        note_cls = ' class="known"' if r.known is not None else ""
        program = r.test.split(KEY_SEP)[0]
        links = " ".join(
            f'<a href="#{_anchor(label, program)}">{_e(label)}</a>'
            for label, run in ((b, comp.base), (p, comp.patched))
            if run.test(program) is not None
        )
        out.append(
            f"<tr><td>{_e(r.test)} <small>({links})</small></td>"
            f'<td class="{_e(r.base.value)}">{_e(r.base.value)}</td>'
            f'<td class="{_e(r.patched.value)}">{_e(r.patched.value)}</td>'
            f'<td class="{_e(r.verdict.value)}">{_e(r.verdict_text)}</td>'
            f"<td{note_cls}>{_e(r.note)}</td></tr>"
        )
    out.append("</table>")
    return out


def _known(known: Mapping[str, str]) -> list[str]:
    out = ["<h2>Known environment failures (kernel-config/known-failures.txt)</h2>"]
    if not known:
        return [*out, "<p>No entries.</p>"]
    out.append("<table><tr><th>test</th><th>reason</th></tr>")
    out += [f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in known.items()]
    out.append("</table>")
    return out


def _node_status(state: Status, node: TestResult) -> str:
    return state.value if state.kernel_down else node.status.value


def _test_details(run: RunResult, test: TestRun) -> list[str]:
    state = test.state()
    status = _node_status(state, test.result)
    out = [
        f'<details id="{_anchor(run.label, test.name)}"><summary>'
        f'{_e(test.name)} — <span class="{_e(status)}">{_e(status)}</span>'
        f"{' — ' + _e(test.result.reason) if test.result.reason else ''}</summary>"
    ]
    facts = [
        ("exit code", "none (did not exit)" if test.exit_code is None else test.exit_code),
        ("duration", "-" if test.duration is None else f"{test.duration:.1f}s"),
    ]
    if test.result.errors:
        facts.append(("output problems", "; ".join(test.result.errors)))
    out.append("<table>")
    out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts]
    out.append("</table>")
    if test.console_excerpt:
        out.append(f"<h4>Kernel {_e(state.value)} during this test</h4>")
        out.append(_pre("\n".join(test.console_excerpt)))
    subs = list(test.nodes())[1:]
    if subs:
        out.append("<table><tr><th>subtest</th><th>status</th><th>reason</th></tr>")
        out += [
            f'<tr><td>{_e(k)}</td><td class="{_e(n.status.value)}">{_e(n.status.value)}</td>'
            f"<td>{_e(n.reason)}</td></tr>"
            for k, n in subs
        ]
        out.append("</table>")
    out.append("<h4>Output</h4>")
    out.append(_pre(test.output) if test.output else "<p>(no output)</p>")
    out.append("</details>")
    return out


def _console(run: RunResult, limit: int) -> list[str]:
    head = f"<h3>Console log{f' ({_e(run.console_log)})' if run.console_log else ''}</h3>"
    if not run.console_log:
        return [head, "<p>(no console log recorded)</p>"]
    path = Path(run.console_log)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [head, f"<p>(console log not readable: {_e(exc)})</p>"]
    if len(data) > limit:
        half = limit // 2
        omitted = len(data) - 2 * half
        marker = f"\n[... {omitted} bytes omitted here; the full log is {run.console_log} ...]\n"
        data = data[:half] + marker.encode() + data[-half:]
    text = data.decode("utf-8", errors="replace")
    return [head, f"<details><summary>show {len(data)} bytes</summary>{_pre(text)}</details>"]


def _run(run: RunResult, console_limit: int) -> list[str]:
    k = run.kernel
    out = [f'<h2 id="{_anchor("run", run.label)}">{_e(run.label)} — {_e(run.accelerator)}']
    out[-1] += f' — <span class="{_e(run.outcome.value)}">{_e(run.outcome.value)}</span></h2>'
    facts = [
        ("commit", k.commit),
        ("bzImage", k.bzimage),
        ("config hash", k.config_hash),
        ("release", k.release),
        ("accelerator", f"{run.accelerator} ({run.accelerator_why})" if run.accelerator_why
         else None),
        ("started", run.started),
        ("interrupted", f"by {run.interrupted}: only the tests that finished are reported"
         if run.interrupted else None),
        ("reason", run.reason),
        ("timings", ", ".join(f"{a}: {b:.1f}s" for a, b in run.timings.items())),
    ]
    out.append("<table>")
    out += [f"<tr><th>{_e(a)}</th><td>{_e(b)}</td></tr>" for a, b in facts if b]
    out.append("</table>")
    if run.excerpt:
        out.append(f"<h3>Kernel {_e(run.outcome.value)}: console excerpt</h3>")
        out.append(_pre("\n".join(run.excerpt)))
    out.append("<h3>Tests</h3>")
    if not run.tests:
        out.append("<p>(no tests ran)</p>")
    for test in run.tests:
        out += _test_details(run, test)
    out += _console(run, console_limit)
    return out


def render_html(
    runs: Sequence[RunResult] = (),
    comparison: Comparison | None = None,
    *,
    judgement: Judgement,
    known: Mapping[str, str] | None = None,
    title: str = "kwb report",
    console_limit: int = CONSOLE_LIMIT,
    manifests: Sequence[Mapping[str, Any]] = (),
    out_dir: Path | None = None,
) -> str:
    """The report for ``runs`` (default: the comparison's base and patched runs); with the
    kernels' ``manifests``, what was tested (series, patches, checkpatch, builds)."""
    if comparison is not None and not runs:
        runs = [comparison.base, comparison.patched]
    if comparison is not None:
        known = comparison.known if known is None else known
    body: list[str] = [f"<h1>{_e(title)}</h1>", f"<p>kwb {_e(__version__)}, {_e(now_iso())}</p>"]
    body += _judgement(judgement)
    body += tested.tested_section(manifests, out_dir)
    if comparison is not None:
        body += _comparison(comparison)
    body += tested.time_chart(runs)
    body += groups.html_sections(runs, comparison)  # collections, confirmation re-runs
    body += _known(known or {})
    body += tested.log_links(runs, out_dir)
    for run in runs:
        body += _run(run, console_limit)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_html(
    path: Path,
    runs: Sequence[RunResult] = (),
    comparison: Comparison | None = None,
    *,
    judgement: Judgement,
    known: Mapping[str, str] | None = None,
    title: str = "kwb report",
    manifests: Sequence[Mapping[str, Any]] = (),
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    page = render_html(runs, comparison, judgement=judgement, known=known, title=title,
                       manifests=manifests, out_dir=path.parent.resolve())
    path.write_text(page, encoding="utf-8")
    return path
