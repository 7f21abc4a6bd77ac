"""Hidden tests for sliding_window_attention: F.scaled_dot_product_attention with an explicit band
mask is the oracle; off-by-one windows, a two-sided band and other classic mistakes are named."""

import io
import math
import tokenize
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import DrillFailure, assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised

BANNED = ("scaled_dot_product_attention", "flex_attention", "MultiheadAttention", "multi_head_attention_forward")


def code_names(solution) -> set[str]:
    """The identifiers in the learner's file, read as text by the judge (never run); comments and
    strings are not identifiers, so mentioning a banned name there is fine."""
    path = getattr(solution, "source_file", None)
    if path is None:
        fail("the grader did not give this test your file's path, so the banned-call check cannot run "
             "(a grader bug, not your code)")
    names: set[str] = set()
    try:
        for tok in tokenize.tokenize(io.BytesIO(Path(path).read_bytes()[:1_000_000]).readline):
            if tok.type == tokenize.NAME:
                names.add(tok.string)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        pass
    return names


def band(T, lo, hi):
    """allowed[i, j] where lo <= i - j <= hi."""
    back = torch.arange(T)[:, None] - torch.arange(T)[None, :]
    return (back >= lo) & (back <= hi)


def oracle(q, k, v, window):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=band(q.shape[-2], 0, window - 1))


def manual(q, k, v, allowed, scale=None, after=False):
    s = q @ k.transpose(-2, -1) * (1 / math.sqrt(q.shape[-1]) if scale is None else scale)
    if after:
        return s.softmax(-1).masked_fill(~allowed, 0.0) @ v
    return s.masked_fill(~allowed, float("-inf")).softmax(-1) @ v


def mistakes(q, k, v, window):
    T = q.shape[-2]
    def off_by_one(kept):
        return (f"window = {window} must keep the last {window} key{'s' * (window > 1)}, itself included "
                f"(i - window < j <= i); yours kept {kept} (off by one)")

    named = {
        off_by_one(window + 1): manual(q, k, v, band(T, 0, window)),
        "the band must be causal: query i may not see keys after it (allowed: 0 <= i - j < window)":
            manual(q, k, v, band(T, -(window - 1), window - 1)),
        "the mask was applied after the softmax: mask the scores with -inf before it":
            manual(q, k, v, band(T, 0, window - 1), after=True),
        "scores were not scaled by 1/sqrt(D)": manual(q, k, v, band(T, 0, window - 1), scale=1.0),
        "the window was ignored: this is plain causal attention": manual(q, k, v, band(T, 0, T)),
    }
    if window > 1:
        named[off_by_one(window - 1)] = manual(q, k, v, band(T, 0, window - 2))
    return named


def qkv(B, H, T, D, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(B, H, T, D, generator=g) * s for s in (scale, scale, 1.0))


def check(solution, q, k, v, window, what, tolerance):
    got = solution.sliding_window_attention(q, k, v, window)
    want = oracle(q, k, v, window)
    if type(got) is torch.Tensor and got.shape == want.shape and torch.isnan(got).any():
        fail(f"{what}: the output has nan: some query had every key masked; query i must always see itself")
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:
        assert_close_or_named(got, want, what, mistakes(q, k, v, window), **tolerance)


@pytest.mark.parametrize("window", [2, 3, 5], ids=["window 2", "window 3", "window 5"])
def test_band(solution, tolerance, window):
    """equals attention with a band mask"""
    q, k, v = qkv(2, 3, 11, 8, seed=window)
    check(solution, q, k, v, window, f"T = 11, window = {window}", tolerance)


def test_window_one(solution, tolerance):
    """window = 1 returns the values (each token sees only itself)"""
    q, k, v = qkv(2, 2, 7, 4, seed=10)
    check(solution, q, k, v, 1, "window = 1", tolerance)


@pytest.mark.parametrize("window", [9, 10, 25], ids=["window T - 1", "window T", "window > T"])
def test_wide_windows(solution, tolerance, window):
    """window near or beyond T"""
    q, k, v = qkv(1, 4, 10, 8, seed=20 + window)
    check(solution, q, k, v, window, f"T = 10, window = {window}", tolerance)
    if window >= 10:
        got = solution.sliding_window_attention(q, k, v, window)
        assert_close(got, F.scaled_dot_product_attention(q, k, v, is_causal=True),
                     f"window = {window} >= T must equal plain causal attention", **tolerance)


def test_outside_window_is_ignored(solution):
    """keys older than the window and keys in the future do not change a query's output"""
    q, k, v = qkv(1, 2, 12, 8, seed=30)
    window, i = 4, 7
    k2, v2 = k.clone(), v.clone()
    outside = [j for j in range(12) if not (i - window < j <= i)]
    g = torch.Generator().manual_seed(31)
    k2[..., outside, :] = torch.randn(1, 2, len(outside), 8, generator=g) * 4
    v2[..., outside, :] = torch.randn(1, 2, len(outside), 8, generator=g) * 4
    a = solution.sliding_window_attention(q, k, v, window)
    b = solution.sliding_window_attention(q, k2, v2, window)
    for t in (a, b):
        if type(t) is not torch.Tensor or t.shape != q.shape:
            fail(f"expected a float32 tensor of shape {tuple(q.shape)}, got {describe(t)}")
    if not torch.allclose(a[..., i, :], b[..., i, :], atol=1e-5):
        fail(f"window = {window}: changing the keys and values outside positions {i - window + 1}..{i} changed "
             f"query {i}'s output; it must see only keys j with i - window < j <= i")
    if torch.allclose(a, b, atol=1e-5):
        fail("changing most keys and values changed no output at all: the result must depend on k and v")


def test_large_scores(solution, tolerance):
    """large scores do not overflow the softmax"""
    q, k, v = qkv(1, 2, 9, 16, seed=40, scale=30.0)
    check(solution, q, k, v, 3, "scores in the thousands", tolerance)


def test_bad_window(solution):
    """window = 0 raises ValueError"""
    q, k, v = qkv(1, 1, 4, 4, seed=50)
    try:
        got = solution.sliding_window_attention(q, k, v, 0)
    except SolutionRaised as exc:
        if "ValueError" not in str(exc).split(":")[0]:
            fail(f"window = 0: expected a ValueError, got {str(exc)[:120]}")
        return
    fail(f"window = 0: expected a ValueError, but it returned {describe(got)}")


def test_no_builtin_attention(solution, tolerance):
    """works without F.scaled_dot_product_attention, flex_attention or nn.MultiheadAttention"""
    q, k, v = qkv(1, 2, 6, 4, seed=60)
    check(solution, q, k, v, 2, "T = 6, window = 2", tolerance)
    used = sorted(n for n in code_names(solution) if any(b in n for b in BANNED))
    if used:
        fail(f"your file uses {', '.join(used)}: write the attention yourself (scores, band mask, softmax, weighted sum)")
