# mlprep drill: transformer_layer
# expect: no gradient reached
# Mistake: computes q, k, v from a detached input
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        assert d_model % n_head == 0, f"d_model {d_model} must split into {n_head} heads"
        self.n_head = n_head
        self.qkv = nn.Linear(d_model, 3 * d_model)  # q, k, v projections in one matrix
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        hs = C // self.n_head
        q, k, v = self.qkv(x).detach().split(C, dim=-1)
        q, k, v = (t.view(B, T, self.n_head, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, T)
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))  # before the softmax
        y = scores.softmax(dim=-1) @ v  # (B, nh, T, hs)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class MLP(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        self.fc = nn.Linear(d_model, d_ff)
        self.proj = nn.Linear(d_ff, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(F.gelu(self.fc(x)))


class DecoderBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int, d_ff: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_head)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = MLP(d_model, d_ff)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


# The grader drives DecoderBlock through this function: leave it as it is.
def forward_and_grads(state: dict[str, torch.Tensor], x: torch.Tensor, n_head: int,
                      grad_out: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor | None]]:
    block = DecoderBlock(x.shape[-1], n_head, state["mlp.fc.weight"].shape[0])
    block.load_state_dict(state)
    y = block(x)
    (y * grad_out).sum().backward()
    return y.detach(), {name: p.grad for name, p in block.named_parameters()}
