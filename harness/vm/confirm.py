"""Confirm a difference between base and patched on fresh boots before calling it a regression.

:func:`confirm_comparison` takes the tests whose first results differ (a pass on one kernel, a
failure on the other), boots each kernel ``reboots`` more times running just those programs,
alternating base and patched so that a drift of the host hits both alike, and records every
boot's status of every such test in ``comparison.confirmations``; the verdict
(:mod:`harness.results.verdict`) then calls a regression only what the re-runs confirm
(:mod:`harness.results.confirm`: pass rates, flaky, Fisher's exact test).

:func:`confirm_statuses` does the same for a bisect step: a test's status re-read on fresh
boots of one kernel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from harness.proc import info
from harness.results import compare, confirm, model

from . import stage

BootAndTest = Callable[[Path, stage.TestOptions], model.RunResult]


def status_in(run: model.RunResult, key: str) -> str:
    """``key``'s status in one boot: its own, else what the kernel did (crash/hang), else
    missing (the boot gave no answer for it)."""
    entry = run.entries().get(key)
    if entry is not None:
        return str(entry[0].value)
    if run.outcome.kernel_down:
        return str(run.outcome.value)
    return "missing"


def confirm_comparison(comp: compare.Comparison, manifests: Sequence[Path],
                       opts: stage.TestOptions, reboots: int, out: Path,
                       boot: BootAndTest = stage.boot_and_test) -> list[confirm.Confirmation]:
    """Re-run the differing tests of ``comp`` on ``reboots`` fresh boots of each kernel
    (``manifests``: base, patched); the confirmations are also kept in ``comp``."""
    keys = confirm.differing(comp.rows)
    if not keys or reboots <= 0:
        return []
    programs = list(dict.fromkeys(confirm.program(k) for k in keys))
    runs = {comp.base.label: [comp.base], comp.patched.label: [comp.patched]}
    info(f"confirming {len(keys)} differing result(s) ({', '.join(keys)}) on {reboots} fresh "
         f"boot(s) of each kernel")
    for i in range(1, reboots + 1):
        for label, path in zip((comp.base.label, comp.patched.label), manifests, strict=True):
            o = replace(opts, tests=programs, shard=None, out_dir=out / f"{label}-{i}")
            runs[label].append(boot(path, o))
    found = []
    for key in keys:
        row = next(r for r in comp.rows if r.test == key)
        c = confirm.confirmation(
            key, [status_in(r, key) for r in runs[comp.base.label]],
            [status_in(r, key) for r in runs[comp.patched.label]],
            (comp.base.label, comp.patched.label), str(row.verdict.value))
        comp.confirmations[key] = c
        found.append(c)
        info(f"confirm: {c.text()}")
    return found


def confirm_statuses(first: dict[str, str], rerun: Callable[[], dict[str, str]],
                     reboots: int) -> dict[str, confirm.Boots]:
    """One kernel's statuses per test over the first run and ``reboots`` fresh ones."""
    boots = {name: confirm.Boots("this step", [status]) for name, status in first.items()}
    for _ in range(reboots):
        again = rerun()
        for name, b in boots.items():
            b.results.append(again.get(name, "missing"))
    return boots
