# mlprep drill: logistic_regression
"""Binary logistic regression with an L2 penalty, trained by batch gradient descent, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade logistic_regression.py`."""

from __future__ import annotations

import numpy as np


def fit(X: np.ndarray, y: np.ndarray, l2: float = 0.0, lr: float = 0.5,
        steps: int = 2000) -> tuple[np.ndarray, float]:
    """Batch gradient descent from w = 0, b = 0 on mean cross-entropy + (l2/2)||w||^2; returns (w, b)."""
    raise NotImplementedError("fit")


def loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, l2: float = 0.0) -> float:
    """Mean binary cross-entropy plus (l2/2)||w||^2, finite for any logits."""
    raise NotImplementedError("loss")


def predict_proba(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """sigmoid(X @ w + b), shape (n,)."""
    raise NotImplementedError("predict_proba")


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Integer labels (n,): 1 where the probability is >= 0.5, else 0."""
    raise NotImplementedError("predict")
