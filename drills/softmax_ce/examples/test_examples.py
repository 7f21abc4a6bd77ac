"""Public examples for softmax_ce: run `pytest` next to your softmax_ce.py."""

import math

import numpy as np
from softmax_ce import cross_entropy, log_softmax, softmax


def test_softmax_small():
    """softmax of [1, 2, 3]"""
    np.testing.assert_allclose(softmax(np.array([1.0, 2.0, 3.0])), [0.09003057, 0.24472847, 0.66524096], rtol=1e-6)


def test_log_softmax_far_below_max():
    """log_softmax stays finite 800 below the maximum"""
    np.testing.assert_allclose(log_softmax(np.array([0.0, -800.0])), [0.0, -800.0], atol=1e-9)


def test_cross_entropy_uniform():
    """uniform logits over 4 classes give log(4)"""
    assert math.isclose(cross_entropy(np.zeros((2, 4)), np.array([0, 3])), math.log(4))
