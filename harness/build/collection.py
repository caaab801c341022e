"""Whole kselftest collections: ``--tests kvm`` (or a ``kvm:GLOB`` entry in tests.txt).

A collection is a kselftest directory of the tree. Asking for it means, as kselftest does:

* **its programs** -- every program the tree's Makefile builds for x86_64
  (``TEST_GEN_PROGS_x86_64``, read from make itself, in the Makefile's order), run one by one;
  ``kvm:x86_64/*`` keeps those matching the glob;
* **its timeout** -- ``timeout=`` of the collection's ``settings`` file (kselftest's runner
  default, 45 s, when there is none; ``0`` means no timeout);
* **its config** -- the collection's ``config`` (and ``config.x86_64``) fragments merged into
  the kernel config before anything is built, as ``make kselftest-merge`` does, plus kwb's own
  fragment for what the collection needs but does not list (see ``kernel-config/``);
* **sharding** -- ``--shard K/N`` runs the K-th of N contiguous slices of the program list,
  as TuxRun's SHARD_INDEX / SHARD_NUMBER split kselftest's list (1-based).

Test names are the programs' paths relative to the collection directory, exactly as
``kernel-config/tests.txt`` names single KVM selftests; the collection is recorded beside them.
"""

from __future__ import annotations

import fnmatch
import json
import math
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import run

from . import testlist

ARCH = "x86"  # the kernel's ARCH; the kvm Makefile maps it to ARCH_DIR x86_64
UTS_MACHINE = "x86_64"
KSELFTEST_DEFAULT_TIMEOUT = 45.0  # tools/testing/selftests/kselftest/runner.sh
NO_TIMEOUT = 24 * 3600.0  # what "timeout=0" becomes for the console driver
LONG_RUN_SECONDS = 30 * 60  # a collection estimated past this says so up front
DURATIONS_FILE = "test-durations.json"  # per-test durations measured on this machine


@dataclass(frozen=True)
class Collection:
    name: str  # as written in --tests / tests.txt
    directory: str  # relative to the tree
    fragment: Path | None = None  # kwb's fragment for what the collection needs but omits

    def programs(self, src: Path) -> list[str]:
        return programs(src, self)

    def settings_timeout(self, src: Path) -> float:
        return settings_timeout(src / self.directory / "settings")


COLLECTIONS: dict[str, Collection] = {
    "kvm": Collection("kvm", "tools/testing/selftests/kvm",
                      paths.KERNEL_CONFIG_DIR / "collection-kvm.config"),
}


def collection_of(entry: str) -> tuple[Collection, str] | None:
    """``kvm`` / ``kvm:GLOB`` -> (the collection, the glob); None for a single test's name."""
    name, sep, glob = entry.partition(":")
    col = COLLECTIONS.get(name)
    if col is None:
        return None
    return col, (glob.strip() or "*") if sep else "*"


def build_entries(tests_file: Path, extra: Sequence[str] = ()) -> list[str]:
    """The selftest entries a build makes: tests.txt's, then ``extra`` (``--tests``); KUnit
    entries are built in the kernel, not here."""
    listed = testlist.read(tests_file).selftests
    return listed + [t for t in extra if t not in listed and not testlist.is_kunit(t)]


def requested(entries: Iterable[str]) -> list[Collection]:
    """The collections that ``entries`` (tests.txt lines or --tests items) ask for."""
    out: list[Collection] = []
    for entry in entries:
        hit = collection_of(entry)
        if hit is not None and hit[0] not in out:
            out.append(hit[0])
    return out


def programs(src: Path, col: Collection) -> list[str]:
    """The programs the tree's Makefile builds for x86_64, in its order (asked of make)."""
    directory = src / col.directory
    if not (directory / "Makefile").is_file():
        raise WorkbenchError(f"collection {col.name!r}: no {col.directory}/Makefile in {src}")
    with tempfile.TemporaryDirectory(prefix="kwb-progs-") as out:
        res = run(["make", "-s", "--no-print-directory", "-C", str(directory), f"ARCH={ARCH}",
                   f"OUTPUT={out}", "--eval",
                   "kwb-list-progs: ; @echo $(TEST_GEN_PROGS_$(ARCH_DIR))", "kwb-list-progs"],
                  check=False)
    names = res.stdout.split()
    if res.returncode != 0 or not names:
        raise WorkbenchError(f"collection {col.name!r}: could not read TEST_GEN_PROGS for "
                             f"{UTS_MACHINE} from {directory}/Makefile: "
                             f"{(res.stderr or res.stdout).strip()[:300] or 'empty list'}")
    return list(dict.fromkeys(names))


def select(entries: Sequence[str], listing: Mapping[str, Sequence[str]]) -> list[str]:
    """``entries`` with every collection entry replaced by its programs (``listing``: the
    programs of each collection); order kept, each test once. A glob matching nothing is an
    error."""
    out: list[str] = []
    for entry in entries:
        hit = collection_of(entry)
        if hit is None:
            names = [entry]
        else:
            col, glob = hit
            if col.name not in listing:
                raise WorkbenchError(f"collection {col.name!r} was not built for this kernel")
            names = [p for p in listing[col.name] if fnmatch.fnmatchcase(p, glob)]
            if not names:
                raise WorkbenchError(f"{entry!r} matches none of the {len(listing[col.name])} "
                                     f"programs of collection {col.name!r}")
        out += [n for n in names if n not in out]
    return out


