"""The HTML report's account of what was tested: the series (title, version, each patch's
subject, its checkpatch result and its --each-patch build), each kernel's manifest, a chart of
per-test wall time base vs patched, and links to every log. Renders; decides nothing.
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.results.model import RunResult

_BAR_H, _GAP, _LABEL_W, _PLOT_W = 9, 6, 330, 420
COLOURS = {"base": "#7a9cc6", "patched": "#d08c3a"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def link(path: str | os.PathLike[str] | None, out_dir: Path | None, text: str = "") -> str:
    """A link to a local file: relative to the report when it lies below it, else file://."""
    if not path:
        return "-"
    p = Path(path)
    href = p.as_uri() if p.is_absolute() else str(p)
    if out_dir is not None and p.is_absolute():
        with contextlib.suppress(ValueError):  # not below the report: file:// stays
            href = str(p.relative_to(out_dir.resolve()))
    return f'<a href="{_e(href)}">{_e(text or p.name)}</a>'


def _series(m: Mapping[str, Any]) -> list[str]:
    s = m.get("series") or {}
    out = [f"<h3>Series: {_e(s.get('title', '?'))} (v{_e(s.get('version', 1))}, "
           f"{_e(s.get('count', 0))} patches, from {_e(s.get('source', '?'))})</h3>"]
    style = s.get("checkpatch") or {}
    builds = {int(e["index"]): e for e in (m.get("each_patch") or [])}
    out.append("<table><tr><th>#</th><th>subject</th><th>commit</th>"
               "<th>checkpatch --strict</th><th>builds on its own (--each-patch)</th></tr>")
    for p in s.get("patches", []):
        n = int(p["index"])
        key = f"{n}/{p['total']}"
        cp = style.get(key, "not run")
        cp_cls = "pass" if cp == "clean" else ("skip" if cp == "not run" else "fail")
        b = builds.get(n)
        if b is None:
            built, b_cls = "not checked (run apply-and-build --each-patch)", "skip"
        else:
            built = f"{'ok' if b.get('ok') else 'FAILED'} ({b.get('seconds', '?')}s)"
            b_cls = "pass" if b.get("ok") else "fail"
        out.append(f"<tr><td>{_e(key)}</td><td>{_e(p['subject'])}</td>"
                   f"<td><code>{_e(str(p.get('commit', ''))[:12])}</code></td>"
                   f'<td class="{cp_cls}">{_e(cp)}</td><td class="{b_cls}">{_e(built)}</td>'
                   "</tr>")
    out.append("</table>")
    return out


def _manifest(m: Mapping[str, Any], out_dir: Path | None) -> list[str]:
    tree, cfg, art = m.get("tree", {}), m.get("config", {}), m.get("artifacts", {})
    facts = [
        ("tree", tree.get("source")),
        ("base commit", tree.get("base_commit")),
        ("head commit", tree.get("head_commit")),
        ("config", f"{cfg.get('name')} (sha256 {str(cfg.get('sha256', ''))[:16]}…)"),
        ("fragments", ", ".join(Path(f).name for f in cfg.get("fragments", []))),
        ("not in this tree, not checked", ", ".join(cfg.get("skipped_undefined", []))),
        ("build timings", ", ".join(f"{k}: {v:.1f}s" for k, v in m.get("timings", {}).items()
                                    if isinstance(v, int | float))),
        ("tools", ", ".join(f"{k} {v}" for k, v in m.get("tools", {}).items())),
    ]
    out = [f"<h3>{_e(m.get('variant', '?'))} kernel</h3><table>"]
    out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts if v]
    logs = [link(art.get("build_log"), out_dir, "build log"),
            link(Path(art["objdir"]) / "kwb-manifest.json" if art.get("objdir") else None,
                 out_dir, "kwb-manifest.json"),
            link(cfg.get("path"), out_dir, ".config")]
    out.append(f"<tr><th>files</th><td>{' · '.join(logs)}</td></tr></table>")
    return out


def tested_section(manifests: Sequence[Mapping[str, Any]], out_dir: Path | None) -> list[str]:
    """What was tested: the series once (from the patched side), then every kernel."""
    if not manifests:
        return []
    out = ["<h2>What was tested</h2>"]
    with_series = [m for m in manifests if m.get("series")]
    if with_series:
        out += _series(with_series[-1])
    for m in manifests:
        out += _manifest(m, out_dir)
    return out


def time_chart(runs: Sequence[RunResult]) -> list[str]:
    """Per-test wall time, one bar per kernel, as inline SVG (no script, no external asset)."""
    names: list[str] = []
    for run in runs:
        names += [t.name for t in run.tests if t.name not in names]
    durations = {(run.label, t.name): t.duration for run in runs for t in run.tests
                 if t.duration is not None}
    if not durations:
        return []
    top = max(durations.values()) or 1.0
    row_h = len(runs) * _BAR_H + _GAP
    height = len(names) * row_h + 30
    svg = [f'<svg width="{_LABEL_W + _PLOT_W + 80}" '
           f'height="{height}" role="img" aria-label="per-test wall time">']
    for i, name in enumerate(names):
        y0 = 20 + i * row_h
        svg.append(f'<text x="{_LABEL_W - 6}" y="{y0 + len(runs) * _BAR_H - 2}" '
                   f'font-size="11" text-anchor="end">{_e(name)}</text>')
        for j, run in enumerate(runs):
            d = durations.get((run.label, name))
            if d is None:
                continue
            w = max(1.0, _PLOT_W * d / top)
            colour = COLOURS.get(run.label, "#999")
            y = y0 + j * _BAR_H
            svg.append(f'<rect x="{_LABEL_W}" y="{y}" width="{w:.1f}" height="{_BAR_H - 1}" '
                       f'fill="{colour}"><title>{_e(run.label)}: {d:.2f}s</title></rect>')
            svg.append(f'<text x="{_LABEL_W + w + 4:.1f}" y="{y + _BAR_H - 1}" '
                       f'font-size="9">{d:.2f}s</text>')
    legend = " ".join(f'<span style="color:{COLOURS.get(r.label, "#999")}">■</span> '
                      f"{_e(r.label)}" for r in runs)
    svg.append("</svg>")
    return ["<h2>Wall time per test</h2>", f"<p>{legend} (seconds, longest = full width)</p>",
            *svg]


def log_links(runs: Sequence[RunResult], out_dir: Path | None) -> list[str]:
    """Every log of the runs: the console logs (the KUnit boots' too) and result files."""
    out = ["<h2>Logs</h2><ul>"]
    for run in runs:
        logs: list[Path] = []
        if run.console_log:
            logs.append(Path(run.console_log))
            logs += sorted(p for p in Path(run.console_log).parent.glob("**/*.log")
                           if p != Path(run.console_log))
        items = ", ".join(link(p, out_dir, str(p.parent.name + "/" + p.name)) for p in logs)
        out.append(f"<li>{_e(run.label)}: {items or 'no console log'}</li>")
    if out_dir is not None:
        files = ", ".join(link(out_dir / f, out_dir, f) for f in
                          ("results.json", "junit.xml", "kcidb.json") if (out_dir / f).exists())
        out.append(f"<li>results: {files}</li>")
    out.append("</ul>")
    return out
