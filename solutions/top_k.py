# mlprep drill: top_k
"""Reference solution: top-k sampling with temperature, vectorised over a batch."""

from __future__ import annotations

import numpy as np


def top_k_sample(logits: np.ndarray, k: int, temperature: float = 1.0, seed: int | None = None):
    """Draw one token index per distribution from the k most likely tokens."""
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    if k < 1:
        raise ValueError("k must be >= 1")
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64))  # (B, V)
    k = min(k, x.shape[-1])
    top = np.argpartition(-x, k - 1, axis=-1)[:, :k]  # (B, k) indices of the k largest
    z = np.take_along_axis(x, top, axis=-1) / temperature
    p = np.exp(z - z.max(axis=-1, keepdims=True))  # stable softmax over the kept logits
    cdf = np.cumsum(p / p.sum(axis=-1, keepdims=True), axis=-1)
    u = rng.random((x.shape[0], 1))
    choice = np.minimum((cdf < u).sum(axis=-1), k - 1)  # (B,) position within the top k
    tokens = np.take_along_axis(top, choice[:, None], axis=-1)[:, 0]
    return int(tokens[0]) if np.ndim(logits) == 1 else tokens.astype(np.int64)
