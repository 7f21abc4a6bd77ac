# mlprep drill: rmsnorm_swiglu
"""RMSNorm, the SwiGLU MLP, and the pre-norm residual block of a Llama-style decoder.
Run the public examples with `pytest` and grade with `mlprep grade rmsnorm_swiglu.py`."""

from __future__ import annotations

import torch


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """x / sqrt(mean(x**2 over the last axis) + eps) * weight, statistic in float32, x's dtype out."""
    raise NotImplementedError("rms_norm")


def swiglu(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    """(silu(x @ w_gate) * (x @ w_up)) @ w_down; x (..., C), w_gate and w_up (C, H), w_down (H, C)."""
    raise NotImplementedError("swiglu")


def ffn_block(x: torch.Tensor, norm_weight: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor,
              w_down: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """x + swiglu(rms_norm(x, norm_weight, eps), w_gate, w_up, w_down)."""
    raise NotImplementedError("ffn_block")
