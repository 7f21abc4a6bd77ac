# mlprep drill: decoding
"""Greedy, top-k / top-p sampling and beam search over a decoder, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade decoding.py`."""

from __future__ import annotations

import torch


def greedy(model, input_ids: torch.Tensor, max_new_tokens: int, eos_id: int) -> torch.Tensor:
    """Append the argmax token to every row of input_ids (B, T); finished rows are padded with eos_id."""
    raise NotImplementedError("greedy")


def sample(model, input_ids: torch.Tensor, max_new_tokens: int, eos_id: int, temperature: float = 1.0,
           top_k: int | None = None, top_p: float | None = None, seed: int = 0) -> torch.Tensor:
    """Like greedy, drawing from softmax(logits / temperature) restricted to top_k and the top_p nucleus."""
    raise NotImplementedError("sample")


def beam_search(model, prompt: torch.Tensor, beam_size: int, max_new_tokens: int,
                eos_id: int) -> tuple[list[int], float]:
    """Best continuation of prompt (T,) by summed log-probabilities: (new tokens, score)."""
    raise NotImplementedError("beam_search")
