# mlprep drill: top_k
# expect: multiplied the logits by the temperature instead of dividing
# Mistake: the logits are multiplied by the temperature instead of divided by it.
from __future__ import annotations

import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    x = np.atleast_2d(np.asarray(logits, dtype=np.float64))
    k = min(k, x.shape[-1])
    top = np.argpartition(-x, k - 1, axis=-1)[:, :k]
    z = np.take_along_axis(x, top, axis=-1) * temperature
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    u = rng.random((x.shape[0], 1))
    choice = np.minimum((np.cumsum(p, axis=-1) < u).sum(axis=-1), k - 1)
    out = np.take_along_axis(top, choice[:, None], axis=-1)[:, 0]
    return out if np.ndim(logits) == 2 else int(out[0])
