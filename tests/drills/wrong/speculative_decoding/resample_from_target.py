# mlprep drill: speculative_decoding
# expect: not from p itself
# Mistake: after a rejection, draws the replacement from p instead of the residual max(0, p - q)
"""Reference solution: the verify step of speculative decoding, vectorised over N independent rows."""

from __future__ import annotations

import numpy as np


def _draw(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One index per row of (unnormalised, non-negative) weights (M, V), by the inverse CDF."""
    cdf = np.cumsum(weights, axis=1)
    u = rng.random((len(weights), 1)) * cdf[:, -1:]
    return np.minimum((cdf <= u).sum(axis=1), weights.shape[1] - 1)


def speculative_verify(draft: np.ndarray, q: np.ndarray, p: np.ndarray, seed: int | None = None,
                       greedy: bool = False) -> np.ndarray:
    """draft (N, k) tokens drawn from q (N, k, V); target p (N, k + 1, V) -> emitted tokens (N, k + 1), -1 padded."""
    n, k = draft.shape
    out = np.full((n, k + 1), -1, dtype=np.int64)
    rows = np.arange(n)
    alive = np.ones(n, dtype=bool)  # rows that accepted every draft so far
    rng = np.random.default_rng(seed)
    for i in range(k):
        x = draft[:, i]
        if greedy:
            best = p[:, i].argmax(axis=1)  # argmax returns the lowest index on ties
            accept = alive & (x == best)
            reject = alive & ~accept
            out[reject, i] = best[reject]
        else:
            u = rng.random(n)
            ratio = p[rows, i, x] / q[rows, i, x]
            accept = alive & (u < ratio)
            reject = alive & ~accept
            if reject.any():
                residual = p[reject, i].copy()
                empty = residual.sum(axis=1) <= 0  # p == q up to rounding: fall back to p
                residual[empty] = p[reject, i][empty]
                out[reject, i] = _draw(rng, residual)
        out[accept, i] = x[accept]
        alive = accept
    if alive.any():  # every draft accepted: a bonus token from p_k
        out[alive, k] = p[alive, k].argmax(axis=1) if greedy else _draw(rng, p[alive, k])
    return out
