# mlprep drill: sliding_window_attention
# expect: applied after the softmax
# Mistake: zeroes the weights outside the window after the softmax, so rows no longer sum to 1
"""Reference solution: causal attention restricted to a band of the last `window` positions."""

from __future__ import annotations

import math

import torch


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    """q, k, v (B, H, T, D) -> (B, H, T, D); query i attends to keys j with i - window < j <= i."""
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    T, D = q.shape[-2], q.shape[-1]
    pos = torch.arange(T, device=q.device)
    back = pos[:, None] - pos[None, :]  # how far key j lies behind query i
    allowed = (back >= 0) & (back < window)  # causal, and within the last `window` positions
    scores = q @ k.transpose(-2, -1) / math.sqrt(D)
    return scores.softmax(dim=-1).masked_fill(~allowed, 0.0) @ v
