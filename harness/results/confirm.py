"""Regressions confirmed, not guessed: per-boot results of a test on two kernels, judged.

A test whose result differs between base and patched is re-run on fresh boots of both kernels
(``harness.vm.confirm`` does the boots); this module judges what came back. Per kernel: the
result of every boot, the pass rate, and *flaky* when the same kernel gave both a pass and a
failure. Between kernels: Fisher's exact test (two-sided) on the 2x2 table

                pass   failing
    base         a       b
    patched      c       d

and the difference is *significant* when p < ``ALPHA``. With 4 boots of each (the first run
and 3 re-runs, the default) a test that passes every time on one kernel and fails every time on
the other gives p = 2/70 = 0.029: a deterministic regression is confirmed; 7/11 against 3/11
(x86_64/kvm_clock_test under TCG, measured) gives p = 0.20: not a regression, a flaky test.

Only pass and failing (fail, error, timeout, crash, hang) boots are counted; a boot where the
test skipped or did not run is shown but gives no answer. Imports nothing of kwb: statuses are
read by their string values, so any status enum of the results model works.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ALPHA = 0.05
DEFAULT_REBOOTS = 3  # fresh boots of each kernel per confirmation (--confirm N)

PASSING = frozenset({"pass", "xfail", "xpass", "todo"})
FAILING = frozenset({"fail", "error", "timeout", "crash", "hang"})


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the 2x2 table [[a, b], [c, d]].

    Sums the hypergeometric probabilities of every table with the same margins that is no
    more likely than the one observed (as R's fisher.test and scipy's fisher_exact do).
    """
    if min(a, b, c, d) < 0:
        raise ValueError("Fisher's exact test needs non-negative counts")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0:
        return 1.0
    total = math.comb(n, col1)

    def prob(x: int) -> float:
        return math.comb(row1, x) * math.comb(row2, col1 - x) / total

    observed = prob(a)
    lo, hi = max(0, col1 - row2), min(row1, col1)
    p = sum(q for x in range(lo, hi + 1) if (q := prob(x)) <= observed * (1 + 1e-7))
    return min(1.0, p)


def _value(status: object) -> str:
    return str(getattr(status, "value", status)).lower()


@dataclass
class Boots:
    """One test on one kernel, boot after boot (the first is the original run)."""

    label: str
    results: list[str] = field(default_factory=list)  # status values, one per boot

    @property
    def passes(self) -> int:
        return sum(r in PASSING for r in self.results)

    @property
    def failures(self) -> int:
        return sum(r in FAILING for r in self.results)

    @property
    def answered(self) -> int:
        return self.passes + self.failures

    @property
    def rate(self) -> float | None:
        """Pass rate over the boots that gave an answer (None: none did)."""
        return self.passes / self.answered if self.answered else None

    @property
    def flaky(self) -> bool:
        return self.passes > 0 and self.failures > 0

    def text(self) -> str:
        rate = "-" if self.rate is None else f"{self.rate:.0%}"
        return (f"{self.label}: passed {self.passes}/{self.answered} boots ({rate}) "
                f"[{' '.join(self.results)}]")


class Finding(StrEnum):
    REGRESSION = "confirmed regression"
    FIXED = "confirmed fix"
    FLAKY = "flaky"  # a kernel gave both results; the kernels do not differ significantly
    NOT_SIGNIFICANT = "not significant"  # stable per kernel, too few boots to tell
    NO_ANSWER = "no answer"  # a kernel never passed nor failed (skips, did not run)


@dataclass
class Confirmation:
    """The re-runs of one test on both kernels and what they say."""

    test: str
    base: Boots
    patched: Boots
    first: str = ""  # the comparison's verdict before the re-runs ("regression", "fixed")

    @property
    def p_value(self) -> float:
        b, p = self.base, self.patched
        return fisher_exact(b.passes, b.failures, p.passes, p.failures)

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    @property
    def flaky(self) -> bool:
        return self.base.flaky or self.patched.flaky

    @property
    def finding(self) -> Finding:
        b, p = self.base.rate, self.patched.rate
        if b is None or p is None:
            return Finding.NO_ANSWER
        if self.significant:
            return Finding.REGRESSION if p < b else Finding.FIXED
        return Finding.FLAKY if self.flaky else Finding.NOT_SIGNIFICANT

    @property
    def confirmed_regression(self) -> bool:
        return self.finding is Finding.REGRESSION

    def text(self) -> str:
        """One line: the finding, the rates and the p-value at the boots run."""
        boots = f"{len(self.base.results)}+{len(self.patched.results)} boots"
        verdict = {
            Finding.REGRESSION: "regression confirmed",
            Finding.FIXED: "fix confirmed",
            Finding.FLAKY: "flaky, not a confirmed regression"
            if self.first != "fixed" else "flaky, not a confirmed fix",
            Finding.NOT_SIGNIFICANT: "difference not significant",
            Finding.NO_ANSWER: "no answer on a kernel",
        }[self.finding]
        flaky = [k.label for k in (self.base, self.patched) if k.flaky]
        tail = f"; flaky on {' and '.join(flaky)}" if flaky and self.significant else ""
        sig = "significant" if self.significant else "not significant"
        return (f"{self.test}: {verdict}: {self.base.text()}; {self.patched.text()}; "
                f"Fisher's exact test p = {self.p_value:.3g} ({sig} at {boots}, "
                f"alpha {ALPHA}){tail}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "first_verdict": self.first,
            "finding": self.finding.value,
            "flaky": self.flaky,
            "p_value": round(self.p_value, 6),
            "significant": self.significant,
            "base": {"label": self.base.label, "boots": list(self.base.results),
                     "passes": self.base.passes, "answered": self.base.answered},
            "patched": {"label": self.patched.label, "boots": list(self.patched.results),
                        "passes": self.patched.passes, "answered": self.patched.answered},
            "text": self.text(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Confirmation:
        return cls(data["test"],
                   Boots(data["base"]["label"], list(data["base"]["boots"])),
                   Boots(data["patched"]["label"], list(data["patched"]["boots"])),
                   data.get("first_verdict", ""))


def confirmation(test: str, base: Sequence[object], patched: Sequence[object],
                 labels: tuple[str, str] = ("base", "patched"), first: str = "") -> Confirmation:
    """A Confirmation from per-boot statuses (any enum with string values, or strings)."""
    return Confirmation(test, Boots(labels[0], [_value(s) for s in base]),
                        Boots(labels[1], [_value(s) for s in patched]), first)


def differing(rows: Iterable[Any]) -> list[str]:
    """The tests (keys: programs or ``program::subtest``) of a comparison's rows whose first
    results differ between a pass and a failure: a regression or a fix."""
    out: list[str] = []
    for row in rows:
        if _value(row.verdict) not in ("regression", "fixed"):
            continue
        states = {_value(row.base), _value(row.patched)}
        if states & PASSING and states & FAILING and row.test not in out:
            out.append(row.test)
    return out


def program(key: str) -> str:
    """The program a test key belongs to (``prog::sub`` -> ``prog``)."""
    return key.split("::", 1)[0]
