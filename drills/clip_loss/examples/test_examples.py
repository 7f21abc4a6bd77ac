"""Public examples for clip_loss: run `pytest` next to your clip_loss.py."""

import numpy as np
from clip_loss import clip_logits, clip_loss

img = np.array([[1.0, 0.0], [0.0, 2.0]])
txt = np.array([[3.0, 0.0], [0.0, 1.0]])


def test_logits_are_scaled_cosines():
    """the logits are cosine similarities divided by the temperature"""
    assert np.allclose(clip_logits(img, txt, temperature=0.5), [[2.0, 0.0], [0.0, 2.0]])


def test_two_pairs():
    """two orthogonal pairs: each row and column has one right answer at logit 2"""
    assert np.isclose(clip_loss(img, txt, temperature=0.5), np.log1p(np.exp(-2.0)))
