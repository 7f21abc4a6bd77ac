# mlprep drill: rope
"""Rotary position embeddings and causal attention that uses them, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade rope.py`."""

from __future__ import annotations

import numpy as np


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotate x (..., T, d): channel i pairs with i + d/2, turned by positions[t] * base**(-2i/d)."""
    raise NotImplementedError("apply_rope")


def rope_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, positions: np.ndarray,
                   base: float = 10000.0) -> np.ndarray:
    """Causal softmax(q k^T / sqrt(d)) v after applying RoPE to q and k (not to v)."""
    raise NotImplementedError("rope_attention")
