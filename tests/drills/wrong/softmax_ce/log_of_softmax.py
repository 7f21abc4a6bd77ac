# mlprep drill: softmax_ce
# expect: instead of log(softmax
# Mistake: log_softmax as log(softmax(x)): -inf once a probability underflows
from __future__ import annotations

import numpy as np


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) along ``axis``, computed without ever taking log of a tiny number."""
    x = np.asarray(x, dtype=np.float64)
    return np.log(softmax(x, axis=axis))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Probabilities along ``axis``: non-negative, summing to 1, same shape as ``x``."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean negative log-likelihood of integer ``targets`` (N,) under ``logits`` (N, C)."""
    logp = log_softmax(logits, axis=-1)  # (N, C)
    picked = logp[np.arange(len(targets)), targets]  # (N,) log-probability of each true class
    return float(-picked.mean())
