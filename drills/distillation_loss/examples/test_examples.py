"""Public examples for distillation_loss: run `pytest` next to your distillation_loss.py."""

import numpy as np
from distillation_loss import distillation_grad, distillation_loss

s = np.array([[2.0, 0.0, -1.0]])
t = np.array([[1.0, 1.0, -2.0]])


def test_student_equals_teacher():
    """the soft term is 0 when the student equals the teacher"""
    assert abs(distillation_loss(s, s, np.array([0]), temperature=3.0, alpha=1.0)) < 1e-12


def test_value():
    """a small worked example"""
    assert np.isclose(distillation_loss(s, t, np.array([0]), temperature=2.0, alpha=0.5), 0.315461, atol=1e-6)


def test_gradient_shape():
    """the gradient has the shape of the student's logits"""
    assert distillation_grad(s, t, np.array([0])).shape == (1, 3)
