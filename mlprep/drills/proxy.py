"""The ``solution`` object hidden tests call: each attribute is a function living in the child.

``solution.top_k_sample(logits, k=5)`` sends the call to the sandboxed child and returns the
decoded data. The learner's exceptions come back as :class:`SolutionRaised` (a failed test,
with their traceback); a child that times out, dies, runs out of memory or cannot import the
file raises :class:`SolutionBroke` (an errored test) and is replaced by a fresh one for the
next test. An import failure is remembered, so the other tests report it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mlprep.drills.isolation import Plan
from mlprep.drills.limits import Limits
from mlprep.drills.sandbox import ChildFailure, ChildRaised, Sandbox


class SolutionRaised(AssertionError):
    """The learner's function raised an exception (the test fails)."""

    def __init__(self, message: str, traceback: str = ""):
        super().__init__(message)
        self.traceback = traceback


class SolutionBroke(Exception):
    """The learner's code could not run at all: import error, crash, exit, timeout, memory."""

    def __init__(self, message: str, syntax: dict | None = None):
        super().__init__(message)
        self.syntax = syntax


class SolutionProxy:
    """Attribute access gives callables that run in the child; ``current_test`` names the test."""

    def __init__(self, user_file: Path, module_name: str, limits: Limits, scratch: str | None = None,
                 plan: Plan | None = None, source: Path | None = None):
        """``source``: the snapshot of ``user_file`` the child gets (default: the file itself)."""
        self._user_file = Path(user_file)
        self._source = Path(source or user_file)
        self._module_name = module_name
        self._limits = limits
        self._scratch = scratch
        self._plan = plan
        self._sandbox: Sandbox | None = None
        self._import_failure: SolutionBroke | None = None
        self._importing = False
        self._current_test = "this test"
        self.output = ""

    @property
    def source_file(self) -> Path:
        """The learner's file exactly as graded (the snapshot the child imported), for hidden tests
        that read it as text, e.g. to check for a banned call; the judge never runs it."""
        return self._source

    @property
    def current_test(self) -> str:
        return self._current_test

    @current_test.setter
    def current_test(self, name: str) -> None:
        """A new test begins: the child's allowance of bytes starts again."""
        self._current_test = name
        if self._sandbox is not None:
            self._sandbox.new_test()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def remote(*args: Any, **kwargs: Any) -> Any:
            return self._call(name, args, kwargs)

        remote.__name__ = name
        return remote

    def _call(self, fn: str, args: tuple, kwargs: dict) -> Any:
        sandbox = self._ready()
        where = f"in {self.current_test}"
        try:
            return sandbox.call(fn, args, kwargs, where)
        except ChildRaised as exc:
            raise self._raised(fn, exc.info) from None
        except ChildFailure as exc:
            self._retire()
            self.start()  # the next test's child starts while this one is reported
            raise SolutionBroke(str(exc)) from None

    def start(self) -> None:
        """Start a child now without waiting for it, so its imports overlap the test collection."""
        if self._sandbox is None and self._import_failure is None:
            self._sandbox = Sandbox(self._source, self._module_name, self._limits, self._scratch, self._plan,
                                    shown_as=self._user_file)
            self._importing = True

    def _ready(self) -> Sandbox:
        if self._import_failure is not None:
            raise self._import_failure
        self.start()
        assert self._sandbox is not None
        if self._importing:
            try:
                self._sandbox.wait_ready()
            except ChildFailure as exc:
                self._retire()
                self._import_failure = self._import_broke(exc)
                raise self._import_failure from None
            self._importing = False
        return self._sandbox

    def _import_broke(self, exc: ChildFailure) -> SolutionBroke:
        info = exc.info
        if exc.kind != "import":
            return SolutionBroke(f"{exc} (while importing your file)" if "import" not in str(exc) else str(exc))
        if info.get("type") in ("SyntaxError", "IndentationError", "TabError") and info.get("line"):
            return SolutionBroke(
                f"{info['type']} in {self._user_file.name} line {info['line']}: {info.get('message')}",
                syntax={"line": info["line"], "text": info.get("text", ""), "message": info.get("message", "")},
            )
        message = f"your file could not be imported: {info.get('type')}: {info.get('message')}"
        if info.get("type") == "SystemExit":
            message = f"your file called sys.exit({info.get('message')}) while being imported"
        if info.get("traceback"):
            message += "\n" + _relabel(info["traceback"], self._user_file.name)
        return SolutionBroke(message)

    def _raised(self, fn: str, info: dict) -> Exception:
        kind, text, tb = info.get("type"), info.get("message"), _relabel(info.get("traceback", ""), self._user_file.name)
        if kind == "MemoryError":
            return SolutionBroke(f"your {fn} ran out of memory (limit {self._limits.memory_mb} MB) in {self.current_test}")
        if kind == "SystemExit":
            return SolutionBroke(f"your {fn} called sys.exit({text}) in {self.current_test}")
        return SolutionRaised(f"your {fn} raised {kind}: {text}", tb)

    def _retire(self) -> None:
        if self._sandbox is not None:
            self.output += self._sandbox.output
            self._sandbox.kill()
            self._sandbox = None

    def close(self) -> None:
        """Stop the child (if any) and keep what it printed."""
        self._retire()


def _relabel(traceback: str, file_name: str) -> str:
    return "\n".join(f"{file_name} {line}" if line.startswith("line ") else line for line in traceback.splitlines())
