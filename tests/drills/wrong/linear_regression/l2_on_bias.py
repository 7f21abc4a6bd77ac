# mlprep drill: linear_regression
# expect: must not shrink the bias
# Mistake: the intercept is penalised too, in both fits

from __future__ import annotations

import numpy as np


def fit_closed_form(X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> tuple[np.ndarray, float]:
    """Exact minimiser (w, b) of J by the normal equations on centred data."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])  # bias as one more weight, penalised like the others
    wb = np.linalg.solve(A.T @ A + n * l2 * np.eye(d + 1), A.T @ y)
    return wb[:d], float(wb[d])


def fit_gradient_descent(X: np.ndarray, y: np.ndarray, l2: float = 0.0,
                         lr: float = 0.1, steps: int = 1000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on J from w = 0, b = 0."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(steps):
        r = X @ w + b - y  # (n,) residuals
        grad_w = X.T @ r / n + l2 * w  # mean over examples, plus the penalty's gradient
        grad_b = r.mean() + l2 * b
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, float(b)


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Predictions X @ w + b, shape (n,)."""
    return np.asarray(X, dtype=np.float64) @ w + b
