"""Helpers for hidden tests: compare what the learner returned with an oracle, and say how it differs.

Every check goes in the same order: exact type, then shape, then dtype, then values (within
a tolerance), and a failure names the largest error and where it sits. Messages speak to the
learner and never print the test's source. Sampling tests use :func:`assert_frequencies`, a
chi-square goodness-of-fit test on counts drawn with a fixed seed.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np


class DrillFailure(AssertionError):
    """A hidden test's verdict, with a message meant for the learner."""


def fail(message: str) -> None:
    raise DrillFailure(message)


# The shapes of the generic messages below; any other DrillFailure names a specific mistake.
_GENERIC_RE = re.compile(
    r": (expected an integer index, got |expected a numpy array, got |expected shape \(|expected a [\w ]+ dtype, got "
    r"|expected dtype |\d+ of \d+ values differ; the largest error is at |expected [\w.]+(\[| ).*, got )"
)


def is_generic(message: str) -> bool:
    """Whether a failure message is one of this module's generic mismatches (wrong type, shape,
    dtype or values) rather than a drill's own words for a specific mistake."""
    return bool(_GENERIC_RE.search(message))


def describe(value: Any) -> str:
    """A short account of a value: its type, and shape and dtype for arrays and tensors."""
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__
    if kind is np.ndarray:
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if name == "torch.Tensor":
        return f"a torch tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy {value.dtype} scalar ({value!r})"
    type_name = getattr(value, "type_name", None)
    if type_name is not None and kind.__name__ == "Unsupported":
        return f"an object of type {type_name} (only plain arrays, tensors and numbers are accepted)"
    return f"{name} {value!r}"[:200]


def expect_index(value: Any, what: str) -> int:
    """A single integer index (Python int or numpy integer); returned as int."""
    if type(value) is int or (isinstance(value, np.integer) and type(value) is np.dtype(type(value)).type):
        return int(value)
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind in "iu":
        return int(value)
    fail(f"{what}: expected an integer index, got {describe(value)}")
    raise AssertionError  # unreachable: fail() raises


def expect_array(value: Any, what: str, shape: tuple[int, ...] | None = None, kinds: str | None = None) -> np.ndarray:
    """A plain numpy array, of ``shape`` and a dtype whose kind is in ``kinds`` (e.g. "iu")."""
    if type(value) is not np.ndarray:
        fail(f"{what}: expected a numpy array, got {describe(value)}")
    if shape is not None and value.shape != tuple(shape):
        fail(f"{what}: expected shape {tuple(shape)}, got shape {value.shape}")
    if kinds is not None and value.dtype.kind not in kinds:
        names = {"i": "signed integer", "u": "unsigned integer", "f": "floating", "b": "boolean"}
        wanted = " or ".join(names.get(k, k) for k in kinds)
        fail(f"{what}: expected a {wanted} dtype, got {value.dtype}")
    return value


def assert_close(got: Any, expected: Any, what: str, rtol: float = 1e-6, atol: float = 1e-8) -> None:
    """Exact type, then shape, then dtype, then values within ``atol + rtol * |expected|``.

    ``expected`` is a numpy array or a torch tensor (the learner must return the same kind).
    """
    if type(got) is not type(expected):
        fail(f"{what}: expected {describe(expected)}, got {describe(got)}")
    if tuple(got.shape) != tuple(expected.shape):
        fail(f"{what}: expected shape {tuple(expected.shape)}, got shape {tuple(got.shape)}")
    if got.dtype != expected.dtype:
        fail(f"{what}: expected dtype {expected.dtype}, got dtype {got.dtype}")
    g = _as_numpy(got).astype(np.float64)
    e = _as_numpy(expected).astype(np.float64)
    if g.size == 0:
        return
    with np.errstate(invalid="ignore"):
        err = np.abs(g - e)
    same = (g == e) | (np.isnan(g) & np.isnan(e))  # equal infinities and NaN where NaN is expected
    err = np.where(same, 0.0, np.where(np.isnan(err), np.inf, err))
    allowed = atol + rtol * np.abs(np.where(np.isfinite(e), e, 0.0))
    if np.all(err <= allowed):
        return
    excess = err - allowed
    where = np.unravel_index(int(np.argmax(excess)), g.shape)
    at = ", ".join(str(int(i)) for i in where)
    n_bad = int(np.sum(~(err <= allowed)))
    fail(
        f"{what}: {n_bad} of {g.size} values differ; the largest error is at [{at}]: "
        f"expected {e[where]:.6g}, got {g[where]:.6g} (tolerance {allowed[where]:.2g})"
    )


def _as_numpy(value: Any) -> np.ndarray:
    return value if type(value) is np.ndarray else value.detach().cpu().numpy()


def chi_square_p(counts: np.ndarray, probs: np.ndarray) -> float:
    """p-value of a chi-square goodness-of-fit test (Wilson-Hilferty approximation).

    Cells with an expected count under 5 are pooled into one, as the test requires.
    """
    counts = np.asarray(counts, dtype=np.float64)
    expected = np.asarray(probs, dtype=np.float64) * counts.sum()
    small = expected < 5
    if small.any():
        counts = np.append(counts[~small], counts[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    keep = expected > 0
    counts, expected = counts[keep], expected[keep]
    df = len(counts) - 1
    if df < 1:
        return 1.0
    stat = float(np.sum((counts - expected) ** 2 / expected))
    z = ((stat / df) ** (1 / 3) - (1 - 2 / (9 * df))) / math.sqrt(2 / (9 * df))
    return 0.5 * math.erfc(z / math.sqrt(2))


def assert_frequencies(samples: np.ndarray, probs: np.ndarray, what: str, alpha: float = 1e-4) -> None:
    """Samples (integer indices) come only from where ``probs > 0``, at the right frequencies."""
    probs = np.asarray(probs, dtype=np.float64)
    outside = samples[(samples < 0) | (samples >= len(probs))]
    if outside.size:
        fail(f"{what}: sampled index {int(outside[0])}, outside the vocabulary of {len(probs)}")
    zero = samples[probs[samples] == 0]
    if zero.size:
        fail(f"{what}: sampled index {int(zero[0])}, which should never be drawn (its probability is 0)")
    counts = np.bincount(samples, minlength=len(probs))
    p = chi_square_p(counts, probs)
    if p < alpha:
        worst = int(np.argmax(np.abs(counts / counts.sum() - probs)))
        fail(
            f"{what}: the sampling frequencies do not match the expected distribution "
            f"(chi-square p = {p:.2g}); index {worst} was drawn {counts[worst] / counts.sum():.3f} "
            f"of the time, expected {probs[worst]:.3f}"
        )
