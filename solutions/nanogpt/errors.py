"""The engine's one exception for problems the user can fix (bad data, bad checkpoint, bad flags)."""

from __future__ import annotations


class GPTError(Exception):
    """A user-fixable problem; ``path`` names the file it concerns, when there is one."""

    def __init__(self, message: str, *, path=None):
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
