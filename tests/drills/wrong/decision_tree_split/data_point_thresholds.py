# mlprep drill: decision_tree_split
# expect: yours is a data value
# Mistake: the threshold is the lower data value instead of the midpoint
"""Reference solution: the best axis-aligned split of a decision tree node.

Each feature is sorted once; cumulative one-hot class counts then give the class counts of the
left child for every cut position at the same time, and the right child is the rest. Only cut
positions between two different values are candidates, at the midpoint of the two values.
"""

from __future__ import annotations

import numpy as np

TIE = 1e-9  # gains closer than this are equal


def _impurity_of_counts(counts: np.ndarray, criterion: str) -> np.ndarray:
    """Impurity of each row of class counts, shape (..., K) -> (...)."""
    total = counts.sum(axis=-1, keepdims=True)
    p = counts / total
    if criterion == "gini":
        return 1.0 - np.sum(p**2, axis=-1)
    if criterion == "entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0)  # 0 log 0 = 0
        return -np.sum(terms, axis=-1)
    raise ValueError(f"criterion must be 'gini' or 'entropy', not {criterion!r}")


def impurity(y: np.ndarray, criterion: str = "gini") -> float:
    """Gini or entropy (base 2) of the labels y."""
    _, counts = np.unique(np.asarray(y), return_counts=True)
    return float(_impurity_of_counts(counts.astype(np.float64), criterion))


def best_split(X: np.ndarray, y: np.ndarray, criterion: str = "gini",
               min_samples_leaf: int = 1) -> tuple[int, float, float] | None:
    """(feature, threshold, gain) of the best allowed split, or None if there is none."""
    X = np.asarray(X, dtype=np.float64)
    _, codes = np.unique(np.asarray(y), return_inverse=True)
    n, d = X.shape
    onehot = np.eye(codes.max() + 1)[codes]  # (n, K)
    total = onehot.sum(axis=0)  # (K,)
    parent = _impurity_of_counts(total, criterion)
    candidates = []  # (feature, thresholds, gains), features in order, thresholds increasing
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        cuts = np.flatnonzero(xs[:-1] < xs[1:])  # cut after sorted position i: a new value follows
        n_left = cuts + 1
        allowed = (n_left >= min_samples_leaf) & (n - n_left >= min_samples_leaf)
        cuts, n_left = cuts[allowed], n_left[allowed]
        if cuts.size == 0:
            continue
        left = np.cumsum(onehot[order], axis=0)[cuts]  # (c, K) class counts on the left
        right = total - left
        gains = (parent - n_left / n * _impurity_of_counts(left, criterion)
                 - (n - n_left) / n * _impurity_of_counts(right, criterion))
        candidates.append((j, xs[cuts], gains))
    if not candidates:
        return None
    top = max(float(gains.max()) for _, _, gains in candidates)
    for j, thresholds, gains in candidates:  # the first within TIE of the best gain wins
        tied = np.flatnonzero(gains >= top - TIE)
        if tied.size:
            return j, float(thresholds[tied[0]]), float(gains[tied[0]])
    raise AssertionError("unreachable: the best gain belongs to some feature")
