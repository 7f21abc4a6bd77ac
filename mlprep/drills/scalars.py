"""Scalar results in hidden tests: accept a plain float, and name the mistake when a wrong one
equals what a known wrong formula gives (the scalar counterpart of ``mistakes.assert_close_or_named``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mlprep.drills.compare import describe, fail


def expect_float(value: Any, what: str) -> float:
    """A real number: a Python float or int, a numpy floating scalar or a 0-d float array."""
    if type(value) in (float, int) or (isinstance(value, np.floating) and np.ndim(value) == 0):
        return float(value)
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind in "fi":
        return float(value)
    fail(f"{what}: expected a float, got {describe(value)}")
    raise AssertionError  # unreachable: fail() raises


def assert_float_close(got: Any, expected: float, what: str, mistakes: dict[str, float] | None = None,
                       rtol: float = 1e-7, atol: float = 1e-9) -> float:
    """``got`` is a float within ``atol + rtol * |expected|``; a wrong value equal to
    ``mistakes[message]`` fails with that message. Returns the float."""
    value = expect_float(got, what)
    if not math.isfinite(value):
        fail(f"{what}: got {value}, expected the finite value {expected:.6g}")
    if abs(value - expected) <= atol + rtol * abs(expected):
        return value
    for message, alt in (mistakes or {}).items():
        if math.isfinite(alt) and abs(value - alt) <= atol + rtol * abs(alt):
            fail(f"{what}: {message}")
    fail(f"{what}: expected {expected:.8g}, got {value:.8g}")
    raise AssertionError  # unreachable: fail() raises
