# mlprep drill: naive_bayes
"""Gaussian and multinomial naive Bayes in log space, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade naive_bayes.py`."""

from __future__ import annotations

import numpy as np


def gaussian_nb(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                var_smoothing: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """(labels (m,), log_proba (m, K)); classes are the sorted distinct labels of y_train.
    Variances: per class, divided by the count, plus var_smoothing * max feature variance of X_train."""
    raise NotImplementedError("gaussian_nb")


def multinomial_nb(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                   alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(labels (m,), log_proba (m, K)) with theta_cj = (N_cj + alpha) / (N_c + alpha * d)."""
    raise NotImplementedError("multinomial_nb")
