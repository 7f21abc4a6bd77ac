"""Public examples for vectorize: run `pytest` next to your vectorize.py."""

import numpy as np
from vectorize import iou_matrix

a = np.array([[0.0, 0.0, 2.0, 2.0]])
b = np.array([[1.0, 1.0, 3.0, 3.0], [5.0, 5.0, 6.0, 6.0]])


def test_small_example():
    """overlap 1 over union 7; a disjoint pair gives 0"""
    assert np.allclose(iou_matrix(a, b), [[1 / 7, 0.0]])


def test_identity_and_symmetry():
    """a box with itself has IoU 1, and iou_matrix(b, a) is iou_matrix(a, b) transposed"""
    assert np.allclose(np.diag(iou_matrix(b, b)), 1.0)
    assert np.allclose(iou_matrix(b, a), iou_matrix(a, b).T)
