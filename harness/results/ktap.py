"""KTAP / kselftest TAP output parsed into a tree of :class:`TestResult`.

Modelled on the kernel's ``tools/testing/kunit/kunit_parser.py`` and on what
``tools/testing/selftests/kselftest.h`` and ``kselftest_harness.h`` print:

* a version line (``KTAP version 1``, ``TAP version 13``/``14``) and a plan (``1..N``), either
  of which starts the TAP part of the output; ``1..0 # SKIP reason`` is a whole-program skip
  (``ksft_exit_skip()`` before any test, e.g. ``TEST_REQUIRE()`` in the KVM selftests);
* result lines ``ok N name``, ``not ok N name`` with the directives SKIP, TODO, XFAIL, XPASS,
  TIMEOUT and ERROR (``ksft_test_result_error()`` prints ``not ok N # error msg``);
* nested tests, indented by whitespace (two or four spaces, or tabs as older KUnit did),
  named by a ``# Subtest: name`` line, or prefixed by ``# `` as ``kselftest/runner.sh`` does
  with the output of each program (``# TAP version 13`` / ``# ok 1 ...``);
* diagnostic lines (``# ...``), the kselftest ``# Totals: pass:.. fail:..`` line (cross-checked
  against the results seen), ``Bail out!``, and printk timestamps (``[    0.06] ``);
* anything else -- kernel console messages interleaved with the output -- is an unknown line:
  it never changes a status, and it is kept in the ``log`` of the test it appeared in.

Nothing is dropped silently: a plan that does not match the results, a missing result line,
a ``Totals`` line that disagrees with the results or a ``Bail out!`` makes the test ERROR,
with the reason in ``errors``.

:func:`from_exit_status` judges one selftest program from its exit status and output, for
programs that print no TAP at all (in Linux 6.12, ``guest_memfd_test`` prints none) and as a
cross-check of the TAP tree for those that do.
"""

from __future__ import annotations

import re
import signal
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .status import Status  # the one results status type; parsed into directly

# kselftest.h exit codes.
KSFT_PASS = 0
KSFT_FAIL = 1
KSFT_XFAIL = 2
KSFT_XPASS = 3
KSFT_SKIP = 4
# timeout(1), as kselftest/runner.sh treats it.
TIMEOUT_EXIT = 124
# KVM selftests' test_assert() (tools/testing/selftests/kvm/lib/assert.c).
KVM_ASSERT_EXIT = 254
ASSERT_BANNER = "==== Test Assertion Failure ===="

KEY_SEP = "::"  # joins a parent's name and a subtest's name into a key


# Worst first; used to pick a parent's status from its subtests.
_SEVERITY = (Status.ERROR, Status.FAIL, Status.TIMEOUT)


@dataclass
class TestResult:
    """One test: a program, a subtest of it, or a subtest of that.

    ``directive`` is the directive keyword as printed (``SKIP``, ``XFAIL``, ``error``...),
    ``reason`` the text after it (or why the status was decided, for exit-status checks),
    ``log`` the diagnostic and unknown lines that belong to the test, ``errors`` what was
    wrong with the output itself, ``plan`` the ``1..N`` count of subtests and ``totals`` the
    kselftest ``# Totals`` counts, when printed.
    """

    name: str
    status: Status
    number: int | None = None
    directive: str | None = None
    reason: str = ""
    subtests: list[TestResult] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    plan: int | None = None
    totals: dict[str, int] | None = None

    def walk(self, prefix: str = "") -> Iterator[tuple[str, TestResult]]:
        """Every test of the tree, depth first, with its key (``parent::child``)."""
        key = f"{prefix}{KEY_SEP}{self.name}" if prefix else self.name
        yield key, self
        for sub in self.subtests:
            yield from sub.walk(key)

    def leaves(self) -> list[TestResult]:
        if not self.subtests:
            return [self]
        return [leaf for sub in self.subtests for leaf in sub.leaves()]

    def counts(self) -> Counter[Status]:
        """Statuses of the leaves, plus one ERROR per parent whose own output was broken."""
        counts: Counter[Status] = Counter()
        for _key, node in self.walk():
            if not node.subtests:
                counts[node.status] += 1
            elif node.errors:
                counts[Status.ERROR] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "number": self.number,
            "directive": self.directive,
            "reason": self.reason,
            "plan": self.plan,
            "totals": self.totals,
            "errors": list(self.errors),
            "log": list(self.log),
            "subtests": [s.to_dict() for s in self.subtests],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestResult:
        return cls(
            name=data["name"],
            status=Status(data["status"]),
            number=data.get("number"),
            directive=data.get("directive"),
            reason=data.get("reason", ""),
            subtests=[cls.from_dict(s) for s in data.get("subtests", [])],
            log=list(data.get("log", [])),
            errors=list(data.get("errors", [])),
            plan=data.get("plan"),
            totals=data.get("totals"),
        )


