"""The real captured console logs (tests/data/console, see its README) replayed through the
console driver, its splat watcher and the test-output parser.

The guest is the FAKE replayer (tests/fakes/replay_console.py): it prints, segment by segment,
exactly what the real guest printed, as the driver types the same commands. The driver must
come to the conclusions it came to live (the log's own ``### kwb: [id] outcome`` notes), see
the same kernel reports (and none in a real boot's noise), and the parser must judge the
outputs as kselftest would.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.results import ktap, verdict
from harness.results.status import Status
from harness.vm.console import driver
from harness.vm.console.driver import Console, Outcome
from harness.vm.console.splat import SplatDetector
from harness.vm.outcome import RunOutcome

DATA = Path(__file__).resolve().parent / "data" / "console"
REPLAY = Path(__file__).resolve().parent / "fakes" / "replay_console.py"
FRAMED_LOGS = ["qemu-guest_memfd_test-pass.log", "qemu-sysrq-panic.log",
               "vng-guest_memfd_test-pass.log", "qemu-pass-fail-timeout.log"]

_RUN = re.compile(r"^### kwb: run \[(\S+)\] \(timeout ([\d.]+)s\): (.*)$")
_DONE = re.compile(r"^### kwb: \[(\S+)\] (\S+) \(exit (\S+), [\d.]+s(, timed out)?\)$")


@dataclass
class Recorded:
    cid: str
    command: str
    timeout: float
    outcome: str = "?"
    exit_status: int | None = None
    timed_out: bool = False


def recorded(log: Path) -> tuple[str, list[Recorded]]:
    """The log's token and, per command, what the driver concluded when it ran live."""
    text = log.read_text()
    m = re.search(r"KWB-READY-([0-9a-f]+)-0$", text, re.M)
    assert m is not None, f"{log.name}: no shell came up"
    runs: dict[str, Recorded] = {}
    for line in text.splitlines():
        if r := _RUN.match(line):
            runs[r[1]] = Recorded(r[1], r[3], float(r[2]))
        elif d := _DONE.match(line):
            rec = runs[d[1]]
            rec.outcome, rec.timed_out = d[2], bool(d[4])
            rec.exit_status = None if d[3] == "None" else int(d[3])
    for rec in runs.values():  # the old driver wrote no note after a panic killed the guest
        if rec.outcome == "?" and "### kwb: console closed: kernel panic" in text:
            rec.outcome = "crash"
    return m.group(1), list(runs.values())


def replay(log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[Console, list[Recorded], list[driver.CommandResult]]:
    token, runs = recorded(log)
    monkeypatch.setattr(driver.secrets, "token_hex", lambda _n: token)
    with Console([sys.executable, str(REPLAY), str(log)], tmp_path / "replayed.log",
                 grace=30) as con:
        con.wait_for_shell(30)
        results = []
        for rec in runs:
            if con.dead:
                break
            # a command that timed out live is cut after 1 s here: the replay has no more
            results.append(con.run(rec.command, 1.0 if rec.timed_out else 30.0))
    return con, runs, results


@pytest.mark.parametrize("name", FRAMED_LOGS)
def test_replay_reaches_the_live_conclusions(name: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    con, runs, results = replay(DATA / name, tmp_path, monkeypatch)
    assert len(results) == len(runs) >= 1
    assert [(str(r.outcome), r.exit_status, r.timed_out) for r in results] == \
        [(rec.outcome, rec.exit_status, rec.timed_out) for rec in runs]
    assert con.kernel_started
    assert (tmp_path / "replayed.log").read_text().splitlines()[-1].startswith(
        "### kwb: console closed")


def test_real_boots_have_no_false_splats(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of real boot lines (ACPI, PCI, 9p, virtme-ng init): no kernel report."""
    for name in ("qemu-guest_memfd_test-pass.log", "vng-guest_memfd_test-pass.log",
                 "qemu-pass-fail-timeout.log"):
        det = SplatDetector()
        lines = (DATA / name).read_text().splitlines()
        assert len(lines) > 200
        for line in lines:
            det.feed(line, None, 0.0)
        assert det.events == [], name


def test_replayed_panic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    con, _, results = replay(DATA / "qemu-sysrq-panic.log", tmp_path, monkeypatch)
    (res,) = results
    assert res.outcome is Outcome.CRASH and res.exit_status is None and con.dead
    assert [e.kind for e in res.events] == ["panic"]
    (ev,) = res.events
    assert ev.command == "echo c > /proc/sysrq-trigger"
    assert ev.line.endswith("Kernel panic - not syncing: sysrq triggered crash")
    excerpt = ev.excerpt.splitlines()
    assert "Call Trace:" in ev.excerpt and "sysrq_handle_crash" in ev.excerpt
    assert excerpt[-1].endswith("Kernel Offset: disabled")
    assert con.dead_reason == f"kernel panic: {ev.line}"


def test_replayed_pass_fail_and_timeout_are_judged(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    con, runs, results = replay(DATA / "qemu-pass-fail-timeout.log", tmp_path, monkeypatch)
    by_cmd = {rec.command: res for rec, res in zip(runs, results, strict=True)}
    passed = by_cmd["/kwb/tests/guest_memfd_test"]
    assert passed.output == "Random seed: 0x6b8b4567"
    assert ktap.from_exit_status("guest_memfd_test", 0, passed.output).status is Status.PASS
    failed = by_cmd["ulimit -v 1048576; /kwb/tests/set_memory_region_test"]
    result = ktap.from_exit_status("set_memory_region_test", failed.exit_status, failed.output)
    assert result.status is Status.FAIL
    assert "mem != MAP_FAILED" in (result.reason or "")
    hung = by_cmd["/kwb/tests/x86_64/private_mem_conversions_test"]
    assert hung.output.splitlines()[0] == "Random seed: 0x6b8b4567"
    assert hung.note == "timed out after 1s; interrupted with Ctrl-C"
    alive = by_cmd["echo alive"]
    assert (alive.outcome, alive.output) == (Outcome.PASS, "alive")  # the guest still answers
    assert verdict.test_outcome(hung.outcome, hung.exit_status, timed_out=hung.timed_out,
                                guest_alive=True) is RunOutcome.TIMEOUT
    assert not con.events
