"""Work a hidden test may ask the sandboxed child to do besides calling one learner function.

Two drills grade something other than a return value:

- ``test_writing``: the learner's file holds *tests*. :func:`run_tests` runs them against
  several versions of the function under test (the reference and hidden mutants). The judge
  hands those versions over as black boxes, so their code stays on the judge's side; what
  comes back is which test passed on which version.
- ``vectorize``: the learner's fast function is timed against the given slow one in the same
  process, on the same inputs. :func:`time_against` receives the slow version's trusted source
  (never the learner's copy of it) and returns seconds.

A hidden test calls them as ``solution.mlprep_run_tests(...)`` and
``solution.mlprep_time_against(...)``: the child serves names that start with ``mlprep_`` from
:data:`SERVICES`, with the learner's module as first argument. Everything here runs in the
child, so its answers are data the judge checks, never verdicts it believes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from time import perf_counter  # bound before the learner's file is imported
from types import ModuleType
from typing import Any

from mlprep.drills.given import load_source
from mlprep.drills.protocol import BlackBox

SERVICE_PREFIX = "mlprep_"
MESSAGE_LIMIT = 300


def learner_tests(module: ModuleType) -> dict[str, Callable[[], Any]]:
    """The module's own ``test_*`` functions, in the order they are defined."""
    found = [(name, fn) for name, fn in vars(module).items()
             if name.startswith("test_") and inspect.isfunction(fn) and fn.__module__ == module.__name__]
    return dict(sorted(found, key=lambda item: item[1].__code__.co_firstlineno))


def _outcome(test: Callable[[], Any]) -> dict[str, str]:
    if inspect.signature(test).parameters:
        return {"status": "error", "message": "takes arguments: write tests without fixtures or parameters"}
    try:
        test()
    except AssertionError as exc:
        return {"status": "fail", "message": f"AssertionError: {exc}"[:MESSAGE_LIMIT]}
    except BaseException as exc:  # noqa: BLE001 - pytest.fail, sys.exit, anything: the test did not pass
        return {"status": "error", "message": f"{type(exc).__name__}: {exc}"[:MESSAGE_LIMIT]}
    return {"status": "pass", "message": ""}


def run_tests(module: ModuleType, target: str, versions: dict[str, Callable[..., Any]]) -> dict[str, dict]:
    """Run every test in ``module`` once per version, with ``module.<target>`` set to it.

    Returns ``{version: {test name: {"status": "pass" | "fail" | "error", "message": ...}}}``.
    The learner's own ``target`` is put back afterwards.
    """
    tests = learner_tests(module)
    original = getattr(module, target, None)
    outcomes: dict[str, dict] = {}
    try:
        for label, version in versions.items():
            setattr(module, target, _with_signature(version, original))
            outcomes[label] = {name: _outcome(test) for name, test in tests.items()}
    finally:
        setattr(module, target, original)
    return outcomes


def _with_signature(version: Callable[..., Any], like: Any) -> Callable[..., Any]:
    """``version`` called as the learner's own function would be: keyword arguments and defaults
    are bound by ``like``'s signature and passed on by position (a black box takes positions only)."""
    try:
        signature = inspect.signature(like)
    except (TypeError, ValueError):
        return version

    def call(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return version(*bound.args)

    return call


def run_learner_tests(module: Any, target: str, versions: dict[str, Callable[..., Any]]) -> dict[str, dict]:
    """:func:`run_tests` from a test file: here when ``module`` is the real module (plain pytest),
    through the sandbox when it is the grader's proxy (the versions go as black boxes)."""
    if isinstance(module, ModuleType):
        return run_tests(module, target, versions)
    boxes = {label: BlackBox(fn, name=f"{target} ({label})") for label, fn in versions.items()}
    return module.mlprep_run_tests(target, boxes)


def time_against(module: ModuleType, fast: str, slow_source: str, slow: str, args: list, repeats: int = 3) -> dict:
    """Best-of-``repeats`` seconds for ``module.<fast>(*args)`` and for the trusted ``slow``.

    ``slow_source`` is the drill's own file; it is run in a fresh namespace, so editing the
    learner's copy of the slow function changes nothing. Calls alternate, so a busy machine
    slows both alike. Returns ``{"fast_s", "slow_s", "result"}`` (the fast version's output).
    """
    slow_fn, fast_fn = load_source(slow_source, "<given>")[slow], getattr(module, fast)
    result = fast_fn(*args)
    fast_s, slow_s = [], []
    for _ in range(repeats):
        for fn, times in ((slow_fn, slow_s), (fast_fn, fast_s)):
            start = perf_counter()
            fn(*args)
            times.append(perf_counter() - start)
    return {"fast_s": min(fast_s), "slow_s": min(slow_s), "result": result}


SERVICES: dict[str, Callable[..., Any]] = {
    f"{SERVICE_PREFIX}run_tests": run_tests,
    f"{SERVICE_PREFIX}time_against": time_against,
}


def service(module: ModuleType, name: str) -> Callable[..., Any] | None:
    """The service called ``name`` bound to the learner's module, or None if there is none."""
    fn = SERVICES.get(name)
    return partial(fn, module) if fn is not None else None
