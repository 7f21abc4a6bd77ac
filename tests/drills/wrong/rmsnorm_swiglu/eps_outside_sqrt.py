# mlprep drill: rmsnorm_swiglu
# expect: eps belongs inside the square root
# Mistake: adds eps to the root mean square instead of to the mean of squares
"""Reference solution: RMSNorm (float32 statistic), the SwiGLU MLP and the pre-norm residual block."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """x / sqrt(mean(x**2 over the last axis) + eps) * weight, statistic in float32, x's dtype out."""
    h = x.to(torch.float32)
    h = h / (h.pow(2).mean(dim=-1, keepdim=True).sqrt() + eps)  # eps inside the root
    return weight * h.to(x.dtype)


def swiglu(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    """(silu(x @ w_gate) * (x @ w_up)) @ w_down; x (..., C), w_gate and w_up (C, H), w_down (H, C)."""
    return (F.silu(x @ w_gate) * (x @ w_up)) @ w_down


def ffn_block(x: torch.Tensor, norm_weight: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor,
              w_down: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """x + swiglu(rms_norm(x, norm_weight, eps), w_gate, w_up, w_down): the residual adds the raw input."""
    return x + swiglu(rms_norm(x, norm_weight, eps), w_gate, w_up, w_down)
