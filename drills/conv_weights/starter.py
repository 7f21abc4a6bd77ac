# mlprep drill: conv_weights
"""Recover a Conv2d's weight and bias with one-hot probes, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade conv_weights.py`."""

from __future__ import annotations

import torch


def extract_conv_weights(layer, in_channels: int, kernel_size: tuple[int, int],
                         padding: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """weight (out_channels, in_channels, kh, kw) and bias (out_channels,) of the black-box ``layer``.

    layer: callable, float32 (N, in_channels, H, W) -> (N, out_channels, H', W'), stride 1,
    zero padding ``padding``.
    """
    raise NotImplementedError("extract_conv_weights")
