# mlprep drill: beam_search_batched
"""Batched beam search with EOS handling and a length penalty, over a model you can only call.
Run the public examples with `pytest` and grade with `mlprep grade beam_search_batched.py`."""

from __future__ import annotations

import torch


def beam_search_batched(model, prompts: torch.Tensor, num_beams: int, max_new_tokens: int, eos_id: int,
                        length_penalty: float = 1.0) -> tuple[list[list[int]], list[float]]:
    """For each prompt (B, P): the best finished hypothesis and its score sum(log p) / length ** length_penalty.

    One model call per step for all prompts and beams; EOS candidates ranked below num_beams are
    discarded; the live beams are refilled with the best non-EOS candidates.
    """
    raise NotImplementedError("beam_search_batched")
