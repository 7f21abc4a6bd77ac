# mlprep drill: auc_roc
"""ROC curve and AUC with tied scores, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade auc_roc.py`."""

from __future__ import annotations

import numpy as np


def roc_curve(y_true: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds), float64 of length (number of distinct scores + 1): the first point
    is (0, 0) at threshold +inf, then one point per distinct score, highest first."""
    raise NotImplementedError("roc_curve")


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (trapezoidal rule); tied scores count one half."""
    raise NotImplementedError("roc_auc")
