"""Public examples for kv_cache: run `pytest` next to your kv_cache.py."""

import torch
from kv_cache import attend_with_cache


def test_prompt_then_tokens_equals_all_at_once():
    """a prompt of four, then two single tokens, equals all six at once"""
    torch.manual_seed(0)
    x, w_qkv, w_out = torch.randn(1, 6, 16), torch.randn(16, 48) / 4, torch.randn(16, 16) / 4
    full, _ = attend_with_cache(x, w_qkv, w_out, 2)
    y1, cache = attend_with_cache(x[:, :4], w_qkv, w_out, 2)
    y2, cache = attend_with_cache(x[:, 4:5], w_qkv, w_out, 2, cache)
    y3, cache = attend_with_cache(x[:, 5:], w_qkv, w_out, 2, cache)
    torch.testing.assert_close(torch.cat([y1, y2, y3], 1), full, rtol=1e-4, atol=1e-5)
    assert cache[0].shape == (1, 2, 6, 8)
