# mlprep drill: kmeans
# expect: the first k-means++ centre must be drawn uniformly at random
# Mistake: always starts k-means++ from the first row of X (the D^2 steps after it are right)
"""k-means: k-means++ seeding followed by Lloyd's iterations, restarted n_init times.

k-means++ picks the first centre uniformly among the points, then each next centre with
probability proportional to D(x)^2, the squared distance from x to its nearest centre so far.
Far-away, still uncovered points are then likely picks, which makes a bad start unlikely.
Lloyd alternates two steps that each can only lower the inertia (the sum of squared distances
from every point to its centre): assign each point to its nearest centre, then move each centre
to the mean of its points. It stops when no assignment changes.
"""

from __future__ import annotations

import numpy as np


def _sq_dists(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances, shape (n, k), as |x|^2 - 2 x.c + |c|^2 (one matrix product,
    no (n, k, d) temporary); rounding can leave tiny negatives, so clip at 0."""
    d2 = (X**2).sum(axis=1)[:, None] - 2.0 * X @ centers.T + (centers**2).sum(axis=1)[None, :]
    return np.maximum(d2, 0.0)


def kmeans_plus_plus(X: np.ndarray, k: int, seed: int | None = None) -> np.ndarray:
    """k initial centres chosen among the rows of X by D^2 sampling, shape (k, d)."""
    rng = np.random.default_rng(seed)
    X = np.asarray(X, dtype=np.float64)
    chosen = [0]  # the first centre: the first row
    d2 = _sq_dists(X, X[chosen])[:, 0]  # (n,) squared distance to the nearest chosen centre
    for _ in range(1, k):
        nxt = int(rng.choice(len(X), p=d2 / d2.sum()))  # proportional to D^2
        chosen.append(nxt)
        d2 = np.minimum(d2, _sq_dists(X, X[[nxt]])[:, 0])
    return X[chosen].copy()


def _lloyd(X: np.ndarray, centers: np.ndarray, max_iter: int) -> tuple[np.ndarray, np.ndarray, float]:
    k = len(centers)
    labels = _sq_dists(X, centers).argmin(axis=1)
    for _ in range(max_iter):
        counts = np.bincount(labels, minlength=k)  # (k,) points per cluster
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, X)  # (k, d) sum of each cluster's points
        filled = counts > 0  # an empty cluster keeps its old centre
        centers[filled] = sums[filled] / counts[filled, None]
        new = _sq_dists(X, centers).argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    inertia = float(((X - centers[labels]) ** 2).sum())  # exact, from the differences
    return centers, labels, inertia


def kmeans(X: np.ndarray, k: int, n_init: int = 10, max_iter: int = 300,
           seed: int | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Best of n_init runs (lowest inertia): returns (centers (k, d), labels (n,), inertia)."""
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(n_init):
        start = kmeans_plus_plus(X, k, seed=int(rng.integers(2**32)))
        run = _lloyd(X, start, max_iter)
        if best is None or run[2] < best[2]:
            best = run
    return best
