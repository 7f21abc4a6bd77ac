# mlprep drill: top_k
# expect: logits near 1000
# Mistake: exponentiates the raw logits (no max-subtraction), so large logits overflow.
from __future__ import annotations

import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature
    k = min(k, x.shape[-1])
    top = np.argsort(-x, axis=-1)[:, :k]
    p = np.exp(np.take_along_axis(x, top, axis=-1))
    p /= p.sum(axis=-1, keepdims=True)
    u = rng.random((x.shape[0], 1))
    choice = np.minimum((np.cumsum(p, axis=-1) < u).sum(axis=-1), k - 1)
    out = np.take_along_axis(top, choice[:, None], axis=-1)[:, 0]
    return out if np.ndim(logits) == 2 else int(out[0])
