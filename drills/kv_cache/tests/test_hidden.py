"""Hidden tests for kv_cache: every step must equal a full recompute by F.scaled_dot_product_attention."""

import math

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised

B, T, C, H = 2, 7, 16, 4
HS = C // H


@pytest.fixture(scope="module")
def problem():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(B, T, C, generator=g)
    return x, torch.randn(C, 3 * C, generator=g) / 4, torch.randn(C, C, generator=g) / 4


def heads(t):
    return t.view(t.shape[0], -1, H, HS).transpose(1, 2)


def full(x, w_qkv, w_out):
    """The oracle: causal attention over the whole sequence, no cache; also its keys and values."""
    q, k, v = (heads(t) for t in (x @ w_qkv).split(C, dim=-1))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return y.transpose(1, 2).reshape(x.shape[0], -1, C) @ w_out, k, v


def unaligned(x, w_qkv, w_out, past, new):
    """A mistake: the causal mask aligned to the first key, as if there were no cache (or no mask)."""
    q, k, v = (heads(t) for t in (x[:, : past + new] @ w_qkv).split(C, dim=-1))
    q = q[:, :, past:]
    s = q @ k.transpose(-2, -1) / math.sqrt(HS)
    if new > 1 or past:
        s = s.masked_fill(~torch.ones(new, past + new, dtype=torch.bool).tril(), float("-inf"))
    return (s.softmax(-1) @ v).transpose(1, 2).reshape(x.shape[0], new, C) @ w_out


def call(solution, x, w_qkv, w_out, cache, what):
    try:
        got = solution.attend_with_cache(x, w_qkv, w_out, H, cache)
    except SolutionRaised as exc:
        if cache is None:
            raise
        fail(f"{what}: {exc} (this call appended to a cache of keys {tuple(cache[0].shape)} = (B, n_head, T_cached, "
             "head_size): new keys and values must be concatenated along the time axis, dim 2)")
    if type(got) not in (tuple, list) or len(got) != 2 or type(got[1]) not in (tuple, list) or len(got[1]) != 2:
        fail(f"{what}: expected (y, (keys, values)), got {describe(got)}")
    y, (k, v) = got
    past = 0 if cache is None else cache[0].shape[2]
    want = (x.shape[0], H, past + x.shape[1], HS)
    for name, t in (("keys", k), ("values", v)):
        if type(t) is not torch.Tensor or tuple(t.shape) != want:
            fail(f"{what}: the returned cache {name} should hold all tokens so far, shape (B, n_head, T_cached + T_new, "
                 f"head_size) = {want}; got {describe(t)}")
    return y, (k, v)


def test_prompt_at_once(solution, problem, tolerance):
    """a whole prompt without a cache equals causal attention"""
    x, w_qkv, w_out = problem
    y, (k, v) = call(solution, x, w_qkv, w_out, None, "a 7-token prompt")
    ref, rk, rv = full(x, w_qkv, w_out)
    q_, k_, v_ = (heads(t) for t in (x @ w_qkv).split(C, dim=-1))
    no_mask = F.scaled_dot_product_attention(q_, k_, v_).transpose(1, 2).reshape(B, T, C) @ w_out
    s = q_ @ k_.transpose(-2, -1) / math.sqrt(C)
    s = s.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
    by_width = (s.softmax(-1) @ v_).transpose(1, 2).reshape(B, T, C) @ w_out
    assert_close_or_named(y, ref, "a 7-token prompt", {
        "the causal mask is missing: token t saw tokens after it": no_mask,
        "scores were divided by sqrt(C), the model width, instead of sqrt(head_size)": by_width}, **tolerance)
    assert_close(k, rk, "the cached keys after the prompt", **tolerance)
    assert_close(v, rv, "the cached values after the prompt", **tolerance)


def test_one_token_at_a_time(solution, problem, tolerance):
    """one token at a time equals a full recompute at every step"""
    x, w_qkv, w_out = problem
    ref = full(x, w_qkv, w_out)[0]
    cache = None
    for t in range(T):
        y, cache = call(solution, x[:, t : t + 1], w_qkv, w_out, cache, f"step {t}")
        assert_close_or_named(y, ref[:, t : t + 1], f"step {t} (one new token after {t} cached)", {
            "the new token must see every cached token and itself: offset the causal mask by the cache length":
                unaligned(x, w_qkv, w_out, t, 1)}, **tolerance)


def test_prompt_then_chunks(solution, problem, tolerance):
    """a prompt of 3, then a chunk of 3, then 1 token equal a full recompute"""
    x, w_qkv, w_out = problem
    ref = full(x, w_qkv, w_out)[0]
    cache, start = None, 0
    for size in (3, 3, 1):
        y, cache = call(solution, x[:, start : start + size], w_qkv, w_out, cache, f"tokens {start}..{start + size - 1}")
        assert_close_or_named(y, ref[:, start : start + size], f"tokens {start}..{start + size - 1} after {start} cached", {
            "new token t sits at position T_cached + t: offset the causal mask by the cache length":
                unaligned(x, w_qkv, w_out, start, size),
        }, **tolerance)
        start += size


def test_cache_grows(solution, problem, tolerance):
    """the returned cache holds all tokens so far"""
    x, w_qkv, w_out = problem
    _, cache = call(solution, x[:, :4], w_qkv, w_out, None, "a 4-token prompt")
    _, (k, v) = call(solution, x[:, 4:6], w_qkv, w_out, cache, "2 more tokens")
    _, rk, rv = full(x[:, :6], w_qkv, w_out)
    assert_close(k, rk, "the cached keys after 4 + 2 tokens", **tolerance)
    assert_close(v, rv, "the cached values after 4 + 2 tokens", **tolerance)


def test_one_cache_two_continuations(solution, problem, tolerance):
    """the cache passed in is the one used: one prefix, two different continuations"""
    x, w_qkv, w_out = problem
    other = x.flip(1)  # a different next token after the same 4-token prefix
    _, cache = call(solution, x[:, :4], w_qkv, w_out, None, "a 4-token prompt")
    y_a, _ = call(solution, x[:, 4:5], w_qkv, w_out, cache, "token 4 after the prompt")
    ref_a = full(x[:, :5], w_qkv, w_out)[0][:, 4:]
    ref_b = full(torch.cat([x[:, :4], other[:, :1]], 1), w_qkv, w_out)[0][:, 4:]
    assert_close(y_a, ref_a, "token 4 after the prompt", **tolerance)
    try:
        y_b, _ = call(solution, other[:, :1], w_qkv, w_out, cache, "another token 4 after the same prompt")
        assert_close(y_b, ref_b, "a second continuation of the same 4-token cache", **tolerance)
    except AssertionError as exc:
        fail(f"{exc}: the cache passed in must be used (the same cache was passed for two different next tokens); "
             "keep no state between calls")
