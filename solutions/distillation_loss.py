# mlprep drill: distillation_loss
"""Knowledge-distillation loss (Hinton et al.), as in the PyTorch snippet of the TensorFlow note.

The student learns from two targets at once:
  * soft targets: the teacher's probabilities at temperature T, p = softmax(teacher / T),
    matched by KL(p || q) with q = softmax(student / T), averaged over the batch;
  * hard targets: the true labels, by ordinary cross-entropy at temperature 1.
loss = alpha * T^2 * KL + (1 - alpha) * CE. The T^2 keeps the soft term's gradient, which
shrinks like 1/T^2 as the temperature softens both distributions, on the same scale as the
hard term's whatever T is used (the gradient below shows it: the soft part is alpha * T * (q - p) / N).
"""

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
    ce = -_log_softmax(s)[np.arange(n), labels].mean()  # hard labels at temperature 1
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
