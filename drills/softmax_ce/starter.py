# mlprep drill: softmax_ce
"""Numerically stable softmax, log-softmax and cross-entropy, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade softmax_ce.py`."""

from __future__ import annotations

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / sum(exp(x)) along ``axis``; same shape as x, sums to 1 along ``axis``."""
    raise NotImplementedError("softmax")


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) along ``axis``, finite even where the softmax underflows to 0."""
    raise NotImplementedError("log_softmax")


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean over N of -log_softmax(logits)[i, targets[i]]; logits (N, C), targets (N,) ints."""
    raise NotImplementedError("cross_entropy")
