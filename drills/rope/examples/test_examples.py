"""Public examples for rope: run `pytest` next to your rope.py."""

import numpy as np
from rope import apply_rope, rope_attention


def test_one_radian():
    """position 1 turns pair 0 by one radian"""
    x = np.array([[1.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(apply_rope(x, np.array([1])), [[np.cos(1.0), 0.0, np.sin(1.0), 0.0]], atol=1e-12)


def test_position_zero_is_identity():
    """position 0 leaves the vector unchanged"""
    x = np.random.default_rng(0).normal(size=(1, 6))
    np.testing.assert_allclose(apply_rope(x, np.array([0])), x)


def test_attention_shape():
    """rope_attention keeps the shape"""
    x = np.random.default_rng(1).normal(size=(2, 5, 8))
    assert rope_attention(x, x, x, np.arange(5)).shape == (2, 5, 8)
