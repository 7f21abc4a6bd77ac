# mlprep drill: linear_regression
"""Linear regression with an L2 penalty: closed form and batch gradient descent, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade linear_regression.py`."""

from __future__ import annotations

import numpy as np


def fit_closed_form(X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> tuple[np.ndarray, float]:
    """Exact minimiser (w, b) of 1/(2n)||Xw + b - y||^2 + (l2/2)||w||^2; b is not penalised."""
    raise NotImplementedError("fit_closed_form")


def fit_gradient_descent(X: np.ndarray, y: np.ndarray, l2: float = 0.0,
                         lr: float = 0.1, steps: int = 1000) -> tuple[np.ndarray, float]:
    """Batch gradient descent on the same objective from w = 0, b = 0; returns (w, b)."""
    raise NotImplementedError("fit_gradient_descent")


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """X @ w + b, shape (n,)."""
    raise NotImplementedError("predict")
