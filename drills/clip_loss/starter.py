# mlprep drill: clip_loss
"""CLIP's symmetric contrastive loss, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade clip_loss.py`."""

from __future__ import annotations

import numpy as np


def clip_logits(image_emb: np.ndarray, text_emb: np.ndarray, temperature: float) -> np.ndarray:
    """(n, n) cosine similarities of L2-normalised rows, divided by the temperature."""
    raise NotImplementedError("clip_logits")


def clip_loss(image_emb: np.ndarray, text_emb: np.ndarray, temperature: float = 0.07) -> float:
    """(cross-entropy over rows + cross-entropy over columns) / 2, with targets on the diagonal."""
    raise NotImplementedError("clip_loss")
