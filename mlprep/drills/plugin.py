"""The pytest plugin loaded into the trusted test process (``-p mlprep.drills.plugin``).

It reads its orders from a pipe the runner opened (the learner's file and its snapshot, the
limits, the sandbox plan, the pipe to send the verdict through), makes this process
non-dumpable and bounds its address space, provides the ``solution`` fixture (a
:class:`~mlprep.drills.proxy.SolutionProxy`), makes ``import <drill module>`` in the public
examples resolve to the same proxy, and records each test's verdict through pytest's hooks.
The learner's code is never imported in this process.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

from mlprep.drills.compare import DrillFailure
from mlprep.drills.isolation import Plan
from mlprep.drills.limits import Limits, cap_address_space
from mlprep.drills.proxy import SolutionBroke, SolutionProxy, SolutionRaised
from mlprep.drills.results import JUDGE_FD_ENV, Results, Status, TestResult


class _State:
    def __init__(self, orders: dict):
        self.orders = orders
        self.proxy = SolutionProxy(Path(orders["user_file"]), orders["module"], Limits(**orders["limits"]),
                                   orders["scratch"], Plan.from_dict(orders["plan"]), Path(orders["source"]))
        self.results = Results(drill=orders["drill"], file=orders["user_file"])
        self.names: dict[str, tuple[str, str]] = {}
        self.started = time.monotonic()


EXAMPLE_MESSAGE_LINES = 4
JUDGE_MEMORY_MB = 4096  # as mlprep.drills.runner sets it
_state: _State | None = None


def _read_orders() -> dict:
    fd = int(os.environ.pop(JUDGE_FD_ENV))
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return json.loads(b"".join(chunks))


def _not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: no process of this user may read this one's memory through /proc."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)


def _limit_memory() -> None:
    """The runner set the judge's address-space limit; a judge started by hand gets it too."""
    cap_address_space(JUDGE_MEMORY_MB << 20)


def pytest_configure(config: pytest.Config) -> None:
    global _state
    if JUDGE_FD_ENV not in os.environ:
        return
    _not_dumpable()
    _limit_memory()
    _state = _State(_read_orders())
    sys.modules[_state.orders["module"]] = _state.proxy  # type: ignore[assignment]
    _state.proxy.start()


@pytest.fixture(scope="session")
def solution() -> SolutionProxy:
    """The learner's module, living in the sandboxed child."""
    assert _state is not None, "the solution fixture only exists under mlprep's grader"
    return _state.proxy


@pytest.fixture(scope="session")
def tolerance() -> dict:
    """The drill's tolerance from drill.yaml: {"rtol": ..., "atol": ...}."""
    assert _state is not None, "the tolerance fixture only exists under mlprep's grader"
    return dict(_state.orders["tolerance"])


def learner_name(item: pytest.Item) -> str:
    """The first line of the test's docstring (or its name in words), plus its parameters."""
    fn = getattr(item, "function", None)
    doc = (getattr(fn, "__doc__", None) or "").strip().splitlines()
    base = doc[0].strip() if doc else item.name.split("[")[0].removeprefix("test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    return f"{base} [{callspec.id}]" if callspec is not None else base


def _kind(item: pytest.Item) -> str:
    return "example" if "examples" in Path(str(item.path)).parts else "hidden"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _state is not None:
        _state.names[item.nodeid] = (learner_name(item), _kind(item))
        _state.proxy.current_test = f'"{_state.names[item.nodeid][0]}"'


def verdict(exc: BaseException, kind: str) -> tuple[Status, str, str]:
    """(status, message, traceback) for an exception that ended a test."""
    if isinstance(exc, SolutionBroke):
        return Status.ERROR, str(exc), ""
    if isinstance(exc, SolutionRaised):
        return Status.FAIL, str(exc), exc.traceback
    if isinstance(exc, DrillFailure):
        return Status.FAIL, str(exc), ""
    if isinstance(exc, AssertionError):
        text = str(exc)
        if kind == "hidden":  # a bare assert: keep its message, never the hidden source
            text = text.split("\nassert ")[0] if not text.startswith("assert ") else "wrong result"
        else:  # public examples: the failing assert line and pytest's first explanations
            text = "\n".join(text.splitlines()[:EXAMPLE_MESSAGE_LINES])
        return Status.FAIL, text, ""
    return Status.FAIL, f"your result could not be checked ({type(exc).__name__}: {exc})", ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if _state is None or report.skipped or (call.when != "call" and report.passed):
        return
    name, kind = _state.names.get(item.nodeid, (learner_name(item), _kind(item)))
    if report.passed:
        result = TestResult(name, kind, Status.PASS, duration_s=call.duration)
    else:
        status, message, tb = verdict(call.excinfo.value, kind) if call.excinfo else (Status.FAIL, "failed", "")
        if call.when != "call" and status is Status.FAIL:
            status = Status.ERROR
        result = TestResult(name, kind, status, message, tb, call.duration)
        broke = call.excinfo.value if call.excinfo else None
        if isinstance(broke, SolutionBroke) and broke.syntax:
            _state.results.syntax = broke.syntax
    _state.results.tests.append(result)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if _state is not None and report.failed:
        _state.results.tests.append(
            TestResult(f"load the drill's tests ({report.nodeid})", "hidden", Status.ERROR,
                       "the drill's own tests could not be loaded; this is a bug in the drill, not your code")
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _state is None:
        return
    _state.proxy.close()
    _state.results.output = _state.proxy.output
    _state.results.duration_s = time.monotonic() - _state.started
    _state.results.judge_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = memoryview(json.dumps(_state.results.to_dict()).encode())
    fd = int(_state.orders["results_fd"])  # a pipe only this process holds; the runner reads it
    while data:
        data = data[os.write(fd, data):]
    os.close(fd)
