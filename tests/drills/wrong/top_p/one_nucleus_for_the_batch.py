# mlprep drill: top_p
# expect: row group 1 of a batch
"""Builds the nucleus from the first row and uses it for every row of the batch."""
import numpy as np


def top_p_sample(logits, p, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    z = np.atleast_2d(np.asarray(logits, dtype=np.float64)) / temperature
    probs = np.exp(z[0] - z[0].max())
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    before = np.cumsum(probs[order]) - probs[order]
    nucleus = order[before < p]
    w = probs[nucleus] / probs[nucleus].sum()
    tokens = rng.choice(nucleus, size=z.shape[0], p=w)
    return int(tokens[0]) if np.ndim(logits) == 1 else tokens
