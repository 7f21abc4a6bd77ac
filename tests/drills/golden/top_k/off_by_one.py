# mlprep drill: top_k
"""Keeps k + 1 tokens (a slicing slip) but is otherwise right."""
import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature
    top = np.argsort(x, axis=-1)[:, -(k + 1):]
    z = np.take_along_axis(x, top, axis=-1)
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    cdf = np.cumsum(p / p.sum(axis=-1, keepdims=True), axis=-1)
    choice = np.minimum((cdf < rng.random((x.shape[0], 1))).sum(axis=-1), top.shape[1] - 1)
    tokens = np.take_along_axis(top, choice[:, None], axis=-1)[:, 0]
    return int(tokens[0]) if np.ndim(logits) == 1 else tokens
