"""Public examples for linear_weights: run `pytest` next to your linear_weights.py."""

import torch
from linear_weights import recover_linear


def test_small_layer():
    """recovers a 3 -> 2 layer's weight and bias"""
    torch.manual_seed(0)
    layer = torch.nn.Linear(3, 2)
    weight, bias = recover_linear(layer, 3)
    assert weight.shape == (2, 3) and bias.shape == (2,)
    assert torch.allclose(weight, layer.weight.detach(), atol=1e-6)
    assert torch.allclose(bias, layer.bias.detach(), atol=1e-6)


def test_float32():
    """returns float32 tensors"""
    weight, bias = recover_linear(torch.nn.Linear(4, 4), 4)
    assert weight.dtype == torch.float32 and bias.dtype == torch.float32
