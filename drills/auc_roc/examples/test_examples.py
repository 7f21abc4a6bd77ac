"""Public examples for auc_roc: run `pytest` next to your auc_roc.py."""

import numpy as np
from auc_roc import roc_auc, roc_curve

y = np.array([0, 0, 1, 1, 0, 1])
s = np.array([0.1, 0.4, 0.35, 0.8, 0.4, 0.4])


def test_curve_with_a_tie():
    """the three examples scored 0.4 move the curve in one diagonal step"""
    fpr, tpr, thresholds = roc_curve(y, s)
    assert np.allclose(fpr, [0, 0, 2 / 3, 2 / 3, 1])
    assert np.allclose(tpr, [0, 1 / 3, 2 / 3, 1, 1])
    assert np.array_equal(thresholds, [np.inf, 0.8, 0.4, 0.35, 0.1])


def test_auc_counts_ties_as_half():
    """AUC = (5 right pairs + 2 ties / 2) / 9"""
    assert np.isclose(roc_auc(y, s), 6 / 9)


def test_extremes():
    """a perfect ranking scores 1, all-equal scores 0.5"""
    assert np.isclose(roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])), 1.0)
    assert np.isclose(roc_auc(np.array([0, 1, 0, 1]), np.full(4, 0.7)), 0.5)
