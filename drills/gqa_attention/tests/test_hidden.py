"""Hidden tests for gqa_attention: F.scaled_dot_product_attention(enable_gqa=True) is the oracle,
plain multi-head attention with repeated KV heads a second one; classic mistakes are named."""

import io
import math
import tokenize
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import DrillFailure, assert_close, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised

BANNED = ("scaled_dot_product_attention", "MultiheadAttention", "multi_head_attention_forward")


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
        pass  # the names read so far still count
    return names


def make(B, T, C, H, KV, D, seed):
    g = torch.Generator().manual_seed(seed)
    s = 1 / math.sqrt(C)
    return (torch.randn(B, T, C, generator=g), torch.randn(C, H * D, generator=g) * s,
            torch.randn(C, KV * D, generator=g) * s, torch.randn(C, KV * D, generator=g) * s,
            torch.randn(H * D, C, generator=g) / math.sqrt(H * D))


def heads(t, n, D, split="blocks"):
    B, T, _ = t.shape
    if split == "blocks":
        return t.view(B, T, n, D).transpose(1, 2)
    return t.view(B, T, D, n).permute(0, 3, 1, 2)  # the mistake: channel c goes to head c % n


def oracle(x, w_q, w_k, w_v, w_o, H, KV, causal=True):
    D = w_q.shape[1] // H
    q, k, v = heads(x @ w_q, H, D), heads(x @ w_k, KV, D), heads(x @ w_v, KV, D)
    y = F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
    return y.transpose(1, 2).reshape(x.shape[0], x.shape[1], H * D) @ w_o


def variant(x, w_q, w_k, w_v, w_o, H, KV, causal=True, kv="interleave", scale="head", split="blocks",
            mask="before"):
    """What a classic mistake computes."""
    B, T, C = x.shape
    D = w_q.shape[1] // H
    q, k, v = heads(x @ w_q, H, D, split), heads(x @ w_k, KV, D, split), heads(x @ w_v, KV, D, split)
    g = H // KV
    if kv == "interleave":
        k, v = k.repeat_interleave(g, 1), v.repeat_interleave(g, 1)
    else:  # tiled: query head h meets KV head h % KV
        k, v = k.repeat(1, g, 1, 1), v.repeat(1, g, 1, 1)
    s = q @ k.transpose(-2, -1) / math.sqrt({"head": D, "model": C, "none": 1}[scale])
    future = torch.ones(T, T, dtype=torch.bool).triu(1 if mask != "diagonal" else 0)
    if causal and mask in ("before", "diagonal"):
        s = s.masked_fill(future, float("-inf"))
    w = s.softmax(-1)
    if causal and mask == "after":
        w = w.masked_fill(future, 0.0)
    y = w @ v
    y = y.transpose(1, 2).reshape(B, T, H * D) if split == "blocks" else y.permute(0, 2, 3, 1).reshape(B, T, H * D)
    return y @ w_o


MISTAKES = {
    "query head h must use KV head h // (n_heads // n_kv_heads) (repeat_interleave on the head axis); "
    "tiling the KV heads with .repeat gives head h the KV head h % n_kv_heads": {"kv": "tile"},
    "scores were divided by sqrt(C) (the model width); divide by sqrt(head_dim)": {"scale": "model"},
    "scores were not scaled: divide them by sqrt(head_dim)": {"scale": "none"},
    "heads were split wrongly: head h owns the contiguous channels h*head_dim .. (h+1)*head_dim - 1": {"split": "strided"},
    "the causal mask is missing: token t saw tokens after it": {"causal": False},
    "the causal mask hides the diagonal too (off by one): token t must attend to itself": {"mask": "diagonal"},
    "the causal mask was applied after the softmax: mask the scores with -inf before it": {"mask": "after"},
}


def check(solution, args, H, KV, what, tolerance, causal=True):
    x, w_q, w_k, w_v, w_o = args
    try:
        got = solution.gqa_attention(x, w_q, w_k, w_v, w_o, H, KV, causal=causal)
    except SolutionRaised as exc:
        if w_q.shape[1] != x.shape[2] and ("shape" in str(exc) or "size" in str(exc)):
            fail(f"{what}: {exc}: note head_dim = w_q.shape[1] // n_heads = {w_q.shape[1] // H}, which here is not "
                 f"C // n_heads = {x.shape[2] // H}")
        raise
    want = oracle(x, w_q, w_k, w_v, w_o, H, KV, causal)
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:  # wrong: work out which classic mistake gives this answer
        named = {}
        for message, knobs in MISTAKES.items():
            if causal or not {"mask", "causal"} & set(knobs):  # mask mistakes only matter when causal
                named[message] = variant(x, w_q, w_k, w_v, w_o, H, KV, **{"causal": causal, **knobs})
        assert_close_or_named(got, want, what, named, **tolerance)


