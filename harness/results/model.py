"""The results model of a kernel run: a :class:`RunResult` per kernel booted once, a
:class:`TestRun` per selftest program, each test and subtest with a
:class:`~harness.results.status.Status`.

Data only: what happened. Whether it is good enough, and the exit status, are decided in
:mod:`harness.results.verdict`; the writers (results.json, JUnit XML, the terminal summary,
the HTML report) are in ``results.report``; base vs patched in ``results.compare``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.vm.outcome import RunOutcome

from .ktap import KEY_SEP, TestResult
from .status import Status

# Compatibility names (before issue 9 there was one type per module): one type each now.
Outcome = RunOutcome  # how a whole run went
ConsoleEvent = RunOutcome  # TestRun.console: CRASH or HANG
State = Status  # one test in one run


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
    console: RunOutcome | None = None  # CRASH / HANG: the kernel went down during this test
    console_excerpt: list[str] = field(default_factory=list)
    collection: str | None = None  # the kselftest collection it ran as part of ("kvm")

    def nodes(self) -> Iterator[tuple[str, TestResult]]:
        """The program and all its subtests, keyed ``name``, ``name::sub``, ..."""
        yield self.name, self.result
        for sub in self.result.subtests:
            yield from sub.walk(self.name)

    def state(self) -> Status:
        """The program's status as compared: CRASH/HANG when the kernel went down during it,
        else its own status (XFAIL, XPASS and TODO as PASS)."""
        if self.console is not None and self.console.kernel_down:
            return Status(self.console.value)
        return self.result.status.compared()


@dataclass
class RunResult:
    kernel: KernelInfo
    accelerator: str  # "kvm" / "tcg"
    outcome: RunOutcome  # pass, fail, crash, hang, infra-error or interrupted
    tests: list[TestRun] = field(default_factory=list)
    reason: str = ""  # one line: why the run is infra-error / crash / hang
    excerpt: list[str] = field(default_factory=list)  # console lines of the oops/panic/WARNING
    console_log: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    started: str | None = None  # ISO 8601, UTC
    interrupted: str | None = None  # "SIGINT" / "SIGTERM": stopped early; ``tests`` finished
    accelerator_why: str = ""  # e.g. "cached: QEMU cannot use KVM here: ...", "--accel tcg"

    @property
    def label(self) -> str:
        return self.kernel.label

    def test(self, name: str) -> TestRun | None:
        return next((t for t in self.tests if t.name == name), None)

    def entries(self) -> dict[str, tuple[Status, TestResult, TestRun]]:
        """Every test and subtest by unique key (a repeated key gets `` [2]``, ``[3]``...)."""
        out: dict[str, tuple[Status, TestResult, TestRun]] = {}
        for run in self.tests:
            for key, node in run.nodes():
                unique, n = key, 1
                while unique in out:
                    n += 1
                    unique = f"{key} [{n}]"
                state = run.state() if node is run.result else node.status.compared()
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
            "accelerator_why": self.accelerator_why,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "excerpt": list(self.excerpt),
            "console_log": self.console_log,
            "started": self.started,
            "interrupted": self.interrupted,
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
                    "collection": t.collection,
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
            accelerator_why=data.get("accelerator_why", ""),
            outcome=RunOutcome(data["outcome"]),
            reason=data.get("reason", ""),
            excerpt=list(data.get("excerpt", [])),
            console_log=data.get("console_log"),
            started=data.get("started"),
            interrupted=data.get("interrupted"),
            timings={str(a): float(b) for a, b in data.get("timings", {}).items()},
            tests=[
                TestRun(
                    name=t["name"],
                    result=TestResult.from_dict(t["result"]),
                    duration=t.get("duration"),
                    exit_code=t.get("exit_code"),
                    output=t.get("output", ""),
                    console=RunOutcome(t["console"]) if t.get("console") else None,
                    console_excerpt=list(t.get("console_excerpt", [])),
                    collection=t.get("collection"),
                )
                for t in data.get("tests", [])
            ],
        )


def known_reason(key: str, known: Mapping[str, str]) -> str | None:
    """The known-failures entry covering ``key``: the key itself or a parent of it."""
    parts = key.split(KEY_SEP)
    for n in range(len(parts), 0, -1):
        reason = known.get(KEY_SEP.join(parts[:n]))
        if reason is not None:
            return reason
    return None


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
