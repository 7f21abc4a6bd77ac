"""Public examples for linear_regression: run `pytest` next to your linear_regression.py."""

import numpy as np
from linear_regression import fit_closed_form, fit_gradient_descent, predict

X = np.array([[0.0], [1.0], [2.0]])
y = np.array([1.0, 3.0, 5.0])


def test_exact_line():
    """points on y = 2x + 1 give w = [2] and b = 1"""
    w, b = fit_closed_form(X, y)
    assert np.allclose(w, [2.0]) and np.isclose(b, 1.0)


def test_gradient_descent_reaches_the_line():
    """gradient descent reaches the same line"""
    w, b = fit_gradient_descent(X, y, lr=0.3, steps=2000)
    assert np.allclose(w, [2.0], atol=1e-6) and np.isclose(b, 1.0, atol=1e-6)


def test_predict():
    """predict is X @ w + b"""
    assert np.allclose(predict(X, np.array([2.0]), 1.0), y)
