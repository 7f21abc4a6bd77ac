"""Public examples for sinusoidal_pe: run `pytest` next to your sinusoidal_pe.py."""

import numpy as np
from sinusoidal_pe import sinusoidal_pe


def test_first_two_positions():
    """the table for 2 positions and d_model = 4"""
    expected = [[0.0, 1.0, 0.0, 1.0], [0.84147098, 0.54030231, 0.00999983, 0.99995]]
    np.testing.assert_allclose(sinusoidal_pe(2, 4), expected, rtol=1e-6, atol=1e-8)


def test_shape():
    """shape (n_positions, d_model)"""
    assert sinusoidal_pe(10, 6).shape == (10, 6)
