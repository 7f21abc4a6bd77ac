"""Hidden tests for multihead_attention: nn.MultiheadAttention is the oracle; known mistakes are named."""

import math

import pytest
import torch

from mlprep.drills.compare import fail
from mlprep.drills.mistakes import assert_close_or_named


def make(e, h, seed):
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(e, h, batch_first=True)
    with torch.no_grad():
        mha.in_proj_bias.uniform_(-0.5, 0.5)
        mha.out_proj.bias.uniform_(-0.5, 0.5)
    return mha


def variant(q_in, k_in, v_in, state, h, mask=None, scale_by="head", split="blocks", reduce="mean", invert=False):
    """What a classic mistake computes (scale, head split, weight averaging, mask convention)."""
    B, Tq, E = q_in.shape
    hs = E // h
    wq, wk, wv = state["in_proj_weight"].chunk(3)
    bq, bk, bv = state["in_proj_bias"].chunk(3)

    def heads(x, w, b):
        y = x @ w.T + b
        if split == "blocks":
            return y.view(B, -1, h, hs).transpose(1, 2)
        return y.view(B, -1, hs, h).permute(0, 3, 1, 2)

    q, k, v = heads(q_in, wq, bq), heads(k_in, wk, bk), heads(v_in, wv, bv)
    s = q @ k.transpose(-2, -1) / math.sqrt(hs if scale_by == "head" else E)
    if mask is not None:
        s = s.masked_fill(~mask if invert else mask, float("-inf"))
    w = s.softmax(-1)
    y = w @ v
    y = y.transpose(1, 2).reshape(B, Tq, E) if split == "blocks" else y.permute(0, 2, 3, 1).reshape(B, Tq, E)
    out = y @ state["out_proj.weight"].T + state["out_proj.bias"]
    return out, (w.mean(1) if reduce == "mean" else w.sum(1))


MISTAKES = {
    "scores were scaled by 1/sqrt(embed_dim); scale by 1/sqrt(head_dim) with head_dim = E // num_heads": {"scale_by": "model"},
    "heads were split wrongly: head h takes the contiguous channels h*hs .. (h+1)*hs - 1 (view as (B, T, num_heads, hs))": {"split": "strided"},
    "True marks a pair that may NOT attend (PyTorch's convention); your mask is inverted": {"invert": True},
}


def check(solution, mha, q, k, v, tolerance, what, mask=None):
    state = {name: t.detach().clone() for name, t in mha.state_dict().items()}
    got = solution.multihead_attention(q, k, v, state, mha.num_heads, attn_mask=mask)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: expected an (output, weights) pair, got {type(got).__name__}")
    with torch.no_grad():
        ref_out, ref_w = mha(q, k, v, attn_mask=mask)
    alts = {msg: variant(q, k, v, state, mha.num_heads, mask, **kw) for msg, kw in MISTAKES.items()}
    assert_close_or_named(got[0], ref_out, f"{what}: output", {m: a[0] for m, a in alts.items()}, **tolerance)
    summed = variant(q, k, v, state, mha.num_heads, mask, reduce="sum")[1]
    assert_close_or_named(got[1], ref_w, f"{what}: attention weights", {
        "the weights must be averaged over the heads (mean), not summed": summed, **{m: a[1] for m, a in alts.items()}}, **tolerance)


def test_self_attention(solution, tolerance):
    """self-attention, 4 heads"""
    mha = make(32, 4, 0)
    x = torch.randn(2, 6, 32)
    check(solution, mha, x, x, x, tolerance, "self-attention (2, 6, 32), 4 heads")


def test_cross_attention(solution, tolerance):
    """cross-attention: 3 queries over 7 keys, 8 heads"""
    mha = make(32, 8, 1)
    q, kv = torch.randn(3, 3, 32), torch.randn(3, 7, 32)
    check(solution, mha, q, kv, kv * 0.5, tolerance, "cross-attention, 3 queries over 7 keys")


def test_causal_mask(solution, tolerance):
    """a causal bool mask (True = blocked)"""
    mha = make(24, 3, 2)
    x = torch.randn(2, 5, 24)
    mask = torch.ones(5, 5, dtype=torch.bool).triu(1)
    check(solution, mha, x, x, x, tolerance, "causal mask", mask=mask)


@pytest.mark.parametrize("heads", [1, 16], ids=["one head", "head size 1"])
def test_head_counts(solution, tolerance, heads):
    """one head, and as many heads as channels"""
    mha = make(16, heads, 3 + heads)
    x = torch.randn(1, 4, 16)
    check(solution, mha, x, x, x, tolerance, f"{heads} heads of width {16 // heads}")
