"""Public examples for attention: run `pytest` next to your attention.py."""

import numpy as np
from attention import attention


def test_equal_scores_average_the_values():
    """equal scores give the mean of the values"""
    q = np.zeros((1, 2))
    k = np.array([[1.0, 0.0], [0.0, 1.0]])
    v = np.array([[1.0], [3.0]])
    np.testing.assert_allclose(attention(q, k, v), [[2.0]])


def test_first_token_sees_itself():
    """with the causal mask the first token attends only to itself"""
    x = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_allclose(attention(x, x, x, causal=True)[0], x[0])


def test_shape():
    """batch axes are kept: (2, 5, 4) queries, (2, 6, 4) keys, (2, 6, 3) values"""
    rng = np.random.default_rng(1)
    out = attention(rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 6, 4)), rng.normal(size=(2, 6, 3)))
    assert out.shape == (2, 5, 3)
