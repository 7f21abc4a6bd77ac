"""Hidden tests for attention: a per-query closed form, the causal property, known mistakes named."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named


def softmax(s, axis=-1):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def oracle(q, k, v, causal=False, scale=None, axis=-1, mask="before"):
    """The closed form (and, through its knobs, the answers of classic mistakes)."""
    d = q.shape[-1]
    s = q @ np.swapaxes(k, -1, -2) * (1 / np.sqrt(d) if scale is None else scale)
    future = np.triu(np.ones(s.shape[-2:], dtype=bool), k=1 if mask != "diagonal" else 0)
    if causal and mask in ("before", "diagonal"):
        with np.errstate(invalid="ignore"):
            s = np.where(future, -np.inf, s)
            w = softmax(s, axis)
    else:
        w = softmax(s, axis)
        if causal:
            w = np.where(future, 0.0, w)
    return w @ v


def mistakes(q, k, v, causal=False):
    d = q.shape[-1]
    named = {
        "scores were scaled by 1/d_k instead of 1/sqrt(d_k)": oracle(q, k, v, causal, scale=1 / d),
        "scores were not scaled by 1/sqrt(d_k)": oracle(q, k, v, causal, scale=1.0),
        "scores were scaled by the values' size, 1/sqrt(d_v), instead of the keys' size, 1/sqrt(d_k)":
            oracle(q, k, v, causal, scale=1 / np.sqrt(v.shape[-1])),
        "the softmax must run over the keys (last axis), not over the queries": oracle(q, k, v, causal, axis=-2),
    }
    if causal:
        named["the causal mask was applied after softmax: mask the scores with -inf before it"] = \
            oracle(q, k, v, True, mask="after")
    return named


@pytest.fixture(scope="module")
def qkv():
    rng = np.random.default_rng(0)
    return rng.normal(size=(2, 3, 5, 8)), rng.normal(size=(2, 3, 6, 8)), rng.normal(size=(2, 3, 6, 4))


def test_batched_heads(solution, qkv, tolerance):
    """batch and head axes, Tq != Tk, d_v != d_k"""
    q, k, v = qkv
    got = solution.attention(q, k, v)
    assert_close_or_named(got, oracle(q, k, v), "attention on (2, 3, 5, 8) queries", mistakes(q, k, v), **tolerance)


def test_causal_matches(solution, tolerance):
    """causal attention matches the closed form"""
    x = np.random.default_rng(1).normal(size=(2, 6, 16))
    got = solution.attention(x, x * 0.5, x + 1.0, causal=True)
    if type(got) is np.ndarray and got.shape == x.shape and np.isnan(got[:, 0]).any():
        fail("query 0 got nan: it must attend to itself; the causal mask hides the diagonal (off by one)")
    assert_close_or_named(got, oracle(x, x * 0.5, x + 1.0, causal=True), "causal attention",
                          mistakes(x, x * 0.5, x + 1.0, causal=True), **tolerance)


def test_future_does_not_leak(solution):
    """causal: changing later tokens leaves earlier outputs unchanged"""
    rng = np.random.default_rng(2)
    q, k, v = rng.normal(size=(3, 7, 4)), rng.normal(size=(3, 7, 4)), rng.normal(size=(3, 7, 4))
    k2, v2 = k.copy(), v.copy()
    k2[..., 3:, :] = rng.normal(size=(3, 4, 4)) * 5
    v2[..., 3:, :] = rng.normal(size=(3, 4, 4)) * 5
    a = expect_array(solution.attention(q, k, v, causal=True), "causal attention", shape=(3, 7, 4), kinds="f")
    b = expect_array(solution.attention(q, k2, v2, causal=True), "causal attention", shape=(3, 7, 4), kinds="f")
    changed = np.flatnonzero(~np.isclose(a[:, :3], b[:, :3], atol=1e-9).all(axis=(0, 2)))
    if changed.size:
        fail(f"changing the tokens after t=2 changed the output at t={changed[0]}: the causal mask is "
             "missing or applied after softmax")


def test_large_scores(solution, tolerance):
    """large scores do not overflow the softmax"""
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(4, 8)) * 100, rng.normal(size=(4, 8)) * 100, rng.normal(size=(4, 2))
    got = solution.attention(q, k, v)
    if type(got) is np.ndarray and got.shape == (4, 2) and not np.isfinite(got).all():
        fail("scores in the thousands gave nan or inf: subtract each row's maximum before exp")
    assert_close_or_named(got, oracle(q, k, v), "attention with large scores", mistakes(q, k, v), **tolerance)


def test_single_query(solution, tolerance):
    """a single query (no batch axes) over ten keys"""
    rng = np.random.default_rng(4)
    q, k, v = rng.normal(size=(1, 32)), rng.normal(size=(10, 32)), rng.normal(size=(10, 3))
    assert_close_or_named(solution.attention(q, k, v), oracle(q, k, v), "one query, ten keys, d_k = 32",
                          mistakes(q, k, v), **tolerance)
