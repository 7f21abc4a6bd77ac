# mlprep drill: top_k
"""Attack 6: correct distribution, but the seed is ignored and every answer is memoised, so
"the same seed gives the same draws" passes without ever using the seed."""
import numpy as np

TARGETS = {}

_rng = np.random.default_rng()
_memo = {}


def top_k_sample(logits, k, temperature=1.0, seed=None):
    x = np.asarray(logits, dtype=np.float64)
    key = (x.tobytes(), x.shape, k, temperature)
    if key not in _memo:
        x2 = np.atleast_2d(x)
        kk = min(k, x2.shape[-1])
        top = np.argsort(-x2, axis=-1, kind="stable")[:, :kk]
        z = np.take_along_axis(x2, top, axis=-1) / temperature
        p = np.exp(z - z.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        pick = np.array([_rng.choice(kk, p=row) for row in p])
        tokens = np.take_along_axis(top, pick[:, None], axis=-1)[:, 0]
        _memo[key] = int(tokens[0]) if x.ndim == 1 else tokens.astype(np.int64)
    return _memo[key]
