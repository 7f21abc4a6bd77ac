# mlprep drill: pca
# expect: subtract the mean before multiplying
# Mistake: transform projects the raw data, not the centred data

from __future__ import annotations

import numpy as np


def pca(X: np.ndarray, n_components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Returns (components (k, d), explained_variance (k,), explained_variance_ratio (k,), mean (d,))."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    mean = X.mean(axis=0)
    # full_matrices=False: U is (n, r), S is (r,), Vt is (r, d) with r = min(n, d)
    _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    variance = S**2 / (n - 1)  # sample variance along each principal direction
    k = n_components
    return Vt[:k].copy(), variance[:k], variance[:k] / variance.sum(), mean


def transform(X: np.ndarray, mean: np.ndarray, components: np.ndarray) -> np.ndarray:
    """Coordinates of X along the components, (n, k): project the *centred* data."""
    return np.asarray(X, dtype=np.float64) @ components.T
