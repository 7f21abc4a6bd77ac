# mlprep drill: multihead_attention
# expect: averaged over the heads
# Mistake: returns the attention weights summed over heads
from __future__ import annotations

import math

import torch


def multihead_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                        state: dict[str, torch.Tensor], num_heads: int,
                        attn_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """query (B, Tq, E), key and value (B, Tk, E) -> output (B, Tq, E), weights (B, Tq, Tk).

    ``state`` is ``nn.MultiheadAttention(E, num_heads, batch_first=True).state_dict()``;
    ``attn_mask`` (Tq, Tk) bool marks the pairs that may NOT attend (True = blocked).
    The weights returned are averaged over the heads, as nn.MultiheadAttention does.
    """
    B, Tq, E = query.shape
    Tk = key.shape[1]
    hs = E // num_heads  # head size
    w_q, w_k, w_v = state["in_proj_weight"].chunk(3)  # each (E, E), rows in q, k, v order
    b_q, b_k, b_v = state["in_proj_bias"].chunk(3)
    q = (query @ w_q.T + b_q).view(B, Tq, num_heads, hs).transpose(1, 2)  # (B, nh, Tq, hs)
    k = (key @ w_k.T + b_k).view(B, Tk, num_heads, hs).transpose(1, 2)  # (B, nh, Tk, hs)
    v = (value @ w_v.T + b_v).view(B, Tk, num_heads, hs).transpose(1, 2)  # (B, nh, Tk, hs)
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, Tq, Tk): scale by the HEAD size
    if attn_mask is not None:
        scores = scores.masked_fill(attn_mask, float("-inf"))
    weights = scores.softmax(dim=-1)
    y = (weights @ v).transpose(1, 2).reshape(B, Tq, E)  # heads side by side again
    out = y @ state["out_proj.weight"].T + state["out_proj.bias"]
    return out, weights.sum(dim=1)
