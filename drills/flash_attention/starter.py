# mlprep drill: flash_attention
"""Tiled attention with the online softmax (FlashAttention's forward pass), in numpy.
Run the public examples with `pytest` and grade with `mlprep grade flash_attention.py`."""

from __future__ import annotations

import numpy as np


def flash_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, block_q: int = 64, block_k: int = 64,
                    causal: bool = False) -> np.ndarray:
    """softmax(q k^T / sqrt(d)) v for q (Tq, d), k (Tk, d), v (Tk, dv) -> (Tq, dv), float64.

    Walk over tiles of block_q queries x block_k keys, keeping per query row a running max m,
    a running sum l of exp(score - m) and a running acc of exp(score - m) @ v; never hold a
    (Tq, Tk) array. causal: query i sees keys 0..i (Tq == Tk). Block sizes < 1 raise ValueError.
    """
    raise NotImplementedError("flash_attention")
