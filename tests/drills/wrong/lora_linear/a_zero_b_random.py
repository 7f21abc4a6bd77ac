# mlprep drill: lora_linear
# expect: A must start random
# Mistake: A zero and B random: the output starts right, but B never gets a gradient
from __future__ import annotations

import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)  # the pretrained weights stay frozen
        self.r = r
        self.scaling = alpha / r  # keeps the update's size stable when r changes
        self.A = nn.Parameter(torch.empty(r, base.in_features))
        nn.init.zeros_(self.A)
        self.B = nn.Parameter(torch.randn(base.out_features, r))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.A.T @ self.B.T) * self.scaling

    def merge(self) -> nn.Linear:
        """A plain nn.Linear computing the same function (no extra cost at inference)."""
        merged = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None)
        with torch.no_grad():
            merged.weight.copy_(self.base.weight + self.scaling * self.B @ self.A)
            if self.base.bias is not None:
                merged.bias.copy_(self.base.bias)
        return merged


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
