"""Public examples for multihead_attention: run `pytest` next to your multihead_attention.py."""

import torch
from multihead_attention import multihead_attention


def test_self_attention_matches_torch():
    """self-attention equals nn.MultiheadAttention with the same weights"""
    torch.manual_seed(0)
    mha = torch.nn.MultiheadAttention(16, 4, batch_first=True)
    x = torch.randn(2, 5, 16)
    out, w = multihead_attention(x, x, x, dict(mha.state_dict()), 4)
    ref_out, ref_w = mha(x, x, x)
    torch.testing.assert_close(out, ref_out.detach(), rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(w, ref_w.detach(), rtol=1e-4, atol=1e-5)
