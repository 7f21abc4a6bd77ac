# mlprep drill: top_k
# expect: k equal to the vocabulary size must keep every token
# Mistake: k is clipped to the vocabulary only when it is larger, then np.argpartition(-x, k)
# is asked for position k, which does not exist when k equals the vocabulary size.
from __future__ import annotations

import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature
    if k > x.shape[-1]:
        top = np.broadcast_to(np.arange(x.shape[-1]), x.shape)
        k = x.shape[-1]
    else:
        top = np.argpartition(-x, k, axis=-1)[:, :k]
    z = np.take_along_axis(x, top, axis=-1)
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    u = rng.random((x.shape[0], 1))
    choice = np.minimum((np.cumsum(p, axis=-1) < u).sum(axis=-1), k - 1)
    out = np.take_along_axis(top, choice[:, None], axis=-1)[:, 0]
    return out if np.ndim(logits) == 2 else int(out[0])