# ---------------------------------------------------------------------------------------------
# Line formats

_PRINTK = re.compile(r"^\[\s*\d+\.\d+\](?:\[\s*[A-Z]?\d+\])?\s?")
_VERSION = re.compile(r"^(K?TAP) version (\d+)\s*$")
_VERSION_ANYWHERE = re.compile(r"K?TAP version \d+\s*$")
_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
_PLAN_ANYWHERE = re.compile(r"^\s*1\.\.\d+\s*(?:#.*)?$")
_RESULT = re.compile(r"^(not ok|ok)\s+(\d+)(?=\s|$)(.*)$")
_DIRECTIVE = re.compile(r"^(SKIP(?:PED)?|TODO|XFAIL|XPASS|TIMEOUT|ERROR)\b:?\s*(.*)$", re.I)
_SUBTEST = re.compile(r"^# Subtest: (.*)$")
_TOTALS = re.compile(
    r"^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)"
)
_BAIL = re.compile(r"^Bail out!\s*(.*)$")
_NEST_WS = re.compile(r"^([ \t]+)(.*)$")
_NEST = re.compile(r"^((?:[ \t]+|# )+)(.*)$")
_HARNESS_TIMEOUT = "Test terminated by timeout"
_HARNESS_TIMEOUT_LINE = re.compile(r"# (\S+): Test terminated by timeout$")

_DIRECTIVE_STATUS = {
    "SKIP": Status.SKIP,
    "SKIPPED": Status.SKIP,
    "TODO": Status.TODO,
    "XFAIL": Status.XFAIL,
    "XPASS": Status.XPASS,
    "TIMEOUT": Status.TIMEOUT,
    "ERROR": Status.ERROR,
}
_TOTALS_KEYS = ("pass", "fail", "xfail", "xpass", "skip", "error")


@dataclass
class _ResultLine:
    ok: bool
    number: int
    name: str
    directive: str | None
    reason: str

    @property
    def status(self) -> Status:
        if self.directive:
            return _DIRECTIVE_STATUS[self.directive.upper()]
        return Status.PASS if self.ok else Status.FAIL

    @property
    def totals_key(self) -> str:
        """How kselftest.h counted this line in its ``# Totals`` line."""
        status = self.status
        if status in (Status.SKIP, Status.XFAIL, Status.XPASS, Status.ERROR):
            return status.value
        return "pass" if self.ok else "fail"


def parse_result_line(text: str) -> _ResultLine | None:
    """``ok 1 - name # SKIP reason`` -> its parts; None when ``text`` is no result line."""
    m = _RESULT.match(text)
    if not m:
        return None
    desc, hashed, diag = m.group(3).partition("#")
    desc = desc.strip()
    if desc.startswith("- "):
        desc = desc[2:].strip()
    elif desc == "-":
        desc = ""
    directive, reason = None, diag.strip()
    if hashed:
        d = _DIRECTIVE.match(reason)
        if d:
            directive, reason = d.group(1), d.group(2).strip()
    return _ResultLine(m.group(1) == "ok", int(m.group(2)), desc, directive, reason)


# ---------------------------------------------------------------------------------------------
# The parser: a stack of nesting levels, each with the prefix its lines carry.


@dataclass
class _Level:
    indent: str
    name: str = ""
    plan: int | None = None
    plan_reason: str | None = None
    subtests: list[TestResult] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # lines waiting for the next result
    errors: list[str] = field(default_factory=list)
    totals: dict[str, int] | None = None
    line_counts: Counter[str] = field(default_factory=Counter)
    pending_name: str | None = None  # "# Subtest: x" seen before the child's indent is known

    @property
    def started(self) -> bool:
        return self.plan is not None or bool(self.subtests)


def _strip_newlines(lines: Iterable[str]) -> list[str]:
    return [line.rstrip("\r\n").rstrip() for line in lines]


def _split(output: str | Iterable[str]) -> list[str]:
    if isinstance(output, str):
        return _strip_newlines(output.splitlines())
    return _strip_newlines(output)


