# mlprep drill: multihead_attention
"""Multi-head attention from nn.MultiheadAttention's own weights, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade multihead_attention.py`."""

from __future__ import annotations

import torch


def multihead_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                        state: dict[str, torch.Tensor], num_heads: int,
                        attn_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """query (B, Tq, E), key/value (B, Tk, E) -> output (B, Tq, E), head-averaged weights (B, Tq, Tk).

    state: in_proj_weight (3E, E), in_proj_bias (3E,), out_proj.weight (E, E), out_proj.bias (E,).
    attn_mask: bool (Tq, Tk), True = may NOT attend.
    """
    raise NotImplementedError("multihead_attention")
