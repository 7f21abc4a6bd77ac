"""Reading the user's keys: single key presses without Enter on a terminal, plain text otherwise.

On a TTY each key is read in raw mode (restored straight after), so Ctrl-C arrives as ``\\x03``
and Ctrl-D as ``\\x04`` rather than as signals. When stdin is not a terminal (a pipe, a file, a
test), each character of the input is one key press and a typed answer is one line, so a whole
session can be scripted: ``printf ' 3 1q' | mlprep quiz``. End of input counts as Ctrl-D (quit).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

CTRL_C = "\x03"
CTRL_D = "\x04"
ESCAPE = "\x1b"
TIMEOUT = "\x00timeout"  # what key() and line() return when their timeout passes first


class Keys:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdin
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self._pending = ""  # keys that arrived together (a paste, fast typing)

    def key(self, timeout: float | None = None) -> str:
        """The next key press: one character; Ctrl-D at end of input; ESC for escape sequences;
        TIMEOUT when ``timeout`` seconds pass first (on a terminal; piped input never waits)."""
        if not self._pending:
            self._pending = self._read_raw(timeout) if self.tty else (self.stream.read(1) or CTRL_D)
            if self._pending == TIMEOUT:
                self._pending = ""
                return TIMEOUT
        if self._pending.startswith(ESCAPE):
            self._pending = ""  # arrow keys and the like: swallow the whole sequence
            return ESCAPE
        key, self._pending = self._pending[0], self._pending[1:]
        return key

    def key_within(self, seconds: float) -> str | None:
        """The next key press if one arrives within ``seconds``, else None (for loops that also
        watch something else, like a file being edited); piped input is waited on too."""
        if not self.tty and not self._pending:
            import select

            try:
                if not select.select([self.stream], [], [], seconds)[0]:
                    return None
            except (OSError, ValueError, TypeError):  # a stream select cannot wait on (a test's StringIO)
                pass
        key = self.key(seconds)
        return None if key == TIMEOUT else key

    def _ready(self, timeout: float | None) -> bool:
        if timeout is None:
            return True
        import select

        return bool(select.select([self.stream.fileno()], [], [], timeout)[0])

    def line(self, timeout: float | None = None) -> str | None:
        """One typed line (without its newline); None on Ctrl-D or end of input; TIMEOUT when
        ``timeout`` seconds pass before the line is submitted (on a terminal).

        On a TTY the line is read in the terminal's normal mode, with echo and line editing
        (Ctrl-C there raises KeyboardInterrupt, which the front end treats as quit).
        """
        if self.tty:
            self._pending = ""
            if not self._ready(timeout):
                return TIMEOUT
            data = os.read(self.stream.fileno(), 4096).decode("utf-8", "replace")
            return data.rstrip("\r\n") if data and data[0] not in (CTRL_C, CTRL_D) else None
        chars: list[str] = []
        while True:
            if not self._pending:
                self._pending = self.stream.read(1)
                if not self._pending:
                    return "".join(chars) if chars else None
            ch, self._pending = self._pending[0], self._pending[1:]
            if ch in ("\n", "\r"):
                return "".join(chars)
            if ch in (CTRL_C, CTRL_D):
                return None
            chars.append(ch)

    def _read_raw(self, timeout: float | None = None) -> str:
        import termios
        import tty

        fd = self.stream.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setraw(fd, termios.TCSANOW)  # not TCSAFLUSH: keys typed ahead (or pasted) are kept
            if not self._ready(timeout):  # raw first: in line mode a key is not readable before Enter
                return TIMEOUT
            data = os.read(fd, 64)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
        return data.decode("utf-8", "replace") or CTRL_D
