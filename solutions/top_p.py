# mlprep drill: top_p
"""Reference solution: nucleus (top-p) sampling, vectorised over a batch."""

from __future__ import annotations

import numpy as np


def top_p_sample(logits: np.ndarray, p: float, temperature: float = 1.0, seed: int | None = None):
    """Draw one token index per distribution from its nucleus."""
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    if not 0 < p <= 1:
        raise ValueError("p must be in (0, 1]")
    rng = np.random.default_rng(seed)
    z = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature  # (B, V)
    probs = np.exp(z - z.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    order = np.argsort(-probs, axis=-1, kind="stable")  # most likely first
    sorted_p = np.take_along_axis(probs, order, axis=-1)
    keep = np.cumsum(sorted_p, axis=-1) - sorted_p < p  # mass before each token is still < p
    kept = np.where(keep, sorted_p, 0.0)
    cdf = np.cumsum(kept / kept.sum(axis=-1, keepdims=True), axis=-1)
    u = rng.random((z.shape[0], 1))
    choice = np.minimum((cdf < u).sum(axis=-1), keep.sum(axis=-1) - 1)  # position in sorted order
    tokens = np.take_along_axis(order, choice[:, None], axis=-1)[:, 0]
    return int(tokens[0]) if np.ndim(logits) == 1 else tokens.astype(np.int64)
