"""Public examples for naive_bayes: run `pytest` next to your naive_bayes.py."""

import numpy as np
from naive_bayes import gaussian_nb, multinomial_nb


def test_gaussian_two_clusters():
    """two far-apart clusters: each test row goes to its own cluster, columns in sorted label order"""
    X = np.array([[1.0, 0.0], [2.0, 0.0], [8.0, 1.0], [9.0, 1.0]])
    y = np.array([5, 5, 2, 2])
    labels, log_proba = gaussian_nb(X, y, np.array([[1.5, 0.0], [8.5, 1.0]]))
    assert labels.tolist() == [5, 2]
    assert log_proba.shape == (2, 2) and np.allclose(np.exp(log_proba).sum(1), 1.0)
    assert np.exp(log_proba[0, 1]) > 0.999  # column 1 is label 5


def test_multinomial_with_laplace_smoothing():
    """theta(word 0) = (5 + 1) / (6 + 3) for class 0 and (0 + 1) / (5 + 3) for class 1"""
    C = np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1]], dtype=float)
    labels, log_proba = multinomial_nb(C, np.array([0, 0, 1]), np.array([[1.0, 0.0, 0.0]]))
    joint = np.log([2 / 3 * 6 / 9, 1 / 3 * 1 / 8])
    assert labels.tolist() == [0]
    assert np.allclose(log_proba, joint - np.log(np.exp(joint).sum()))
