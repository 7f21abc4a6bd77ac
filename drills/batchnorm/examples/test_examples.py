"""Public examples for batchnorm: run `pytest` next to your batchnorm.py."""

import numpy as np
from batchnorm import batchnorm_forward

X = np.array([[1.0], [3.0]])  # one channel: mean 2, biased variance 1, unbiased variance 2
ONE, ZERO = np.ones(1), np.zeros(1)


def test_training_step():
    """training normalises with the biased variance and tracks the unbiased one"""
    y, rm, rv = batchnorm_forward(X, ONE, ZERO, ZERO, ONE, training=True, eps=0.0)
    np.testing.assert_allclose(y[:, 0], [-1.0, 1.0])
    np.testing.assert_allclose(rm, [0.9 * 0.0 + 0.1 * 2.0])
    np.testing.assert_allclose(rv, [0.9 * 1.0 + 0.1 * 2.0])


def test_eval_uses_running_statistics():
    """eval normalises with the running statistics and returns them unchanged"""
    y, rm, rv = batchnorm_forward(X, ONE, ZERO, np.array([2.0]), np.array([4.0]), training=False, eps=0.0)
    np.testing.assert_allclose(y[:, 0], [-0.5, 0.5])
    np.testing.assert_array_equal(rm, [2.0])
    np.testing.assert_array_equal(rv, [4.0])
