# mlprep drill: nanogpt
"""The forward pass of the reference GPT (RoPE, pre-LN blocks, tied head), in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade nanogpt.py`."""

from __future__ import annotations

import torch


def gpt_forward(params: dict[str, torch.Tensor], idx: torch.Tensor, n_head: int,
                rope_base: float = 10000.0) -> torch.Tensor:
    """idx (B, T) int64 -> logits (B, T, V) from the GPT's state_dict (without lm_head.weight).

    x = wte[idx]; per block: x += attn(ln_1(x)), x += mlp(ln_2(x)); logits = ln_f(x) @ wte.T.
    Causal attention with RoPE on q and k; no biases anywhere.
    """
    raise NotImplementedError("gpt_forward")
