# mlprep drill: knn
# expect: nearest tied neighbour
# Mistake: votes counted with Counter.most_common, which breaks ties by first appearance (the nearest)

from __future__ import annotations

from collections import Counter

import numpy as np


def kneighbors(X_train, X_query, k):
    X_train = np.asarray(X_train, dtype=np.float64)
    loo = X_query is None
    Q = X_train if loo else np.asarray(X_query, dtype=np.float64)
    dist = np.sqrt(((Q[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1))
    if loo:
        np.fill_diagonal(dist, np.inf)
    idx = np.argsort(dist, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(dist, idx, axis=1), idx


def _weights(dist, weights):
    if weights == "uniform":
        return np.ones_like(dist)
    if weights != "distance":
        raise ValueError(weights)
    with np.errstate(divide="ignore"):
        w = 1.0 / dist
    on_point = (dist == 0).any(axis=1)
    w[on_point] = dist[on_point] == 0
    return w


def knn_classify(X_train, y_train, X_query, k, weights="uniform"):
    dist, idx = kneighbors(X_train, X_query, k)
    w = _weights(dist, weights)
    y = np.asarray(y_train)
    out = []
    for row, wrow in zip(idx, w, strict=True):
        votes = Counter()
        for i, wi in zip(row, wrow, strict=True):
            votes[int(y[i])] += wi
        out.append(votes.most_common(1)[0][0])
    return np.array(out, dtype=y.dtype)


def knn_regress(X_train, y_train, X_query, k, weights="uniform"):
    dist, idx = kneighbors(X_train, X_query, k)
    w = _weights(dist, weights)
    y = np.asarray(y_train, dtype=np.float64)
    return (w * y[idx]).sum(axis=1) / w.sum(axis=1)
