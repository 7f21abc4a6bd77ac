# mlprep drill: attention
"""Scaled dot-product attention with an optional causal mask, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade attention.py`."""

from __future__ import annotations

import numpy as np


def attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = False) -> np.ndarray:
    """softmax(q k^T / sqrt(d_k)) v over the last two axes; leading axes are batch axes.

    q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v) -> (..., Tq, d_v).
    causal: query i attends to keys 0..i only (Tq == Tk).
    """
    raise NotImplementedError("attention")
