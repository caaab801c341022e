"""Which tests one boot runs, with which timeout each: single selftests and whole collections.

The names come from ``--tests`` or ``kernel-config/tests.txt``; a collection entry (``kvm``,
``kvm:GLOB``) stands for the programs its build recorded in the manifest
(``artifacts.collections``, see :mod:`harness.build.collection`). A collection's programs get
its ``settings`` timeout, single tests the default one, and ``--timeout`` overrides both.
``--shard K/N`` keeps the K-th slice of the list. The wall time is estimated up front from the
durations measured on this machine; past 30 minutes the plan says so and how to shard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.build import collection
from harness.errors import WorkbenchError

DEFAULT_TIMEOUT = 120.0  # single selftests: tools/testing/selftests/kvm/settings


@dataclass
class Plan:
    tests: dict[str, Path]  # name -> binary on the host, in run order
    timeouts: dict[str, float]  # name -> seconds
    groups: dict[str, str] = field(default_factory=dict)  # name -> collection, when in one
    shard: tuple[int, int] | None = None
    estimate: collection.Estimate | None = None

    def note(self) -> str | None:
        """The up-front line for a collection: its size and estimated wall time."""
        if self.estimate is None:
            return None
        where = f"shard {self.shard[0]}/{self.shard[1]}: " if self.shard else ""
        if not self.estimate.measured:
            return (f"{where}{len(self.tests)} tests; never run on this machine, so at most "
                    f"{self.estimate.seconds / 60:.0f} min (each at its timeout); their "
                    "durations are kept for the next estimate")
        return f"{where}{len(self.tests)} tests, estimated {self.estimate.text()}"

    def warning(self) -> str | None:
        """The up-front warning for a run whose measured estimate is past 30 minutes (None
        when it is not, or when nothing was measured yet: see :meth:`note`)."""
        if self.estimate is None or not self.estimate.measured \
                or self.estimate.seconds <= collection.LONG_RUN_SECONDS:
            return None
        n = collection.shards_needed(self.estimate.seconds)
        where = f"shard {self.shard[0]}/{self.shard[1]}: " if self.shard else ""
        return (f"{where}{len(self.tests)} tests, estimated {self.estimate.text()}: over "
                f"{collection.LONG_RUN_SECONDS // 60} minutes; split it with --shard K/{n} "
                f"(K = 1..{n}, one boot each)")


def collections_of(artifacts: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's record of the collections built: {name: {programs, timeout}}."""
    data = artifacts.get("collections") or {}
    return {str(k): dict(v) for k, v in data.items()}


def plan(artifacts: Mapping[str, Any], names: Sequence[str], *,
         timeout: float | None = None, shard: tuple[int, int] | None = None,
         durations: Mapping[str, float] | None = None, where: str = "this build") -> Plan:
    """The plan for ``names`` (single tests and collection entries) over a build's artifacts."""
    built: dict[str, str] = dict(artifacts.get("selftests") or {})
    cols = collections_of(artifacts)
    listing = {name: list(c.get("programs", [])) for name, c in cols.items()}
    for entry in names:
        hit = collection.collection_of(entry)
        if hit is not None and hit[0].name not in listing:
            raise WorkbenchError(
                f"{where}: collection {hit[0].name!r} was not built for this kernel; build it "
                f"with `--tests {entry}` (or a {hit[0].name}:* line in kernel-config/tests.txt)")
    selected = collection.select(list(names), listing)
    wanted = [c.name for c in collection.requested(names)]
    groups = {p: c for c in wanted for p in listing[c]}
    if shard is not None:
        selected = collection.shard(selected, *shard)
    missing = [n for n in selected if n not in built]
    if missing:
        raise WorkbenchError(
            f"{where}: selftest(s) {', '.join(missing)} were not built for this kernel; "
            f"built: {', '.join(sorted(built)) or 'none'}. Add them to kernel-config/tests.txt "
            "(or --tests) and build again.")
    timeouts = {}
    for name in selected:
        col = groups.get(name)
        default = float(cols[col].get("timeout", DEFAULT_TIMEOUT)) if col else DEFAULT_TIMEOUT
        timeouts[name] = timeout if timeout is not None else default
    est = collection.estimate(selected, timeouts, durations or {}) if groups else None
    return Plan({n: Path(built[n]) for n in selected}, timeouts,
                {n: groups[n] for n in selected if n in groups}, shard, est)
