# mlprep drill: rope
# expect: rope_attention ignored the positions argument
"""rope_attention rotates by 0..T-1 instead of the given positions (the old test used a shifted
0..T-1, where only the offsets matter, so it could not tell)."""
from __future__ import annotations

import numpy as np


def apply_rope(x: np.ndarray, positions: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Rotate x (..., T, d) whose rows sit at integer ``positions`` (T,); d must be even."""
    d = x.shape[-1]
    half = d // 2
    theta = base ** (-np.arange(half, dtype=np.float64) * 2 / d)  # (d/2,)
    angles = np.asarray(positions, dtype=np.float64)[:, None] * theta  # (T, d/2)
    cos, sin = np.cos(angles), np.sin(angles)
    x1, x2 = x[..., :half], x[..., half:]  # the two members of each pair
    return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1)


def rope_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, positions: np.ndarray,
                   base: float = 10000.0) -> np.ndarray:
    """Causal attention (..., T, d) with RoPE applied to queries and keys; values are not rotated."""
    q, k = apply_rope(q, np.arange(q.shape[-2]), base), apply_rope(k, np.arange(k.shape[-2]), base)
    t, d = q.shape[-2], q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d)  # (..., T, T)
    scores = np.where(np.triu(np.ones((t, t), dtype=bool), k=1), -np.inf, scores)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v
