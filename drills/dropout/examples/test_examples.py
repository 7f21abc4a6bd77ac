"""Public examples for dropout: run `pytest` next to your dropout.py."""

import numpy as np
from dropout import dropout


def test_survivors_are_rescaled():
    """with p = 0.5 every element is 0 or doubled"""
    out = dropout(np.ones((2, 4)), p=0.5, seed=0)
    assert out.shape == (2, 4)
    assert set(np.unique(out).tolist()) <= {0.0, 2.0}


def test_eval_is_identity():
    """training=False returns x unchanged"""
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(dropout(x, p=0.5, training=False), x)


def test_mean_is_preserved():
    """on a large array the mean stays close to the input's"""
    out = dropout(np.ones(100_000), p=0.2, seed=1)
    assert abs(out.mean() - 1.0) < 0.01
