"""What happened in the guest: the one outcome type of the ``vm`` stage (:class:`RunOutcome`).

One vocabulary for a console command, a test program and a whole guest run. The console driver
produces it, the session refines it per test, and :mod:`harness.results.verdict` maps it onto
the results' :class:`~harness.results.status.Status` in one place. This module imports nothing.
"""

from __future__ import annotations

from enum import StrEnum


class RunOutcome(StrEnum):
    """How a command, a test or a guest run went.

    * ``pass`` / ``fail`` -- it finished with exit status 0 / non-zero;
    * ``skip`` -- a test that exited with KSFT_SKIP (4);
    * ``timeout`` -- a test still running at its timeout, interrupted; the guest still answered
      (kselftest's TIMEOUT, rc 124): a failure of that test, not of the kernel;
    * ``crash`` -- a kernel report (oops, panic, BUG, WARNING...) while it ran, or the guest died;
    * ``hang`` -- the guest stopped answering (no shell after a timeout and Ctrl-C), or never
      gave a shell after the kernel started;
    * ``infra-error`` -- no usable guest (backend failure, no /dev/kvm);
    * ``not-run`` -- the guest was gone before its turn;
    * ``interrupted`` -- kwb got SIGINT/SIGTERM while it ran.
    """

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    TIMEOUT = "timeout"
    CRASH = "crash"
    HANG = "hang"
    INFRA_ERROR = "infra-error"
    NOT_RUN = "not-run"
    INTERRUPTED = "interrupted"

    @property
    def kernel_down(self) -> bool:
        """The kernel itself went wrong (a report, or the guest stopped answering)."""
        return self in (RunOutcome.CRASH, RunOutcome.HANG)
