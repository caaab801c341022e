"""The one status type of results: :class:`Status`, for a test or subtest in one run.

KTAP/kselftest results (``ktap``) are parsed straight into it; the console's view of a test
(a kernel crash or hang while it ran) and a comparison's ``missing`` are the other values.
How a guest's :class:`~harness.vm.outcome.RunOutcome` becomes a Status, and what a Status
means for the exit status, is decided in :mod:`harness.results.verdict`. Imports nothing.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """One test in one run. XFAIL, XPASS and TODO do not fail, but are reported."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    XFAIL = "xfail"
    XPASS = "xpass"
    TODO = "todo"
    ERROR = "error"  # crashed, bailed out, results missing or unparsable
    TIMEOUT = "timeout"  # past its timeout and interrupted; the kernel still answered
    CRASH = "crash"  # the kernel reported a problem (oops, panic, ...) while it ran
    HANG = "hang"  # the guest stopped answering while it ran
    MISSING = "missing"  # not in this run at all (comparisons)

    @property
    def failed(self) -> bool:
        return self in _FAILED

    @property
    def kernel_down(self) -> bool:
        return self in (Status.CRASH, Status.HANG)

    @property
    def noteworthy(self) -> bool:
        """Not a failure, not a plain pass: worth a line in any summary."""
        return self in (Status.SKIP, Status.XFAIL, Status.XPASS, Status.TODO)

    def compared(self) -> Status:
        """The status as a comparison sees it: XFAIL, XPASS and TODO count as PASS."""
        return Status.PASS if self in (Status.XFAIL, Status.XPASS, Status.TODO) else self


_FAILED = frozenset({Status.FAIL, Status.ERROR, Status.TIMEOUT, Status.CRASH, Status.HANG})
