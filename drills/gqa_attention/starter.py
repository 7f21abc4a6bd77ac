# mlprep drill: gqa_attention
"""Grouped-query (and multi-query) causal self-attention in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade gqa_attention.py`."""

from __future__ import annotations

import torch


def gqa_attention(x: torch.Tensor, w_q: torch.Tensor, w_k: torch.Tensor, w_v: torch.Tensor,
                  w_o: torch.Tensor, n_heads: int, n_kv_heads: int, causal: bool = True) -> torch.Tensor:
    """x (B, T, C) -> (B, T, C).

    q = x @ w_q has n_heads heads of head_dim = w_q.shape[1] // n_heads; k = x @ w_k and
    v = x @ w_v have n_kv_heads heads. Query head h uses KV head h // (n_heads // n_kv_heads).
    Scores / sqrt(head_dim), causal if asked; heads side by side @ w_o.
    Raises ValueError if n_kv_heads does not divide n_heads.
    """
    raise NotImplementedError("gqa_attention")
