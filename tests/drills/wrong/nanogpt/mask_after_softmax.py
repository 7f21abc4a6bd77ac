# mlprep drill: nanogpt
# expect: causal mask
# Mistake: zeroes future weights after the softmax
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def _rope(x: torch.Tensor, base: float) -> torch.Tensor:
    """Rotate each (i, i + hs/2) channel pair of x (B, nh, T, hs) by position * base**(-2i/hs)."""
    T, hs = x.shape[-2], x.shape[-1]
    inv_freq = 1.0 / base ** (torch.arange(0, hs, 2, dtype=torch.float32) / hs)  # (hs/2,)
    angles = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq)  # (T, hs/2)
    cos, sin = angles.cos(), angles.sin()
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)


def _attention(x: torch.Tensor, p: dict[str, torch.Tensor], prefix: str, n_head: int, base: float) -> torch.Tensor:
    B, T, C = x.shape
    hs = C // n_head
    q, k, v = (x @ p[f"{prefix}.qkv.weight"].T).split(C, dim=-1)
    q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
    q, k = _rope(q, base), _rope(k, base)  # positions go into q and k only
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, T)
    future = torch.ones(T, T, dtype=torch.bool).triu(diagonal=1)
    y = scores.softmax(dim=-1).masked_fill(future, 0.0) @ v
    return y.transpose(1, 2).reshape(B, T, C) @ p[f"{prefix}.proj.weight"].T


def gpt_forward(params: dict[str, torch.Tensor], idx: torch.Tensor, n_head: int,
                rope_base: float = 10000.0) -> torch.Tensor:
    """idx (B, T) int64 -> logits (B, T, vocab_size), from the reference GPT's state_dict ``params``."""
    wte = params["wte.weight"]  # (V, C)
    C = wte.shape[1]
    n_layer = len({name.split(".")[1] for name in params if name.startswith("blocks.")})

    def ln(h: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(h, (C,), params[f"{name}.weight"])  # no bias in this model

    x = wte[idx]  # (B, T, C) token embeddings; RoPE supplies the positions
    for i in range(n_layer):
        b = f"blocks.{i}"
        x = x + _attention(ln(x, f"{b}.ln_1"), params, f"{b}.attn", n_head, rope_base)
        h = F.gelu(ln(x, f"{b}.ln_2") @ params[f"{b}.mlp.fc.weight"].T)
        x = x + h @ params[f"{b}.mlp.proj.weight"].T
    return ln(x, "ln_f") @ wte.T  # tied head: the embedding matrix un-embeds
