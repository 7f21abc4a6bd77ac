"""Public examples for gqa_attention: run `pytest` next to your gqa_attention.py."""

import torch
from gqa_attention import gqa_attention

B, T, C, H, KV, D = 2, 5, 32, 8, 2, 4


def weights(seed):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(C, H * D, generator=g) / 6, torch.randn(C, KV * D, generator=g) / 6,
            torch.randn(C, KV * D, generator=g) / 6, torch.randn(H * D, C, generator=g) / 6)


def repeat_heads(w):
    return w.view(C, KV, 1, D).expand(C, KV, H // KV, D).reshape(C, H * D)


def test_shape():
    """(2, 5, 32) in, (2, 5, 32) out"""
    w_q, w_k, w_v, w_o = weights(0)
    assert gqa_attention(torch.randn(B, T, C), w_q, w_k, w_v, w_o, H, KV).shape == (B, T, C)


def test_equals_mha_with_repeated_kv_heads():
    """GQA equals multi-head attention with each KV head repeated for its group"""
    w_q, w_k, w_v, w_o = weights(1)
    x = torch.randn(B, T, C)
    gqa = gqa_attention(x, w_q, w_k, w_v, w_o, H, KV)
    mha = gqa_attention(x, w_q, repeat_heads(w_k), repeat_heads(w_v), w_o, H, H)
    assert torch.allclose(gqa, mha, rtol=1e-4, atol=1e-5), f"largest difference {(gqa - mha).abs().max():.3g}"


def test_first_token_sees_itself():
    """causal: the first token's output does not depend on later tokens"""
    w_q, w_k, w_v, w_o = weights(2)
    x = torch.randn(1, T, C)
    x2 = x.clone()
    x2[:, 1:] = torch.randn(1, T - 1, C)
    a, b = gqa_attention(x, w_q, w_k, w_v, w_o, H, KV), gqa_attention(x2, w_q, w_k, w_v, w_o, H, KV)
    assert torch.allclose(a[:, 0], b[:, 0], rtol=1e-4, atol=1e-5), "token 0's output changed"
