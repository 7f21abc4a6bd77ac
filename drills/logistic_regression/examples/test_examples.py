"""Public examples for logistic_regression: run `pytest` next to your logistic_regression.py."""

import numpy as np
from logistic_regression import fit, loss, predict, predict_proba

X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
y = np.array([0.0, 0.0, 1.0, 1.0])


def test_separates_a_line():
    """a fitted model classifies four points on a line correctly"""
    w, b = fit(X, y, l2=0.1)
    assert predict(X, w, b).tolist() == [0, 0, 1, 1]


def test_loss_at_zero_is_log2():
    """with w = 0 and b = 0 every probability is 1/2 and the loss is log 2"""
    assert np.isclose(loss(X, y, np.zeros(1), 0.0), np.log(2.0))


def test_probabilities():
    """predict_proba is the sigmoid of X @ w + b"""
    assert np.allclose(predict_proba(X, np.array([1.0]), 0.0), 1 / (1 + np.exp(-X[:, 0])))
