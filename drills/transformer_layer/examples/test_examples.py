"""Public examples for transformer_layer: run `pytest` next to your transformer_layer.py."""

import torch
from transformer_layer import forward_and_grads


def test_shape_and_causality():
    """the output keeps the shape, and later tokens do not change earlier outputs"""
    torch.manual_seed(0)
    d, d_ff = 16, 64
    state = {"ln_1.weight": torch.ones(d), "ln_1.bias": torch.zeros(d), "ln_2.weight": torch.ones(d),
             "ln_2.bias": torch.zeros(d), "attn.qkv.weight": torch.randn(3 * d, d) / 4, "attn.qkv.bias": torch.zeros(3 * d),
             "attn.proj.weight": torch.randn(d, d) / 4, "attn.proj.bias": torch.zeros(d),
             "mlp.fc.weight": torch.randn(d_ff, d) / 4, "mlp.fc.bias": torch.zeros(d_ff),
             "mlp.proj.weight": torch.randn(d, d_ff) / 8, "mlp.proj.bias": torch.zeros(d)}
    x = torch.randn(1, 5, d)
    y, grads = forward_and_grads(state, x, 2, torch.ones(1, 5, d))
    assert y.shape == (1, 5, d)
    x2 = torch.cat([x[:, :3], torch.randn(1, 2, d)], dim=1)
    y2, _ = forward_and_grads(state, x2, 2, torch.ones(1, 5, d))
    torch.testing.assert_close(y[:, :3], y2[:, :3])
    assert all(g is not None for g in grads.values())
