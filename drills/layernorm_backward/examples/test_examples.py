"""Public examples for layernorm_backward: run `pytest` next to your layernorm_backward.py."""

import numpy as np
from layernorm_backward import layernorm_backward, layernorm_forward

X = np.array([[1.0, 2.0, 3.0, 6.0]])  # mean 3, biased variance 3.5


def test_forward_standardises_each_row():
    """with gamma = 1, beta = 0, eps = 0 each row gets mean 0 and (biased) variance 1"""
    y = layernorm_forward(X, np.ones(4), np.zeros(4), eps=0.0)
    np.testing.assert_allclose(y, (X - 3.0) / np.sqrt(3.5))


def test_uniform_upstream_gradient():
    """a dout that is the same everywhere cannot change a normalised vector: dx = 0"""
    dx, dgamma, dbeta = layernorm_backward(np.ones((1, 4)), X, np.ones(4))
    np.testing.assert_allclose(dx, 0.0, atol=1e-12)
    np.testing.assert_allclose(dbeta, np.ones(4))
    np.testing.assert_allclose(dgamma, (X[0] - 3.0) / np.sqrt(3.5 + 1e-5))
