# mlprep drill: kmeans
"""k-means with k-means++ seeding and Lloyd iterations, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade kmeans.py`."""

from __future__ import annotations

import numpy as np


def kmeans_plus_plus(X: np.ndarray, k: int, seed: int | None = None) -> np.ndarray:
    """k rows of X: the first uniformly at random, each next one with probability proportional
    to the squared distance to its nearest chosen centre. Returns (k, d)."""
    raise NotImplementedError("kmeans_plus_plus")


def kmeans(X: np.ndarray, k: int, n_init: int = 10, max_iter: int = 300,
           seed: int | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Best of n_init k-means++ seeded Lloyd runs: (centers (k, d), labels (n,), inertia)."""
    raise NotImplementedError("kmeans")
