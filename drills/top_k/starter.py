# mlprep drill: top_k
"""Top-k sampling with temperature, in numpy. Run the public examples with
`pytest test_top_k_examples.py` and grade with `mlprep grade top_k.py`."""

from __future__ import annotations

import numpy as np


def top_k_sample(logits: np.ndarray, k: int, temperature: float = 1.0, seed: int | None = None):
    """Draw one token index per distribution from the k most likely tokens.

    logits: shape (V,) or (B, V), any float dtype.
    k: keep the k largest logits (all of them when k >= V).
    temperature: > 0; logits are divided by it before the softmax.
    seed: seed for np.random.default_rng, so draws are repeatable.
    Returns an int for (V,) input, an integer array of shape (B,) for (B, V) input.
    """
    raise NotImplementedError("top_k_sample")
