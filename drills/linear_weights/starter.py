# mlprep drill: linear_weights
"""Recover nn.Linear's weight and bias by calling it. Run the public examples with
`pytest test_linear_weights_examples.py` and grade with `mlprep grade linear_weights.py`."""

from __future__ import annotations

import torch


def recover_linear(layer, in_features: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (weight, bias) of a linear layer you may only call.

    layer: callable like nn.Linear(in_features, out_features); layer(x) with x float32 (N, in_features).
    Returns weight (out_features, in_features) and bias (out_features,), both float32.
    """
    raise NotImplementedError("recover_linear")
