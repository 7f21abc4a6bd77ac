"""Public examples for label_smoothing_ce: run `pytest` next to your label_smoothing_ce.py."""

import math

import numpy as np
from label_smoothing_ce import smoothed_cross_entropy, smoothed_cross_entropy_grad

LOGITS = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
TARGETS = np.array([0, -100])  # the second row is padding


def test_ignored_row_does_not_count():
    """only row 0 counts: -log softmax([2, 0, 0])[0]"""
    expected = -(2.0 - math.log(math.exp(2.0) + 2.0))
    assert math.isclose(smoothed_cross_entropy(LOGITS, TARGETS), expected)


def test_smoothing_mixes_in_the_uniform_loss():
    """with smoothing 0.3: 0.7 * nll + 0.3 * mean over the 3 classes of -logp"""
    logp = LOGITS[0] - math.log(math.exp(2.0) + 2.0)
    expected = 0.7 * -logp[0] + 0.3 * -logp.mean()
    assert math.isclose(smoothed_cross_entropy(LOGITS, TARGETS, smoothing=0.3), expected)


def test_gradient_rows():
    """the ignored row's gradient is zero"""
    grad = smoothed_cross_entropy_grad(LOGITS, TARGETS, smoothing=0.3)
    assert grad.shape == (2, 3)
    np.testing.assert_array_equal(grad[1], 0.0)
