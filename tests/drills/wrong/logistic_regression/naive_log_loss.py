# mlprep drill: logistic_regression
# expect: np.logaddexp
# Mistake: the loss takes log(sigmoid(z)) directly, which is log(0) for large |z|

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
    p = 1.0 / (1.0 + np.exp(-z))
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(bce.mean() + 0.5 * l2 * np.dot(w, w))


def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.0, lr: float = 0.5,
        steps: int = 2000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on J from w = 0, b = 0; returns (w, b)."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(steps):
        err = _sigmoid(X @ w + b) - y  # (n,) dJ/dz for each example
        grad_w = X.T @ err / n + l2 * w  # mean over examples, plus the penalty's gradient
        grad_b = err.mean()  # the intercept is not penalised
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, float(b)
