# mlprep drill: linear_regression
# expect: add n*l2*I
# Mistake: the closed form adds l2*I to X.T @ X although the loss is a mean

from __future__ import annotations

import numpy as np


def fit_closed_form(X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> tuple[np.ndarray, float]:
    """Exact minimiser (w, b) of J by the normal equations on centred data."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean  # centring takes the intercept out of the problem
    # grad J = 0  <=>  (Xc^T Xc + n*l2*I) w = Xc^T yc   (the n comes from the 1/n in the mean loss)
    w = np.linalg.solve(Xc.T @ Xc + l2 * np.eye(d), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


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
        grad_b = r.mean()  # no penalty on the intercept
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, float(b)


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Predictions X @ w + b, shape (n,)."""
    return np.asarray(X, dtype=np.float64) @ w + b