def _find_start(lines: list[str]) -> tuple[int, str, bool] | None:
    """Index of the line that starts the TAP output, the top-level indent, printk prefixes."""
    for pattern in (_VERSION_ANYWHERE, _PLAN_ANYWHERE):
        for i, line in enumerate(lines):
            printk = bool(_PRINTK.match(line))
            text = _PRINTK.sub("", line, count=1)
            if pattern.search(text):
                body = text.lstrip(" \t")
                if pattern is _VERSION_ANYWHERE and not _VERSION.match(body):
                    continue  # "TAP version" in the middle of some other line
                return i, text[: len(text) - len(body)], printk
    return None


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[_Level] = []

    def run(self, lines: list[str]) -> TestResult | None:
        start = _find_start(lines)
        if start is None:
            return None
        first, indent, printk = start
        self.stack = [_Level(indent=indent)]
        preamble = lines[:first]
        for line in lines[first:]:
            self._line(_PRINTK.sub("", line, count=1) if printk else line, line)
        return self._finish_top(preamble)

    # -- one line ----------------------------------------------------------------------------

    def _line(self, text: str, raw: str) -> None:
        deepest = len(self.stack) - 1
        for k in range(deepest, -1, -1):
            level = self.stack[k]
            if not text.startswith(level.indent):
                continue
            rest = text[len(level.indent) :]
            if k == deepest and self._at_deepest(level, rest, raw):
                return
            result = parse_result_line(rest)
            if result is not None and k < deepest:
                self._result(k, result, raw)
                return
        self.stack[-1].pending.append(raw)

    def _at_deepest(self, level: _Level, rest: str, raw: str) -> bool:
        """Handle ``rest`` as a structural line of the innermost level, or open a deeper one."""
        result = parse_result_line(rest)
        if result is not None:
            self._result(len(self.stack) - 1, result, raw)
            return True
        if m := _PLAN.match(rest):
            if level.plan is not None:
                return False
            level.plan = int(m.group(1))
            skip = _DIRECTIVE.match(m.group(2) or "")
            if skip and skip.group(1).upper().startswith("SKIP"):
                level.plan_reason = skip.group(2).strip().removeprefix("- ")
            return True
        if _VERSION.match(rest):
            return not level.started  # a version line after results is an unknown line
        if m := _SUBTEST.match(rest):
            if level.started or level.name:
                level.pending_name = m.group(1).strip()  # TAP14: header above the indent
            else:
                level.name = m.group(1).strip()
            return True
        if m := _TOTALS.match(rest):
            level.totals = {k: int(v) for k, v in zip(_TOTALS_KEYS, m.groups(), strict=True)}
            level.pending.append(raw)
            return True
        if m := _BAIL.match(rest):
            level.errors.append(f"Bail out! {m.group(1)}".rstrip())
            level.pending.append(raw)
            return True
        return self._open(level, rest, raw)

    def _open(self, level: _Level, rest: str, raw: str) -> bool:
        """A version, subtest, plan or (indented) result line one nesting level deeper.

        Whitespace-indented children may start with any of these; children prefixed by
        ``# `` (kselftest/runner.sh) only with a version or plan line, so that ordinary
        diagnostics are never taken for nested results.
        """
        for pattern, hashed in ((_NEST_WS, False), (_NEST, True)):
            m = pattern.match(rest)
            if not m:
                continue
            prefix, body = m.groups()
            header = _VERSION.match(body) or _SUBTEST.match(body)
            line = _PLAN.match(body) or (not hashed and parse_result_line(body))
            if not header and not line:
                continue
            child = _Level(indent=level.indent + prefix, name=level.pending_name or "")
            level.pending_name = None
            self.stack.append(child)
            if header:
                if sub := _SUBTEST.match(body):
                    child.name = sub.group(1).strip()
            else:
                self._at_deepest(child, body, raw)
            return True
        return False

    # -- results -----------------------------------------------------------------------------

    def _result(self, k: int, line: _ResultLine, raw: str) -> None:
        level = self.stack[k]
        block = self._close_above(k)
        log, level.pending = level.pending, []
        name = line.name or (block.name if block else "") or f"test {line.number}"
        test = TestResult(
            name=name,
            status=line.status,
            number=line.number,
            directive=line.directive,
            reason=line.reason,
            log=log,
        )
        if line.status is Status.FAIL and _harness_timed_out(name, log):
            test.status, test.reason = Status.TIMEOUT, test.reason or _HARNESS_TIMEOUT
        if block is not None:
            _attach(test, block)
        expected = len(level.subtests) + 1
        if line.number != expected:
            level.errors.append(f"expected test number {expected}, saw {line.number} ({name})")
        level.line_counts[line.totals_key] += 1
        level.subtests.append(test)

    def _close_above(self, k: int) -> _Level | None:
        """Pop the levels nested deeper than ``k``; return the one directly above it."""
        while len(self.stack) > k + 2:
            orphan = self.stack.pop()
            self._orphan(orphan, self.stack[-1])
        if len(self.stack) == k + 2:
            return self.stack.pop()
        return None

    @staticmethod
    def _orphan(block: _Level, parent: _Level) -> None:
        """A nested block whose result line never came (the output ended or jumped out)."""
        number = len(parent.subtests) + 1
        test = TestResult(
            name=block.name or f"test {number}",
            status=Status.ERROR,
            number=number,
            reason="no result line for this test (output cut short?)",
        )
        _attach(test, block)
        test.errors.append("no result line")
        _settle(test)
        parent.subtests.append(test)

    def _finish_top(self, preamble: list[str]) -> TestResult:
        top = self.stack[0]
        while len(self.stack) > 1:
            orphan = self.stack.pop()
            self._orphan(orphan, self.stack[-1])
        result = TestResult(name=self.name, status=Status.PASS, log=preamble)
        _attach(result, top)
        if not result.subtests and not result.errors:
            if top.plan == 0:
                result.status = Status.SKIP
                result.reason = top.plan_reason or "plan 1..0: no tests to run"
                return result
            if top.plan is None:
                result.errors.append("no test results in the TAP output")
        _settle(result)
        return result


