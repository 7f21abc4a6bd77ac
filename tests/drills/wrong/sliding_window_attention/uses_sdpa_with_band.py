# mlprep drill: sliding_window_attention
# expect: write the attention yourself
# Mistake: builds the right band mask but lets F.scaled_dot_product_attention do the rest
"""Reference solution: causal attention restricted to a band of the last `window` positions."""

from __future__ import annotations

import torch


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    """q, k, v (B, H, T, D) -> (B, H, T, D); query i attends to keys j with i - window < j <= i."""
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    T = q.shape[-2]
    pos = torch.arange(T, device=q.device)
    back = pos[:, None] - pos[None, :]  # how far key j lies behind query i
    allowed = (back >= 0) & (back < window)  # causal, and within the last `window` positions
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
