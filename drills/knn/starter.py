# mlprep drill: knn
"""k-nearest neighbours classification and regression, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade knn.py`."""

from __future__ import annotations

import numpy as np


def kneighbors(X_train: np.ndarray, X_query: np.ndarray | None, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(distances (m, k), indices (m, k)), nearest first, equal distances by smaller training index.
    X_query=None: leave-one-out, each training row against the others."""
    raise NotImplementedError("kneighbors")


def knn_classify(X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray | None, k: int,
                 weights: str = "uniform") -> np.ndarray:
    """Label with the largest (weight 1 or 1/distance) vote; equal votes go to the smallest label."""
    raise NotImplementedError("knn_classify")


def knn_regress(X_train: np.ndarray, y_train: np.ndarray, X_query: np.ndarray | None, k: int,
                weights: str = "uniform") -> np.ndarray:
    """Weighted mean target of the k nearest neighbours, (m,) float64."""
    raise NotImplementedError("knn_regress")
