"""The one exception type the CLI turns into a clear, one-paragraph error."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A user-facing failure: the message names the file, patch or symbol at fault.

    ``log`` points at the log file kept for the failed stage, when there is one.
    """

    def __init__(self, message: str, *, log: str | None = None, exit_code: int = 1) -> None:
        super().__init__(message)
        self.log = log
        self.exit_code = exit_code

    def __str__(self) -> str:
        text = super().__str__()
        if self.log:
            text += f" (full log: {self.log})"
        return text
