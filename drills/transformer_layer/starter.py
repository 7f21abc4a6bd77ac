# mlprep drill: transformer_layer
"""A pre-LN transformer decoder block, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade transformer_layer.py`."""

from __future__ import annotations

import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    """x + attn(ln_1(x)), then x + mlp(ln_2(x)); causal multi-head self-attention.

    Submodules: ln_1, attn.qkv (d, 3d), attn.proj (d, d), ln_2, mlp.fc (d, d_ff), mlp.proj (d_ff, d).
    """

    def __init__(self, d_model: int, n_head: int, d_ff: int):
        super().__init__()
        raise NotImplementedError("DecoderBlock.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, d_model) -> (B, T, d_model)."""
        raise NotImplementedError("DecoderBlock.forward")


# The grader drives DecoderBlock through this function: leave it as it is.
def forward_and_grads(state: dict[str, torch.Tensor], x: torch.Tensor, n_head: int,
                      grad_out: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor | None]]:
    block = DecoderBlock(x.shape[-1], n_head, state["mlp.fc.weight"].shape[0])
    block.load_state_dict(state)
    y = block(x)
    (y * grad_out).sum().backward()
    return y.detach(), {name: p.grad for name, p in block.named_parameters()}
