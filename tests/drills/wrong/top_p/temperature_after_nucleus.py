# mlprep drill: top_p
# expect: the nucleus was chosen before applying the temperature
"""Chooses the nucleus from the untempered probabilities and applies the temperature only to
the kept logits afterwards."""
import numpy as np


def top_p_sample(logits, p, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    z = np.atleast_2d(np.asarray(logits, dtype=np.float64))
    probs = np.exp(z - z.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    order = np.argsort(-probs, axis=-1, kind="stable")
    sorted_p = np.take_along_axis(probs, order, axis=-1)
    keep = np.cumsum(sorted_p, axis=-1) - sorted_p < p
    sorted_z = np.take_along_axis(z, order, axis=-1) / temperature
    w = np.where(keep, np.exp(sorted_z - sorted_z.max(axis=-1, keepdims=True)), 0.0)
    cdf = np.cumsum(w / w.sum(axis=-1, keepdims=True), axis=-1)
    choice = np.minimum((cdf < rng.random((z.shape[0], 1))).sum(axis=-1), keep.sum(axis=-1) - 1)
    tokens = np.take_along_axis(order, choice[:, None], axis=-1)[:, 0]
    return int(tokens[0]) if np.ndim(logits) == 1 else tokens
