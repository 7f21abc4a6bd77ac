"""Public examples for sliding_window_attention: run `pytest` next to your sliding_window_attention.py."""

import torch
from sliding_window_attention import sliding_window_attention


def test_window_one_is_identity():
    """window = 1: each token attends only to itself"""
    q, k, v = torch.randn(3, 2, 2, 6, 4).unbind(0)
    assert torch.allclose(sliding_window_attention(q, k, v, window=1), v, atol=1e-6)


def test_tokens_outside_the_window_do_not_matter():
    """with window = 2, token 5 ignores tokens 0..3"""
    q, k, v = torch.randn(3, 1, 1, 6, 4).unbind(0)
    k2, v2 = k.clone(), v.clone()
    k2[..., :4, :], v2[..., :4, :] = 0.0, 0.0
    a = sliding_window_attention(q, k, v, window=2)[..., 5, :]
    b = sliding_window_attention(q, k2, v2, window=2)[..., 5, :]
    assert torch.allclose(a, b, atol=1e-6)


def test_first_token():
    """token 0 only has itself to look at, whatever the window"""
    q, k, v = torch.randn(3, 1, 2, 5, 4).unbind(0)
    assert torch.allclose(sliding_window_attention(q, k, v, window=3)[..., 0, :], v[..., 0, :], atol=1e-6)
