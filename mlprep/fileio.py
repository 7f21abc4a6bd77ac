"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``.

    Creates the parent folder; raises OSError (after removing the temporary file) on failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Watched:
    """A file whose saves are noticed by polling its modification time (editors replace or rewrite
    files in different ways; the stamp catches both)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.stamp = self._stamp()

    def _stamp(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:  # mid-save: some editors delete, then write
            return None

    def changed(self) -> bool:
        """True once per save since the last call."""
        now = self._stamp()
        if now is None or now == self.stamp:
            return False
        self.stamp = now
        return True
