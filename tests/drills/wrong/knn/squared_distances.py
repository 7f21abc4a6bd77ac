# mlprep drill: knn
# expect: not squared
# Mistake: kneighbors returns squared distances
"""Reference solution: k-nearest neighbours by brute force, with stated tie rules.

All query-to-training distances at once; a stable sort puts equal distances in training-index
order, so the k nearest are well defined even on a grid. Votes (or a weighted mean) use weight 1
or 1 / distance; a query that sits exactly on training points takes only those points, each
with weight 1 (1 / 0 would be infinite). Leave-one-out queries every training point against
the others: its own row is pushed to the end of its sort order, duplicates of it stay.
"""

from __future__ import annotations

import numpy as np


def kneighbors(X_train: np.ndarray, X_query: np.ndarray | None, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(distances (m, k) float64, indices (m, k) int64), nearest first; equal distances by index."""
    X_train = np.asarray(X_train, dtype=np.float64)
    loo = X_query is None
    Q = X_train if loo else np.asarray(X_query, dtype=np.float64)
    d2 = ((Q[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)  # (m, n), exact on integer data
    dist = np.sqrt(d2)
    if loo:
        np.fill_diagonal(dist, np.inf)  # a point is never its own neighbour
    idx = np.argsort(dist, axis=1, kind="stable")[:, :k]  # stable: ties keep the training order
    return np.take_along_axis(d2, idx, axis=1), idx.astype(np.int64)


def _weights(dist: np.ndarray, weights: str) -> np.ndarray:
    if weights == "uniform":
        return np.ones_like(dist)
    if weights != "distance":
        raise ValueError(f"weights must be 'uniform' or 'distance', not {weights!r}")
    exact = dist == 0
    with np.errstate(divide="ignore"):
        w = 1.0 / dist
    on_point = exact.any(axis=1)
    w[on_point] = exact[on_point]  # only the neighbours at distance 0 count, with weight 1
    return w


def knn_classify(X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray | None, k: int,
                 weights: str = "uniform") -> np.ndarray:
    """The label with the largest (weighted) vote among the k nearest; ties go to the smallest label."""
    dist, idx = kneighbors(X_train, X_query, k)
    w = _weights(np.sqrt(dist), weights)
    labels, codes = np.unique(np.asarray(y_train), return_inverse=True)  # labels sorted increasing
    votes = np.zeros((len(idx), len(labels)))
    np.add.at(votes, (np.arange(len(idx))[:, None], codes[idx]), w)
    return labels[np.argmax(votes, axis=1)]  # argmax: the first (smallest) label among equal votes


def knn_regress(X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray | None, k: int,
                weights: str = "uniform") -> np.ndarray:
    """The (weighted) mean target of the k nearest neighbours, float64 (m,)."""
    dist, idx = kneighbors(X_train, X_query, k)
    w = _weights(np.sqrt(dist), weights)
    y = np.asarray(y_train, dtype=np.float64)
    return (w * y[idx]).sum(axis=1) / w.sum(axis=1)
