"""Public examples for mlp_backprop: run `pytest` next to your mlp_backprop.py."""

import math

import numpy as np
from mlp_backprop import mlp_forward, mlp_loss_and_grads

X = np.array([[1.0, -2.0]])
W1, b1 = np.array([[1.0, 0.0], [0.0, -1.0]]), np.zeros(2)  # h = relu([1, 2]) = [1, 2]
W2, b2 = np.zeros((2, 3)), np.zeros(3)  # every class equally likely


def test_forward_shape():
    """the logits have shape (N, C)"""
    assert mlp_forward(X, W1, b1, W2, b2).shape == (1, 3)


def test_uniform_prediction():
    """with W2 = 0 the loss is log 3 and dlogits is softmax - one_hot"""
    loss, grads = mlp_loss_and_grads(X, np.array([1]), W1, b1, W2, b2)
    assert math.isclose(loss, math.log(3))
    np.testing.assert_allclose(grads["b2"], [1 / 3, -2 / 3, 1 / 3])
    np.testing.assert_allclose(grads["W2"], np.outer([1.0, 2.0], [1 / 3, -2 / 3, 1 / 3]))
    np.testing.assert_allclose(grads["W1"], 0.0)  # W2 = 0: nothing flows back to the first layer