def _harness_timed_out(name: str, log: list[str]) -> bool:
    """kselftest_harness.h prints ``# <test>: Test terminated by timeout``, then ``not ok``."""
    for entry in log:
        m = _HARNESS_TIMEOUT_LINE.search(entry)
        if m and (name == m.group(1) or name.endswith("." + m.group(1))):
            return True
    return False


def _attach(test: TestResult, block: _Level) -> None:
    """Give ``test`` the subtests of ``block``; record what is wrong with them."""
    test.subtests = block.subtests
    test.plan = block.plan
    test.totals = block.totals
    test.errors.extend(block.errors)
    if block.plan is not None and block.plan != len(block.subtests):
        test.errors.append(f"test plan says {block.plan}, saw {len(block.subtests)}")
    if block.totals is not None:
        for key in _TOTALS_KEYS:
            said, saw = block.totals[key], block.line_counts.get(key, 0)
            if said != saw:
                test.errors.append(f"Totals line says {key}:{said}, saw {key}:{saw}")
    if block.plan is None and not block.subtests and block.name:
        test.errors.append(f"subtest {block.name!r} has no plan and no results")
    test.log.extend(block.pending)
    if not test.reason and block.plan_reason:
        test.reason = block.plan_reason
    if test.subtests or test.errors:
        _settle(test)


def _settle(test: TestResult) -> None:
    """The status of a test with subtests: its own result line, unless the subtests disagree."""
    if test.errors:
        test.status = Status.ERROR
        test.reason = "; ".join(test.errors) if not test.reason else test.reason
        return
    failing = [s for s in test.subtests if s.status.failed]
    if failing:
        worst = min(failing, key=lambda s: _SEVERITY.index(s.status)).status
        if not test.status.failed or _SEVERITY.index(worst) < _SEVERITY.index(test.status):
            names = ", ".join(s.name for s in failing)
            note = f"subtests failed: {names}"
            test.reason = f"{test.reason}; {note}" if test.reason else note
            test.status = worst
        return
    if test.number is None:  # the top level has no result line of its own
        ran = [s for s in test.subtests if s.status is not Status.SKIP]
        test.status = Status.PASS if ran or not test.subtests else Status.SKIP
        if test.status is Status.SKIP and not test.reason:
            test.reason = "all subtests skipped"


def parse(output: str | Iterable[str], name: str = "main") -> TestResult:
    """Parse the (K)TAP in ``output``; ERROR when there is none."""
    lines = _split(output)
    result = _Parser(name).run(lines)
    if result is None:
        return TestResult(
            name=name,
            status=Status.ERROR,
            reason="no KTAP/TAP output found",
            errors=["no KTAP/TAP output found"],
            log=lines,
        )
    return result


def has_tap(output: str | Iterable[str]) -> bool:
    return _find_start(_split(output)) is not None


# ---------------------------------------------------------------------------------------------
# Exit status


