"""The results model of a kernel run: outcomes, per-test states, exit statuses and judgements.

One :class:`RunResult` is one kernel booted once and the selftests run in it. Its writers
(results.json, JUnit XML, the terminal summary, the HTML report) are in ``results.report``,
the base-vs-patched comparison and its exit status in ``results.compare``.

Exit statuses (:class:`Exit`), the most severe cause wins:

* 0 -- every test that should run ran and passed (XFAIL/XPASS/TODO pass, but are reported);
* 4 -- the kernel crashed (oops, panic, BUG, WARNING) or hung;
* 1 -- a test failed, errored or timed out (for a comparison: a regression);
* 5 -- infrastructure error: the run itself could not be done (boot, guest, harness);
* 3 -- incomplete: nothing failed, but a test was skipped or did not run at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any

from .ktap import KEY_SEP, Status, TestResult


class Outcome(StrEnum):
    """How a whole run went."""

    PASS = "pass"
    FAIL = "fail"
    CRASH = "crash"
    HANG = "hang"
    INFRA_ERROR = "infra-error"


class ConsoleEvent(StrEnum):
    """What the console detector saw while one test ran."""

    CRASH = "crash"
    HANG = "hang"


class State(StrEnum):
    """One test in one run, reduced to what a comparison needs."""

    PASS = "pass"  # includes XFAIL, XPASS and TODO
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"
    TIMEOUT = "timeout"
    CRASH = "crash"
    HANG = "hang"
    MISSING = "missing"  # not in this run at all

    @property
    def failed(self) -> bool:
        return self in _FAILED_STATES


_FAILED_STATES = frozenset({State.FAIL, State.ERROR, State.TIMEOUT, State.CRASH, State.HANG})
_STATE_OF = {
    Status.PASS: State.PASS,
    Status.XFAIL: State.PASS,
    Status.XPASS: State.PASS,
    Status.TODO: State.PASS,
    Status.SKIP: State.SKIP,
    Status.FAIL: State.FAIL,
    Status.ERROR: State.ERROR,
    Status.TIMEOUT: State.TIMEOUT,
}


class Exit(IntEnum):
    OK = 0
    FAILED = 1
    INCOMPLETE = 3
    CRASHED = 4
    INFRA = 5


_EXIT_SEVERITY = (Exit.CRASHED, Exit.FAILED, Exit.INFRA, Exit.INCOMPLETE, Exit.OK)


@dataclass
class Judgement:
    """An exit status and why.

    ``problems`` and ``skips`` (``(test key, what happened)``) make it non-zero; ``notes`` are
    reported loudly but are not fatal (known failures, XFAIL/TODO, failures on both sides).
    """

    exit: Exit = Exit.OK
    problems: list[str] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, exit: Exit, problem: str) -> None:
        self.problems.append(problem)
        self._raise(exit)

    def skip(self, key: str, what: str) -> None:
        self.skips.append((key, what))
        self._raise(Exit.INCOMPLETE)

    def _raise(self, exit: Exit) -> None:
        if _EXIT_SEVERITY.index(exit) < _EXIT_SEVERITY.index(self.exit):
            self.exit = exit

    def skip_headline(self) -> str | None:
        """The loud line: how many tests did not run."""
        count = len({key for key, _what in self.skips})
        if not count:
            return None
        return (
            f"SKIP: {count} test{'s' if count != 1 else ''} skipped"
            " — they did not run, this is not a pass"
        )


@dataclass
class KernelInfo:
    label: str  # "base" / "patched"
    commit: str | None = None
    bzimage: str | None = None
    config_hash: str | None = None
    release: str | None = None  # uname -r of the booted kernel, when known


@dataclass
class TestRun:
    """One selftest program run in the guest."""

    name: str  # as in kernel-config/tests.txt, e.g. "x86_64/private_mem_conversions_test"
    result: TestResult
    duration: float | None = None
    exit_code: int | None = None
    output: str = ""
    console: ConsoleEvent | None = None  # the console detector fired during this test
    console_excerpt: list[str] = field(default_factory=list)

    def nodes(self) -> Iterator[tuple[str, TestResult]]:
        """The program and all its subtests, keyed ``name``, ``name::sub``, ..."""
        yield self.name, self.result
        for sub in self.result.subtests:
            yield from sub.walk(self.name)

    def state(self) -> State:
        """The program's state: CRASH/HANG when the console detector fired, else its status."""
        if self.console is not None:
            return State(self.console.value)
        return _STATE_OF[self.result.status]


