# mlprep drill: lora_linear
"""A LoRA wrapper around a frozen nn.Linear, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade lora_linear.py`."""

from __future__ import annotations

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    """base(x) + (alpha / r) * x @ A.T @ B.T with base frozen, A (r, in) random, B (out, r) zero."""

    def __init__(self, base: nn.Linear, r: int, alpha: float):
        super().__init__()
        raise NotImplementedError("LoRALinear.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LoRALinear.forward")

    def merge(self) -> nn.Linear:
        """A new nn.Linear computing the same function; self.base is left unchanged."""
        raise NotImplementedError("LoRALinear.merge")


# The grader drives LoRALinear through this function: leave it as it is.
def probe(weight: torch.Tensor, bias: torch.Tensor, r: int, alpha: float, x: torch.Tensor,
          b_value: torch.Tensor, grad_out: torch.Tensor) -> dict:
    base = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        base.weight.copy_(weight)
        base.bias.copy_(bias)
    layer = LoRALinear(base, r, alpha)
    report = {"A": layer.A.detach().clone(), "B": layer.B.detach().clone(), "y_init": layer(x).detach()}
    with torch.no_grad():
        layer.B.copy_(b_value)  # a trained-looking B, to see the update and its scaling
    y = layer(x)
    (y * grad_out).sum().backward()
    report["y"] = y.detach()
    report["grads"] = {name: p.grad for name, p in layer.named_parameters()}
    report["trainable"] = [name for name, p in layer.named_parameters() if p.requires_grad]
    report["y_merged"] = layer.merge()(x).detach()
    report["base_weight_after"] = base.weight.detach().clone()
    return report
