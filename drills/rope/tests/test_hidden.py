"""Hidden tests for rope: closed form, rotation invariants, relative positions, attention on top."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named


def rotate(x, positions, base=10000.0, pairs="half", exponent=2.0, shift=0, sign=1.0):
    """The closed form; its knobs reproduce classic mistakes."""
    d = x.shape[-1]
    theta = base ** (-exponent * np.arange(d // 2) / d)
    a = (np.asarray(positions, dtype=np.float64)[:, None] + shift) * theta * sign
    cos, sin = np.cos(a), np.sin(a)
    if pairs == "half":
        x1, x2 = x[..., : d // 2], x[..., d // 2 :]
        return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)
    out = np.empty_like(x)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out[..., 0::2], out[..., 1::2] = x1 * cos - x2 * sin, x1 * sin + x2 * cos
    return out


def mistakes(x, positions, base=10000.0):
    return {
        "channel i pairs with channel i + d/2 (half-split); you rotated adjacent pairs (2i, 2i+1)":
            rotate(x, positions, base, pairs="adjacent"),
        "the rotation frequencies are wrong: theta_i = base ** (-2i / d)": rotate(x, positions, base, exponent=1.0),
        "position 0 must be left unchanged (angle 0); your angles are off by one position": rotate(x, positions, base, shift=1),
        "each pair was rotated the wrong way: (x1, x2) -> (x1 cos - x2 sin, x1 sin + x2 cos)": rotate(x, positions, base, sign=-1.0),
    }


def causal_attention(q, k, v, causal=True):
    t, d = q.shape[-2:]
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)
    s = np.where(np.triu(np.ones((t, t), dtype=bool), k=1) & causal, -np.inf, s)
    w = np.exp(s - s.max(axis=-1, keepdims=True))
    return (w / w.sum(axis=-1, keepdims=True)) @ v


@pytest.fixture(scope="module")
def x():
    return np.random.default_rng(0).normal(size=(2, 3, 6, 16))


def test_closed_form(solution, x, tolerance):
    """apply_rope matches the rotation formula on (2, 3, 6, 16)"""
    pos = np.arange(6)
    assert_close_or_named(solution.apply_rope(x, pos), rotate(x, pos), "apply_rope on positions 0..5", mistakes(x, pos), **tolerance)


def test_arbitrary_positions(solution, x, tolerance):
    """positions need not be 0..T-1"""
    pos = np.array([7, 100, 3, 3, 4096, 1])
    assert_close_or_named(solution.apply_rope(x, pos, base=500.0), rotate(x, pos, 500.0),
                          "apply_rope on positions [7, 100, 3, 3, 4096, 1] with base 500", mistakes(x, pos, 500.0), **tolerance)


def test_position_zero(solution, x):
    """position 0 leaves every vector unchanged"""
    got = expect_array(solution.apply_rope(x, np.zeros(6, dtype=np.int64)), "apply_rope at position 0", shape=x.shape, kinds="f")
    if not np.allclose(got, x, atol=1e-12):
        fail("position 0 must be left unchanged (angle 0); apply_rope changed the vectors")


def test_norms_preserved(solution, x):
    """rotations keep every pair's length"""
    got = expect_array(solution.apply_rope(x, np.arange(6) * 13), "apply_rope", shape=x.shape, kinds="f")
    h = x.shape[-1] // 2
    before = x[..., :h] ** 2 + x[..., h:] ** 2
    after = got[..., :h] ** 2 + got[..., h:] ** 2
    if not np.allclose(before, after, atol=1e-9):
        fail("the length of pair (i, i + d/2) changed: each pair must be rotated, not scaled or mixed with another pair")


def test_relative_positions(solution):
    """q . k after RoPE depends only on the offset m - n"""
    rng = np.random.default_rng(1)
    q, k = rng.normal(size=32), rng.normal(size=32)
    pairs = [(5, 2), (105, 102), (1005, 1002)]
    qs = expect_array(solution.apply_rope(np.tile(q, (3, 1)), np.array([m for m, _ in pairs])), "apply_rope", shape=(3, 32), kinds="f")
    ks = expect_array(solution.apply_rope(np.tile(k, (3, 1)), np.array([n for _, n in pairs])), "apply_rope", shape=(3, 32), kinds="f")
    dots = (qs * ks).sum(axis=1)
    if not np.allclose(dots, dots[0], rtol=1e-7, atol=1e-9):
        fail(f"q . k after RoPE at positions (5, 2), (105, 102), (1005, 1002) gave {np.round(dots, 5).tolist()}: "
             "it must depend only on the offset m - n")


def test_rope_attention(solution, tolerance):
    """rope_attention is causal attention over rotated queries and keys"""
    rng = np.random.default_rng(2)
    q, k, v = (rng.normal(size=(2, 5, 8)) for _ in range(3))
    pos = np.arange(3, 8)
    rq, rk = rotate(q, pos), rotate(k, pos)
    assert_close_or_named(solution.rope_attention(q, k, v, pos), causal_attention(rq, rk, v), "rope_attention", {
        "the values were rotated too: RoPE applies to queries and keys only": causal_attention(rq, rk, rotate(v, pos)),
        "RoPE was not applied to the queries and keys": causal_attention(q, k, v),
        "the causal mask is missing: query t may only see keys 0..t": causal_attention(rq, rk, v, causal=False),
    }, **tolerance)


def test_rope_attention_positions_and_base(solution, tolerance):
    """rope_attention uses the given positions (unevenly spaced) and base"""
    rng = np.random.default_rng(3)
    q, k, v = (rng.normal(size=(3, 5, 8)) for _ in range(3))
    pos = np.array([0, 2, 3, 9, 40])  # not a shift of 0..T-1, so ignoring them changes the offsets
    t = np.arange(5)
    expected = causal_attention(rotate(q, pos, 500.0), rotate(k, pos, 500.0), v)
    assert_close_or_named(solution.rope_attention(q, k, v, pos, base=500.0), expected,
                          "rope_attention on positions [0, 2, 3, 9, 40] with base 500", {
        "rope_attention ignored the positions argument (it used 0..T-1)":
            causal_attention(rotate(q, t, 500.0), rotate(k, t, 500.0), v),
        "rope_attention ignored the base argument (it used 10000)":
            causal_attention(rotate(q, pos), rotate(k, pos), v),
    }, **tolerance)
