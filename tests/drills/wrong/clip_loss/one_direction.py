# mlprep drill: clip_loss
# expect: AND text-to-image
# Mistake: only the image-to-text (row) cross-entropy

from __future__ import annotations

import numpy as np


def _l2_normalise(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def clip_logits(image_emb: np.ndarray, text_emb: np.ndarray, temperature: float) -> np.ndarray:
    """(n, n) cosine similarities divided by the temperature: rows are images, columns texts."""
    img = _l2_normalise(np.asarray(image_emb, dtype=np.float64))
    txt = _l2_normalise(np.asarray(text_emb, dtype=np.float64))
    return img @ txt.T / temperature


def _diagonal_cross_entropy(logits: np.ndarray) -> float:
    """Mean over rows of -log softmax(row)[i]: the right answer of row i is column i."""
    shifted = logits - logits.max(axis=1, keepdims=True)  # stable log-softmax
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.diag(log_p).mean())


def clip_loss(image_emb: np.ndarray, text_emb: np.ndarray, temperature: float = 0.07) -> float:
    """Symmetric InfoNCE: the mean of image-to-text and text-to-image cross-entropy."""
    logits = clip_logits(image_emb, text_emb, temperature)
    # rows: image -> text; the transpose's rows are the columns: text -> image
    return _diagonal_cross_entropy(logits)
