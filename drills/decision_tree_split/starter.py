# mlprep drill: decision_tree_split
"""Best decision tree split by Gini or entropy gain, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade decision_tree_split.py`."""

from __future__ import annotations

import numpy as np


def impurity(y: np.ndarray, criterion: str = "gini") -> float:
    """Gini (1 - sum p_k^2) or entropy (-sum p_k log2 p_k) of the labels y, (n,)."""
    raise NotImplementedError("impurity")


def best_split(X: np.ndarray, y: np.ndarray, criterion: str = "gini",
               min_samples_leaf: int = 1) -> tuple[int, float, float] | None:
    """(feature, threshold, gain) of the best split X[:, feature] <= threshold, or None.

    Thresholds are midpoints between consecutive distinct values; ties go to the smallest
    feature, then the smallest threshold."""
    raise NotImplementedError("best_split")
