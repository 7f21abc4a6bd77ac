# mlprep drill: linear_weights
"""Reference solution: read a linear layer's parameters through two calls."""

from __future__ import annotations

import torch


def recover_linear(layer, in_features: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (weight, bias): layer(0) is the bias, layer(I) - bias is W.T."""
    with torch.no_grad():
        bias = layer(torch.zeros(1, in_features))[0]  # (out,)
        weight = (layer(torch.eye(in_features)) - bias).T.contiguous()  # (out, in)
    return weight, bias
