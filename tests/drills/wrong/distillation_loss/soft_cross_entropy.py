# mlprep drill: distillation_loss
# expect: temperature 1, not the softened
# Mistake: the hard-label cross-entropy uses the softened student logits

from __future__ import annotations

import numpy as np


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)  # stable: the largest exponent is exp(0)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def distillation_loss(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
                      temperature: float = 2.0, alpha: float = 0.5) -> float:
    """alpha * T^2 * mean_i KL(p_i || q_i) + (1 - alpha) * mean_i CE(student_i, label_i)."""
    s = np.asarray(student_logits, dtype=np.float64)
    t = np.asarray(teacher_logits, dtype=np.float64)
    n = len(s)
    log_p = _log_softmax(t / temperature)  # teacher, softened
    log_q = _log_softmax(s / temperature)  # student, softened
    # KL(p || q) per example, summed over classes; p * (log p - log q) is 0 where p underflows
    kl = (np.exp(log_p) * (log_p - log_q)).sum(axis=1).mean()  # "batchmean"
    ce = -log_q[np.arange(n), labels].mean()
    return float(alpha * temperature**2 * kl + (1 - alpha) * ce)


def distillation_grad(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
                      temperature: float = 2.0, alpha: float = 0.5) -> np.ndarray:
    """Gradient of distillation_loss with respect to the student logits, (N, C)."""
    s = np.asarray(student_logits, dtype=np.float64)
    t = np.asarray(teacher_logits, dtype=np.float64)
    n = len(s)
    p = np.exp(_log_softmax(t / temperature))
    q = np.exp(_log_softmax(s / temperature))
    onehot = np.zeros_like(s)
    onehot[np.arange(n), labels] = 1.0
    # d/ds of T^2 KL(p || softmax(s / T)) is T^2 * (q - p) / T = T * (q - p)
    return (alpha * temperature * (q - p) + (1 - alpha) * (np.exp(_log_softmax(s)) - onehot)) / n
