# mlprep drill: logistic_regression
# expect: not the sum
# Mistake: gradients summed over the examples instead of averaged

from __future__ import annotations

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow: exp only ever sees non-positive numbers."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """P(y = 1 | x) for every row of X, shape (n,)."""
    return _sigmoid(np.asarray(X, dtype=np.float64) @ w + b)


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Class labels 0/1 (1 where the probability is at least 0.5), int64 (n,)."""
    return (np.asarray(X, dtype=np.float64) @ w + b >= 0).astype(np.int64)


def loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, l2: float = 0.0) -> float:
    """Mean binary cross-entropy plus (l2/2)||w||^2, finite for any logits."""
    z = np.asarray(X, dtype=np.float64) @ w + b
    s = 2.0 * np.asarray(y, dtype=np.float64) - 1.0  # labels as -1/+1
    # -log sigmoid(s z) = log(1 + exp(-s z)) = logaddexp(0, -s z): no exp overflow, no log(0)
    return float(np.logaddexp(0.0, -s * z).mean() + 0.5 * l2 * np.dot(w, w))


def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.0, lr: float = 0.5,
        steps: int = 2000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on J from w = 0, b = 0; returns (w, b)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(steps):
        err = _sigmoid(X @ w + b) - y  # (n,) dJ/dz for each example
        grad_w = X.T @ err + l2 * w
        grad_b = err.sum()
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, float(b)
