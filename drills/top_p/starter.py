# mlprep drill: top_p
"""Nucleus (top-p) sampling in numpy. Run the public examples with
`pytest test_top_p_examples.py` and grade with `mlprep grade top_p.py`."""

from __future__ import annotations

import numpy as np


def top_p_sample(logits: np.ndarray, p: float, temperature: float = 1.0, seed: int | None = None):
    """Draw one token index per distribution from its nucleus.

    logits: shape (V,) or (B, V), any float dtype.
    p: keep the most likely tokens up to the first whose cumulative probability reaches p.
    temperature: > 0; logits are divided by it before the softmax.
    seed: seed for np.random.default_rng, so draws are repeatable.
    Returns an int for (V,) input, an integer array of shape (B,) for (B, V) input.
    """
    raise NotImplementedError("top_p_sample")
