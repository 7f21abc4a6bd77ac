"""Public examples for focal_loss: run `pytest` next to your focal_loss.py."""

import numpy as np
from focal_loss import binary_focal_loss, focal_loss

z = np.array([2.0, -1.0, 0.5])
y = np.array([1.0, 0.0, 0.0])


def test_binary_value():
    """a small binary example, with and without alpha"""
    assert np.isclose(binary_focal_loss(z, y), 0.13395774040103917)
    assert np.isclose(binary_focal_loss(z, y, alpha=0.25), 0.10016771149490598)


def test_gamma_zero_is_cross_entropy():
    """gamma = 0 gives the ordinary cross-entropy"""
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 3.0]])
    assert np.isclose(focal_loss(logits, np.array([0, 1]), gamma=0.0), 1.6323844879886233)
