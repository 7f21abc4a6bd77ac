# mlprep drill: distillation_loss
"""Knowledge-distillation loss and its gradient, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade distillation_loss.py`."""

from __future__ import annotations

import numpy as np


def distillation_loss(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
                      temperature: float = 2.0, alpha: float = 0.5) -> float:
    """alpha * T^2 * batch-mean KL(softmax(teacher/T) || softmax(student/T))
    + (1 - alpha) * mean cross-entropy of the student's logits against the labels."""
    raise NotImplementedError("distillation_loss")


def distillation_grad(student_logits: np.ndarray, teacher_logits: np.ndarray, labels: np.ndarray,
                      temperature: float = 2.0, alpha: float = 0.5) -> np.ndarray:
    """d distillation_loss / d student_logits, shape (N, C)."""
    raise NotImplementedError("distillation_grad")
