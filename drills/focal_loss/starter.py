# mlprep drill: focal_loss
"""Binary and multiclass focal loss with optional class weights, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade focal_loss.py`."""

from __future__ import annotations

import numpy as np


def binary_focal_loss(logits: np.ndarray, targets: np.ndarray, gamma: float = 2.0,
                      alpha: float | None = None) -> float:
    """Mean of -alpha_t * (1 - p_t)^gamma * log(p_t) with p = sigmoid(logits); alpha weights
    positives, 1 - alpha negatives (None: no weighting)."""
    raise NotImplementedError("binary_focal_loss")


def focal_loss(logits: np.ndarray, targets: np.ndarray, gamma: float = 2.0,
               weights: np.ndarray | None = None) -> float:
    """Mean of -weights[y] * (1 - p_y)^gamma * log(p_y) with p = softmax(logits) per row."""
    raise NotImplementedError("focal_loss")
