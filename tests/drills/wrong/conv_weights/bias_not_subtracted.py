# mlprep drill: conv_weights
# expect: subtract the bias
# Mistake: keeps the bias inside every probe's response
from __future__ import annotations

import torch


def extract_conv_weights(layer, in_channels: int, kernel_size: tuple[int, int],
                         padding: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """weight (out_channels, in_channels, kh, kw) and bias (out_channels,) of ``layer``.

    ``layer`` maps a float32 batch (N, in_channels, H, W) to (N, out_channels, H', W') with
    stride 1 and the given zero ``padding``; only its outputs may be used.
    """
    kh, kw = kernel_size
    n = in_channels * kh * kw
    probes = torch.eye(n).reshape(n, in_channels, kh, kw)  # probe p has its 1 at flat index p
    zero = torch.zeros(1, in_channels, kh, kw)
    out = layer(torch.cat([probes, zero]))  # (n + 1, out_channels, H', W')
    # with padding p, output position (p, p) is the window whose top-left is input (0, 0)
    window = out[:, :, padding, padding]  # (n + 1, out_channels)
    bias = window[-1]
    weight = window[:-1].T.reshape(-1, in_channels, kh, kw)  # probe order is (c, i, j)
    return weight, bias
