# mlprep drill: gqa_attention
"""Reference solution: grouped-query causal self-attention, without copying K and V."""

from __future__ import annotations

import math

import torch


def gqa_attention(x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor,
                  w_o: torch.Tensor, n_heads: int, n_kv_heads: int, causal: bool = True) -> torch.Tensor:
    """x (B, T, C) -> (B, T, C); query head h uses KV head h // (n_heads // n_kv_heads)."""
    if n_kv_heads < 1 or n_heads % n_kv_heads:
        raise ValueError(f"n_kv_heads={n_kv_heads} must divide n_heads={n_heads}")
    B, T, _ = x.shape
    D = w_q.shape[1] // n_heads
    group = n_heads // n_kv_heads
    # (B, n_kv, group, T, D): the group's query heads are consecutive, so a view groups them
    q = (x @ w_q).view(B, T, n_kv_heads, group, D).permute(0, 2, 3, 1, 4)
    k = (x @ w_k).view(B, T, n_kv_heads, 1, D).permute(0, 2, 3, 1, 4)  # broadcast over the group
    v = (x @ w_v).view(B, T, n_kv_heads, 1, D).permute(0, 2, 3, 1, 4)
    scores = q @ k.transpose(-2, -1) / math.sqrt(D)  # (B, n_kv, group, T, T)
    if causal:
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    y = scores.softmax(dim=-1) @ v  # (B, n_kv, group, T, D)
    y = y.permute(0, 3, 1, 2, 4).reshape(B, T, n_heads * D)  # head h = kv * group + g
    return y @ w_o
