# mlprep drill: focal_loss
# expect: not alpha
# Mistake: alpha multiplies every example, negatives included

from __future__ import annotations

import numpy as np


def binary_focal_loss(logits: np.ndarray, targets: np.ndarray, gamma: float = 2.0,
                      alpha: float | None = None) -> float:
    """Mean over examples of -alpha_t * (1 - p_t)^gamma * log(p_t), with p = sigmoid(logits)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    s = 2.0 * y - 1.0  # +1 for positives, -1 for negatives: p_t = sigmoid(s * z)
    log_pt = -np.logaddexp(0.0, -s * z)  # log sigmoid(s z), no overflow, never log(0)
    one_minus_pt = np.exp(-np.logaddexp(0.0, s * z))  # sigmoid(-s z), exact even when tiny
    loss = -(one_minus_pt**gamma) * log_pt
    if alpha is not None:
        loss = alpha * loss
    return float(loss.mean())


def focal_loss(logits: np.ndarray, targets: np.ndarray, gamma: float = 2.0,
               weights: np.ndarray | None = None) -> float:
    """Mean over examples of -w[y] * (1 - p_y)^gamma * log(p_y), with p = softmax(logits)."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(targets)
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # stable log-softmax (N, C)
    log_pt = log_p[np.arange(len(y)), y]  # (N,) log-probability of the true class
    one_minus_pt = -np.expm1(log_pt)  # 1 - p_y without cancellation when p_y is near 1
    loss = -(one_minus_pt**gamma) * log_pt
    if weights is not None:
        loss = np.asarray(weights, dtype=np.float64)[y] * loss  # weight of the *true* class
    return float(loss.mean())  # divided by N, not by the sum of the weights
