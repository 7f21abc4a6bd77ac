"""Public examples for lora_linear: run `pytest` next to your lora_linear.py."""

import torch
from lora_linear import probe


def test_starts_as_the_base_layer_and_trains_only_a_b():
    """at initialisation the output equals the base layer's, and only A and B are trainable"""
    torch.manual_seed(0)
    weight, bias, x = torch.randn(8, 12), torch.randn(8), torch.randn(3, 12)
    report = probe(weight, bias, 4, 16.0, x, torch.randn(8, 4), torch.ones(3, 8))
    torch.testing.assert_close(report["y_init"], x @ weight.T + bias)
    assert sorted(report["trainable"]) == ["A", "B"]
