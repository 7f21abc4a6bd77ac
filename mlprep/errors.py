"""The one domain exception. Library code raises it; only the CLI turns it into a message."""

from __future__ import annotations

from pathlib import Path


class MlprepError(Exception):
    """A user mistake (bad input or usage): the CLI prints one line and exits with ``exit_code``.

    ``path`` and ``line`` locate the problem, and ``str()`` renders ``path:line: message``.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{where}{self.message}"
