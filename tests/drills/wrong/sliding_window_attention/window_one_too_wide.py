# mlprep drill: sliding_window_attention
# expect: off by one
# Mistake: keeps keys with i - window <= j <= i: window + 1 keys
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
    allowed = (back >= 0) & (back <= window)  # causal, and within the last `window` positions
    scores = q @ k.transpose(-2, -1) / math.sqrt(D)
    scores = scores.masked_fill(~allowed, float("-inf"))  # the diagonal is always allowed
    return scores.softmax(dim=-1) @ v