@dataclass
class RunResult:
    kernel: KernelInfo
    accelerator: str  # "kvm" / "tcg"
    outcome: Outcome
    tests: list[TestRun] = field(default_factory=list)
    reason: str = ""  # one line: why the run is infra-error / crash / hang
    excerpt: list[str] = field(default_factory=list)  # console lines of the oops/panic/WARNING
    console_log: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    started: str | None = None  # ISO 8601, UTC

    @property
    def label(self) -> str:
        return self.kernel.label

    def test(self, name: str) -> TestRun | None:
        return next((t for t in self.tests if t.name == name), None)

    def entries(self) -> dict[str, tuple[State, TestResult, TestRun]]:
        """Every test and subtest by unique key (a repeated key gets `` [2]``, ``[3]``...)."""
        out: dict[str, tuple[State, TestResult, TestRun]] = {}
        for run in self.tests:
            for key, node in run.nodes():
                unique, n = key, 1
                while unique in out:
                    n += 1
                    unique = f"{key} [{n}]"
                state = run.state() if node is run.result else _STATE_OF[node.status]
                out[unique] = (state, node, run)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "kernel": {
                "label": self.kernel.label,
                "commit": self.kernel.commit,
                "bzimage": self.kernel.bzimage,
                "config_hash": self.kernel.config_hash,
                "release": self.kernel.release,
            },
            "accelerator": self.accelerator,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "excerpt": list(self.excerpt),
            "console_log": self.console_log,
            "started": self.started,
            "timings": dict(self.timings),
            "tests": [
                {
                    "name": t.name,
                    "state": t.state().value,
                    "duration": t.duration,
                    "exit_code": t.exit_code,
                    "console": t.console.value if t.console else None,
                    "console_excerpt": list(t.console_excerpt),
                    "output": t.output,
                    "result": t.result.to_dict(),
                }
                for t in self.tests
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunResult:
        k = data["kernel"]
        return cls(
            kernel=KernelInfo(
                label=k["label"],
                commit=k.get("commit"),
                bzimage=k.get("bzimage"),
                config_hash=k.get("config_hash"),
                release=k.get("release"),
            ),
            accelerator=data["accelerator"],
            outcome=Outcome(data["outcome"]),
            reason=data.get("reason", ""),
            excerpt=list(data.get("excerpt", [])),
            console_log=data.get("console_log"),
            started=data.get("started"),
            timings={str(a): float(b) for a, b in data.get("timings", {}).items()},
            tests=[
                TestRun(
                    name=t["name"],
                    result=TestResult.from_dict(t["result"]),
                    duration=t.get("duration"),
                    exit_code=t.get("exit_code"),
                    output=t.get("output", ""),
                    console=ConsoleEvent(t["console"]) if t.get("console") else None,
                    console_excerpt=list(t.get("console_excerpt", [])),
                )
                for t in data.get("tests", [])
            ],
        )


def classify_run(
    tests: Sequence[TestRun],
    *,
    console: ConsoleEvent | None = None,
    infra_error: bool = False,
) -> Outcome:
    """The outcome of a run from its tests and what the console detector saw outside them."""
    if infra_error:
        return Outcome.INFRA_ERROR
    events = [console] + [t.console for t in tests]
    if ConsoleEvent.CRASH in events:
        return Outcome.CRASH
    if ConsoleEvent.HANG in events:
        return Outcome.HANG
    if any(t.result.status.failed for t in tests):
        return Outcome.FAIL
    return Outcome.PASS


# ---------------------------------------------------------------------------------------------
# Judging a single run


def known_reason(key: str, known: Mapping[str, str]) -> str | None:
    """The known-failures entry covering ``key``: the key itself or a parent of it."""
    parts = key.split(KEY_SEP)
    for n in range(len(parts), 0, -1):
        reason = known.get(KEY_SEP.join(parts[:n]))
        if reason is not None:
            return reason
    return None


def own_failures(run: RunResult) -> list[tuple[str, State, TestResult]]:
    """Failing tests whose failure is not just that of a failing subtest (those are listed)."""
    out = []
    for key, (state, node, _run) in run.entries().items():
        if state.failed and (
            state in (State.CRASH, State.HANG) or not any(s.status.failed for s in node.subtests)
        ):
            out.append((key, state, node))
    return out


def skipped(run: RunResult) -> list[tuple[str, TestResult]]:
    """Skipped tests; a parent skipped because its subtests were is left to them."""
    return [
        (key, node)
        for key, (state, node, _run) in run.entries().items()
        if state is State.SKIP and not any(s.status is Status.SKIP for s in node.subtests)
    ]


def judge_run(run: RunResult, known: Mapping[str, str] | None = None) -> Judgement:
    """Exit status of one run. Failures listed in ``known`` are reported but do not count."""
    known = known or {}
    j = Judgement()
    where = f"{run.label} ({run.accelerator})"
    if run.outcome is Outcome.INFRA_ERROR:
        j.add(Exit.INFRA, f"{where}: the run did not complete: {run.reason or 'infra error'}")
    if run.outcome in (Outcome.CRASH, Outcome.HANG):
        first = run.excerpt[0] if run.excerpt else run.reason
        j.add(Exit.CRASHED, f"{where}: kernel {run.outcome.value}: {first}".rstrip(": "))
    for key, state, node in own_failures(run):
        reason = known_reason(key, known)
        text = f"{key}: {state.value}" + (f": {node.reason}" if node.reason else "")
        if state in (State.CRASH, State.HANG):
            j.add(Exit.CRASHED, f"{where}: {text}")
        elif reason is not None:
            j.notes.append(f"known environment failure: {text} ({reason})")
        else:
            j.add(Exit.FAILED, f"{where}: {text}")
    for key, node in skipped(run):
        j.skip(key, f"({run.label}): {node.reason or 'no reason given'}")
    if not run.tests and run.outcome is not Outcome.INFRA_ERROR:
        j.add(Exit.INCOMPLETE, f"{where}: no tests ran")
    for key, (_state, node, _run) in run.entries().items():
        if node.status in (Status.XFAIL, Status.XPASS, Status.TODO):
            j.notes.append(f"{node.status.value.upper()} {key}: {node.reason or '-'}")
    return j


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
