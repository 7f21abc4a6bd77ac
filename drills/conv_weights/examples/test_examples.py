"""Public examples for conv_weights: run `pytest` next to your conv_weights.py."""

import torch
from conv_weights import extract_conv_weights


def test_three_by_three():
    """a 3 -> 4 channel 3x3 convolution"""
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 4, kernel_size=3)
    layer = lambda x: conv(x).detach()  # noqa: E731 - the black box: outputs only
    weight, bias = extract_conv_weights(layer, 3, (3, 3))
    torch.testing.assert_close(weight, conv.weight.detach())
    torch.testing.assert_close(bias, conv.bias.detach())


def test_with_padding():
    """a 1 -> 2 channel 3x3 convolution with padding 1"""
    torch.manual_seed(1)
    conv = torch.nn.Conv2d(1, 2, kernel_size=3, padding=1)
    weight, _ = extract_conv_weights(lambda x: conv(x).detach(), 1, (3, 3), padding=1)
    torch.testing.assert_close(weight, conv.weight.detach())
