"""What every report says about whole collections and confirmation re-runs.

* A collection (``--tests kvm``): one line per collection and run counting its programs by
  status, with the time they took -- ``kvm: 84 programs on base in 9m39s: 36 pass, 35 skip,
  10 fail, 3 timeout``; the tests of a collection are listed under it.
* Confirmations (``harness.vm.confirm``): one line per re-run test with its per-boot results,
  pass rates, flaky or not, and Fisher's p-value.

The writers (terminal summary, HTML) render these lines; they decide nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.results.compare import Comparison
from harness.results.model import RunResult, TestRun

# status order in the count lines: what needs attention first
_ORDER = ("crash", "hang", "fail", "error", "timeout", "skip", "pass")


@dataclass
class Group:
    collection: str
    run: str  # the run's label
    tests: list[TestRun] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(str(t.state().value) for t in self.tests)

    @property
    def seconds(self) -> float:
        return sum(t.duration or 0.0 for t in self.tests)

    def line(self) -> str:
        counts = self.counts()
        order = [s for s in _ORDER if counts[s]] + sorted(s for s in counts if s not in _ORDER)
        m, s = divmod(round(self.seconds), 60)
        return (f"{self.collection}: {len(self.tests)} programs on {self.run} in {m}m{s:02d}s: "
                + ", ".join(f"{counts[k]} {k}" for k in order))


def groups(run: RunResult) -> list[Group]:
    """The run's collections, in the order their first test ran."""
    out: dict[str, Group] = {}
    for t in run.tests:
        if t.collection:
            out.setdefault(t.collection, Group(t.collection, run.label)).tests.append(t)
    return list(out.values())


def collection_of(runs: Sequence[RunResult], test: str) -> str | None:
    """The collection a test key ran in (in any of ``runs``)."""
    program = test.split("::", 1)[0]
    for run in runs:
        t = run.test(program)
        if t is not None and t.collection:
            return t.collection
    return None


def collection_lines(subject: RunResult | Comparison) -> list[str]:
    runs = [subject] if isinstance(subject, RunResult) else [subject.base, subject.patched]
    return [g.line() for run in runs for g in groups(run)]


def confirmation_lines(subject: RunResult | Comparison) -> list[str]:
    if isinstance(subject, RunResult):
        return []
    return [c.text() for c in subject.confirmations.values()]


def summary_lines(subject: RunResult | Comparison) -> list[str]:
    """The lines the terminal summary prints before its verdict."""
    return [f"COLLECTION {line}" for line in collection_lines(subject)] + \
        [f"CONFIRM {line}" for line in confirmation_lines(subject)]


def html_sections(runs: Sequence[RunResult], comparison: Comparison | None) -> list[str]:
    """The HTML report's "Collections" and "Confirmed on fresh boots" sections (escaped)."""
    from html import escape

    out: list[str] = []
    per_run = [(run, groups(run)) for run in runs]
    names = list(dict.fromkeys(g.collection for _run, gs in per_run for g in gs))
    if names:
        out.append("<h2>Collections</h2>")
    for name in names:
        out.append(f"<h3>{escape(name)}</h3><ul>")
        out += [f"<li>{escape(g.line())}</li>" for _run, gs in per_run for g in gs
                if g.collection == name]
        out.append("</ul><table><tr><th>test</th>"
                   + "".join(f"<th>{escape(run.label)}</th>" for run, _gs in per_run)
                   + "</tr>")
        programs = list(dict.fromkeys(t.name for _run, gs in per_run for g in gs
                                      if g.collection == name for t in g.tests))
        for program in programs:
            cells = []
            for run, _gs in per_run:
                t = run.test(program)
                state = str(t.state().value) if t is not None else "missing"
                cells.append(f'<td class="{escape(state)}">{escape(state)}</td>')
            out.append(f"<tr><td>{escape(program)}</td>{''.join(cells)}</tr>")
        out.append("</table>")
    if comparison is not None and comparison.confirmations:
        b, p = comparison.base.label, comparison.patched.label
        out.append("<h2>Confirmed on fresh boots</h2>")
        out.append(f"<table><tr><th>test</th><th>first</th><th>{escape(b)} boots</th>"
                   f"<th>{escape(b)} pass rate</th><th>{escape(p)} boots</th>"
                   f"<th>{escape(p)} pass rate</th><th>Fisher p</th><th>finding</th></tr>")
        for c in comparison.confirmations.values():
            rates = [f"{k.passes}/{k.answered}" + (" flaky" if k.flaky else "")
                     for k in (c.base, c.patched)]
            out.append(
                f"<tr><td>{escape(c.test)}</td><td>{escape(c.first)}</td>"
                f"<td>{escape(' '.join(c.base.results))}</td><td>{escape(rates[0])}</td>"
                f"<td>{escape(' '.join(c.patched.results))}</td><td>{escape(rates[1])}</td>"
                f"<td>{c.p_value:.3g}</td><td>{escape(c.finding.value)}</td></tr>")
        out.append("</table>")
    return out
