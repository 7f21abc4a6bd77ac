"""Hidden tests for softmax_ce: closed forms on ordinary, huge and tiny logits."""

import numpy as np
import pytest

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named


def lse(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def ref_log_softmax(x, axis=-1):
    return x - lse(x, axis)


def ref_ce(logits, targets):
    return float(-ref_log_softmax(logits)[np.arange(len(targets)), targets].mean())


def as_float(value, what):
    if type(value) is float or (isinstance(value, np.floating) and value.shape == ()):
        return float(value)
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind == "f":
        return float(value)
    fail(f"{what}: expected a float, got {describe(value)}")


@pytest.fixture(scope="module")
def logits():
    return np.random.default_rng(0).normal(size=(4, 7)) * 3


def test_softmax_rows(solution, logits, tolerance):
    """softmax matches exp(x) / sum(exp(x)) on ordinary logits"""
    assert_close(solution.softmax(logits), np.exp(ref_log_softmax(logits)), "softmax of a (4, 7) array", **tolerance)


def test_softmax_axis(solution, logits, tolerance):
    """softmax honours the axis argument"""
    x = logits.reshape(2, 2, 7)
    got = solution.softmax(x, axis=1)
    assert_close_or_named(got, np.exp(ref_log_softmax(x, axis=1)), "softmax(x, axis=1) of a (2, 2, 7) array", {
        "the values must sum to 1 along axis 1; yours sum to 1 along the last axis":
            np.exp(ref_log_softmax(x, axis=-1)),
    }, **tolerance)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_huge_logits(solution, fn, tolerance):
    """huge logits (around 1000) do not overflow"""
    x = np.array([[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -1002.0]])
    got = getattr(solution, fn)(x)
    if type(got) is np.ndarray and got.shape == x.shape:
        if np.isnan(got).any() or np.isposinf(got).any():
            fail(f"{fn} of logits near 1000 returned nan or inf: exp overflowed; subtract the maximum of each row before exp")
        if np.isneginf(got).any():
            fail(f"{fn} of logits near 1000 returned -inf where a probability underflows: compute "
                 "x - max - log(sum(exp(x - max))) instead of log(softmax(x))")
    expected = ref_log_softmax(x)
    assert_close(got, np.exp(expected) if fn == "softmax" else expected, f"{fn} of logits near +-1000", **tolerance)


def test_log_softmax_tail(solution, tolerance):
    """log_softmax is exact far below the maximum, where softmax underflows"""
    x = np.array([[0.0, -800.0, -20.0], [5.0, 5.0, -1000.0]])
    got = solution.log_softmax(x)
    if type(got) is np.ndarray and got.shape == x.shape and np.isneginf(got).any():
        fail("log_softmax returned -inf where the probability underflows to 0: compute "
             "x - max - log(sum(exp(x - max))) instead of log(softmax(x))")
    assert_close(got, ref_log_softmax(x), "log_softmax far below the maximum", **tolerance)


def test_log_softmax_axis0(solution, logits, tolerance):
    """log_softmax honours axis=0"""
    got = solution.log_softmax(logits, axis=0)
    assert_close_or_named(got, ref_log_softmax(logits, axis=0), "log_softmax(x, axis=0)", {
        "the values must be normalised along axis 0; yours are normalised along the last axis":
            ref_log_softmax(logits, axis=-1),
    }, **tolerance)


def test_cross_entropy_mean(solution, logits):
    """cross_entropy is the mean negative log-likelihood"""
    targets = np.array([0, 6, 3, 3])
    got = as_float(solution.cross_entropy(logits, targets), "cross_entropy")
    expected = ref_ce(logits, targets)
    if np.isclose(got, expected * len(targets), rtol=1e-9) and not np.isclose(got, expected, rtol=1e-9):
        fail(f"cross_entropy must be the mean over the {len(targets)} examples; you returned the sum ({got:.6g}, expected {expected:.6g})")
    if not np.isclose(got, expected, rtol=1e-9, atol=1e-12):
        fail(f"cross_entropy of 4 examples: expected {expected:.6g}, got {got:.6g}")


def test_cross_entropy_extreme(solution):
    """cross_entropy stays finite when the true class is 1000 below the best"""
    got = as_float(solution.cross_entropy(np.array([[1000.0, 0.0], [0.0, 0.0]]), np.array([1, 0])), "cross_entropy")
    expected = (1000.0 + np.log(2.0)) / 2
    if not np.isfinite(got):
        fail("cross_entropy with a logit of 1000 returned nan or inf: use a stable log-softmax")
    if not np.isclose(got, expected, rtol=1e-9):
        fail(f"cross_entropy with logits [[1000, 0], [0, 0]] and targets [1, 0]: expected {expected:.6g}, got {got:.6g}")

