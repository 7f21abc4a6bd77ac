"""Public examples for rmsnorm_swiglu: run `pytest` next to your rmsnorm_swiglu.py."""

import torch
from rmsnorm_swiglu import ffn_block, rms_norm, swiglu


def test_rms_of_three_four():
    """(3, -4) has rms sqrt(12.5); zeros stay zeros"""
    x = torch.tensor([[3.0, -4.0], [0.0, 0.0]])
    out = rms_norm(x, torch.ones(2), eps=0.0)
    assert torch.allclose(out[0], torch.tensor([3.0, -4.0]) / 12.5 ** 0.5), out[0]
    assert torch.equal(rms_norm(x, torch.ones(2))[1], torch.zeros(2))


def test_weight_scales_each_channel():
    """the weight multiplies each channel after normalising"""
    x = torch.tensor([1.0, 1.0, 1.0, 1.0])
    assert torch.allclose(rms_norm(x, torch.tensor([1.0, 2.0, 3.0, 4.0]), eps=0.0), torch.tensor([1.0, 2.0, 3.0, 4.0]))


def test_swiglu_and_block_shapes():
    """SwiGLU and the block keep the shape (..., C)"""
    C, H = 8, 16
    w_gate, w_up, w_down = torch.randn(C, H), torch.randn(C, H), torch.randn(H, C)
    x = torch.randn(2, 5, C)
    assert swiglu(x, w_gate, w_up, w_down).shape == (2, 5, C)
    assert ffn_block(x, torch.ones(C), w_gate, w_up, w_down).shape == (2, 5, C)