def resolve(src: Path, entries: Sequence[str]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """What to build for ``entries``: every program (single tests and the collections'), and
    the manifest's record of each collection: ``{name: {"programs": [...], "timeout": s,
    "directory": ...}}``."""
    record: dict[str, dict[str, Any]] = {}
    for col in requested(entries):
        record[col.name] = {"programs": col.programs(src), "timeout": col.settings_timeout(src),
                            "directory": col.directory}
    listing = {name: r["programs"] for name, r in record.items()}
    wanted = []  # a collection is built whole, whatever glob picks the programs to run
    for entry in entries:
        hit = collection_of(entry)
        wanted.append(entry if hit is None else f"{hit[0].name}:*")
    return select(wanted, listing), record


def settings_timeout(settings: Path) -> float:
    """kselftest's per-test timeout from a collection's ``settings`` file."""
    try:
        text = settings.read_text()
    except FileNotFoundError:
        return KSELFTEST_DEFAULT_TIMEOUT
    value: float | None = None
    for raw in text.splitlines():
        key, sep, val = raw.strip().partition("=")
        if sep and key.strip() == "timeout":
            try:
                value = float(val.strip())
            except ValueError:
                raise WorkbenchError(f"{settings}: timeout={val.strip()!r} is not a number"
                                     ) from None
    if value is None:
        return KSELFTEST_DEFAULT_TIMEOUT
    if value < 0:
        raise WorkbenchError(f"{settings}: negative timeout {value:g}")
    return value or NO_TIMEOUT


def config_fragments(src: Path, cols: Iterable[Collection]) -> list[Path]:
    """What kselftest-merge would merge for ``cols`` (config, config.x86_64), then kwb's own."""
    out: list[Path] = []
    for col in cols:
        for name in ("config", f"config.{UTS_MACHINE}"):
            path = src / col.directory / name
            if path.is_file():
                out.append(path)
        if col.fragment is not None:
            out.append(col.fragment)
    return out


def key_fragments(cols: Iterable[Collection]) -> list[Path]:
    """The fragments of kwb's own that a collection adds: they make the build dir's key (the
    tree's config files are merged at configure time, which re-merges when the tree moves)."""
    return [c.fragment for c in cols if c.fragment is not None]


# ------------------------------------------------------------------------------ sharding


def parse_shard(text: str) -> tuple[int, int]:
    """``K/N`` (1 <= K <= N) as TuxRun's SHARD_INDEX / SHARD_NUMBER."""
    k, sep, n = text.partition("/")
    try:
        index, number = int(k), int(n)
    except ValueError:
        index = number = 0
    if not sep or number < 1 or not 1 <= index <= number:
        raise WorkbenchError(f"--shard {text!r}: write K/N with 1 <= K <= N (e.g. 2/3)")
    return index, number


def shard(names: Sequence[str], index: int, number: int) -> list[str]:
    """The ``index``-th (1-based) of ``number`` contiguous slices, sizes differing by <= 1."""
    if number < 1 or not 1 <= index <= number:
        raise WorkbenchError(f"shard {index}/{number}: need 1 <= K <= N")
    size, extra = divmod(len(names), number)
    start = (index - 1) * size + min(index - 1, extra)
    return list(names[start:start + size + (1 if index <= extra else 0)])


# ------------------------------------------------------------------------------ wall time


@dataclass(frozen=True)
class Estimate:
    seconds: float
    measured: int  # tests with a duration measured on this machine
    unmeasured: int  # counted at their timeout (an upper bound)

    def text(self) -> str:
        basis = f"{self.measured} measured here" if self.measured else "none measured yet"
        if self.unmeasured:
            basis += f", {self.unmeasured} counted at their timeout"
        return f"~{self.seconds / 60:.0f} min ({basis})"


def estimate(names: Sequence[str], timeouts: Mapping[str, float],
             durations: Mapping[str, float]) -> Estimate:
    """The wall time of running ``names``: measured durations, else the test's timeout."""
    total, measured = 0.0, 0
    for name in names:
        if name in durations:
            total += min(durations[name], timeouts.get(name, math.inf))
            measured += 1
        else:
            total += timeouts.get(name, KSELFTEST_DEFAULT_TIMEOUT)
    return Estimate(total, measured, len(names) - measured)


def shards_needed(seconds: float, limit: float = LONG_RUN_SECONDS) -> int:
    return max(1, math.ceil(seconds / limit))


def load_durations(path: Path | None = None) -> dict[str, float]:
    target = path or paths.cache_root() / DURATIONS_FILE
    try:
        data = json.loads(target.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}


def record_durations(measured: Mapping[str, float], path: Path | None = None) -> None:
    """Remember the latest duration of each test run on this machine (for estimates)."""
    target = path or paths.cache_root() / DURATIONS_FILE
    data = load_durations(target)
    data.update({k: round(v, 2) for k, v in measured.items()})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.replace(target)
