# mlprep drill: sliding_window_attention
"""Causal attention over a sliding window of the last `window` positions, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade sliding_window_attention.py`."""

from __future__ import annotations

import torch


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    """q, k, v (B, H, T, D) -> (B, H, T, D).

    Query i attends to keys j with i - window < j <= i; scores / sqrt(D); raises ValueError if window < 1.
    """
    raise NotImplementedError("sliding_window_attention")
