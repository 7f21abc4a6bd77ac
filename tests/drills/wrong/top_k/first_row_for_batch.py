# mlprep drill: top_k
# expect: of a batch
# Mistake: picks the top-k tokens of the first row and uses them for every row of the batch.
from __future__ import annotations

import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature
    k = min(k, x.shape[-1])
    top = np.argsort(-x[0])[:k]
    z = x[:, top]
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    u = rng.random((x.shape[0], 1))
    choice = np.minimum((np.cumsum(p, axis=-1) < u).sum(axis=-1), k - 1)
    out = top[choice]
    return out if np.ndim(logits) == 2 else int(out[0])