@pytest.mark.parametrize("H,KV", [(8, 2), (6, 3), (8, 4)], ids=["8 heads, 2 KV heads", "6 heads, 3 KV heads",
                                                               "8 heads, 4 KV heads"])
def test_grouped_query(solution, tolerance, H, KV):
    """grouped-query attention equals the oracle"""
    check(solution, make(2, 7, 32, H, KV, 4, seed=H + KV), H, KV, f"GQA with {H} heads and {KV} KV heads", tolerance)


def test_multi_query(solution, tolerance):
    """multi-query attention (one KV head)"""
    check(solution, make(3, 6, 16, 4, 1, 4, seed=1), 4, 1, "MQA: 4 heads, 1 KV head", tolerance)


def test_multi_head(solution, tolerance):
    """n_kv_heads == n_heads is plain multi-head attention"""
    check(solution, make(2, 5, 16, 4, 4, 4, seed=2), 4, 4, "4 heads, 4 KV heads", tolerance)


def test_head_dim_from_weights(solution, tolerance):
    """head_dim comes from w_q, not from C"""
    check(solution, make(2, 6, 24, 4, 2, 10, seed=3), 4, 2, "C = 24, 4 heads of head_dim 10, 2 KV heads", tolerance)


def test_equals_mha_with_repeated_kv(solution, tolerance):
    """GQA equals multi-head attention with every KV head repeated for its group"""
    H, KV, D, C = 8, 2, 4, 32
    x, w_q, w_k, w_v, w_o = make(2, 6, C, H, KV, D, seed=4)
    rep = lambda w: w.view(C, KV, 1, D).expand(C, KV, H // KV, D).reshape(C, H * D)  # noqa: E731
    mha = oracle(x, w_q, rep(w_k), rep(w_v), w_o, H, H)
    got = solution.gqa_attention(x, w_q, w_k, w_v, w_o, H, KV)
    tiled = variant(x, w_q, w_k, w_v, w_o, H, KV, kv="tile")
    assert_close_or_named(got, mha, "GQA against multi-head attention with each KV head repeated for its group",
                          {next(iter(MISTAKES)): tiled}, **tolerance)


def test_not_causal(solution, tolerance):
    """causal=False lets every token see every token"""
    check(solution, make(2, 5, 16, 4, 2, 4, seed=5), 4, 2, "causal=False", tolerance, causal=False)


def test_future_does_not_leak(solution):
    """causal: changing later tokens leaves earlier outputs unchanged"""
    x, w_q, w_k, w_v, w_o = make(2, 8, 16, 4, 2, 4, seed=6)
    x2 = x.clone()
    x2[:, 4:] = torch.randn(2, 4, 16) * 3
    a = solution.gqa_attention(x, w_q, w_k, w_v, w_o, 4, 2)
    b = solution.gqa_attention(x2, w_q, w_k, w_v, w_o, 4, 2)
    if type(a) is not torch.Tensor or type(b) is not torch.Tensor or a.shape != x.shape or b.shape != x.shape:
        fail(f"expected float32 tensors of shape {tuple(x.shape)}")
    if torch.isnan(a).any():
        fail("the output has nan: a row of scores was masked entirely; the causal mask must let token t attend to "
             "itself (mask the keys after t, not t itself)")
    changed = (~torch.isclose(a[:, :4], b[:, :4], atol=1e-5).all(-1).all(0)).nonzero().flatten()
    if len(changed):
        fail(f"changing the tokens after t = 3 changed the output at t = {int(changed[0])}: the causal mask is "
             "missing or applied after the softmax")


def test_single_token(solution, tolerance):
    """one token (T = 1) attends only to itself"""
    check(solution, make(4, 1, 16, 4, 1, 4, seed=7), 4, 1, "T = 1", tolerance)


def test_heads_must_divide(solution):
    """n_kv_heads that does not divide n_heads raises ValueError"""
    x, w_q, w_k, w_v, w_o = make(1, 3, 24, 6, 4, 4, seed=8)
    try:
        got = solution.gqa_attention(x, w_q, w_k, w_v, w_o, 6, 4)
    except SolutionRaised as exc:
        if "ValueError" not in str(exc).split(":")[0]:
            fail(f"6 heads with 4 KV heads: expected a ValueError, got {str(exc)[:120]}")
        return
    fail(f"6 heads with 4 KV heads (4 does not divide 6): expected a ValueError, but it returned {type(got).__name__}")


def test_no_builtin_attention(solution, tolerance):
    """works without F.scaled_dot_product_attention or nn.MultiheadAttention"""
    check(solution, make(1, 4, 16, 4, 2, 4, seed=9), 4, 2, "4 heads, 2 KV heads", tolerance)
    used = sorted(n for n in code_names(solution) if any(b in n for b in BANNED))
    if used:
        fail(f"your file uses {', '.join(used)}: write the attention yourself (scores, mask, softmax, weighted sum)")
