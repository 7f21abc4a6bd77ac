# mlprep drill: attention
# expect: scores were scaled by the values' size
# Mistake: takes the scale from the values (v.shape[-1]) instead of the keys
from __future__ import annotations

import numpy as np


def attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, causal: bool = False) -> np.ndarray:
    """softmax(q k^T / sqrt(d_k)) v over the last two axes; leading axes are batch axes.

    q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v) -> (..., Tq, d_v).
    With ``causal``, query i sees keys 0..i only (queries and keys share positions, Tq == Tk).
    """
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(v.shape[-1])  # (..., Tq, Tk)
    if causal:
        tq, tk = scores.shape[-2:]
        future = np.triu(np.ones((tq, tk), dtype=bool), k=1)  # True above the diagonal
        scores = np.where(future, -np.inf, scores)  # masked BEFORE softmax: weight exp(-inf) = 0
    scores = scores - scores.max(axis=-1, keepdims=True)  # stable softmax over the keys
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v