def assertion_failure(output: str | Iterable[str]) -> str | None:
    """The text of a KVM selftest ``TEST_ASSERT`` failure block, on one line, or None.

    The block is printed by ``test_assert()``: the banner, ``  file:line: expression``,
    ``  pid=.. tid=.. errno=N - text``, a ``cat -n`` stack trace and the message.
    The stack trace is left out of the reason (it stays in the output).
    """
    lines = _split(output)
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == ASSERT_BANNER)
    except StopIteration:
        return None
    parts: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip() or not line[0].isspace():
            break
        if re.match(r"^\s+\d+\t", line) or line.strip() == "(stack trace empty)":
            continue
        parts.append(line.strip())
    return "; ".join(parts) if parts else ASSERT_BANNER


def describe_exit(exit_code: int | None) -> str:
    if exit_code is None:
        return "no exit status (the test did not finish)"
    if exit_code < 0:
        return f"killed by signal {_signame(-exit_code)}"
    known = {
        KSFT_PASS: "KSFT_PASS",
        KSFT_FAIL: "KSFT_FAIL",
        KSFT_XFAIL: "KSFT_XFAIL",
        KSFT_XPASS: "KSFT_XPASS",
        KSFT_SKIP: "KSFT_SKIP",
        TIMEOUT_EXIT: "timeout",
        KVM_ASSERT_EXIT: "TEST_ASSERT failure",
    }
    if exit_code in known:
        return f"exit status {exit_code} ({known[exit_code]})"
    if 128 < exit_code < 128 + 65:
        return f"exit status {exit_code} (128 + {_signame(exit_code - 128)}?)"
    return f"exit status {exit_code}"


def _signame(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return str(num)


def _skip_reason(lines: list[str]) -> str:
    """The KVM selftests' ``print_skip()`` line (``..., skipping test``), if any."""
    for line in reversed(lines):
        if "skipping test" in line:
            return line.strip()
    return ""


def from_exit_status(name: str, exit_code: int | None, output: str | Iterable[str]) -> TestResult:
    """Judge one selftest program by its output and exit status (``None``: it never exited).

    With TAP in the output, the TAP tree is the result and the exit status is cross-checked:
    TAP all ok but a failing exit status makes it FAIL, with the reason. Without TAP, the
    kselftest convention decides: 0 PASS, 1 FAIL, 2 XFAIL, 3 XPASS, 4 SKIP, 124 TIMEOUT,
    anything else FAIL; a ``TEST_ASSERT`` failure block gives the reason.
    """
    lines = _split(output)
    tree = _Parser(name).run(lines)
    assertion = assertion_failure(lines)
    what = describe_exit(exit_code)
    if tree is None:
        tree = TestResult(name=name, status=Status.PASS, log=lines)
        return _judge_exit(tree, exit_code, what, assertion, lines, tap=False)
    return _judge_exit(tree, exit_code, what, assertion, lines, tap=True)


def _judge_exit(
    tree: TestResult,
    exit_code: int | None,
    what: str,
    assertion: str | None,
    lines: list[str],
    *,
    tap: bool,
) -> TestResult:
    def set_(status: Status, reason: str) -> TestResult:
        tree.status, tree.reason = status, reason
        return tree

    seen = f"TAP reports {tree.status.value}" if tap else "no TAP output"
    if exit_code is None:
        return set_(Status.ERROR, f"{what}; {seen}")
    if exit_code == KSFT_PASS:
        return tree  # the TAP tree (or a plain pass) stands
    if exit_code == TIMEOUT_EXIT:
        return set_(Status.TIMEOUT, f"{what}; {seen}")
    if exit_code == KSFT_SKIP:
        if tap and (tree.status.failed or any(s.status is Status.SKIP for s in tree.leaves())):
            return tree
        if tree.status is Status.SKIP:
            return tree
        reason = _skip_reason(lines) if not tap else ""
        return set_(Status.SKIP, reason or f"{what}; {seen}")
    if exit_code in (KSFT_XFAIL, KSFT_XPASS):
        if tree.status.failed:
            return tree
        status = Status.XFAIL if exit_code == KSFT_XFAIL else Status.XPASS
        return set_(status, f"{what}; {seen}")
    # KSFT_FAIL, TEST_ASSERT (254), signals, anything else.
    if not tree.status.failed:
        if assertion:
            return set_(Status.FAIL, f"{assertion} ({what})")
        return set_(Status.FAIL, f"{seen}, but {what}")
    if exit_code == KVM_ASSERT_EXIT and assertion and tree.status is Status.ERROR:
        return set_(Status.FAIL, f"{assertion} ({what}); {tree.reason}")  # it explains the gap
    tree.reason = f"{tree.reason}; {what}" if tree.reason else what
    return tree
