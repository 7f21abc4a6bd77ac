# mlprep drill: similarity
# expect: not |A| + |B|
# Mistake: the union is |A| + |B|, counting shared members twice
"""Reference solution: cosine, Jaccard and Pearson similarity, and item-item collaborative
filtering (weighted average of the user's own ratings, weighted by item similarity)."""

from __future__ import annotations

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """a . b / (|a| |b|), defined as 0.0 when either vector has no length."""
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return float(np.dot(a, b) / norms) if norms > 0 else 0.0


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of the nonzero positions."""
    A, B = np.asarray(a) != 0, np.asarray(b) != 0
    union = np.count_nonzero(A) + np.count_nonzero(B)
    return np.count_nonzero(A & B) / union if union else 0.0


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine after centring: removes each rater's own offset (some people rate everything high)."""
    return cosine(a - np.mean(a), b - np.mean(b))


def item_similarity(ratings: np.ndarray) -> np.ndarray:
    """Cosine between every pair of item columns, with one matrix product."""
    R = np.asarray(ratings, dtype=np.float64)  # (U, I)
    norms = np.linalg.norm(R, axis=0)  # (I,)
    unit = R / np.where(norms > 0, norms, 1.0)  # all-zero columns stay zero
    return unit.T @ unit  # (I, I)


def recommend(ratings: np.ndarray, user: int, n: int) -> np.ndarray:
    """Top-n unrated items by the similarity-weighted average of the user's ratings."""
    R = np.asarray(ratings, dtype=np.float64)
    s = item_similarity(R)
    rated = R[user] > 0
    num = s[:, rated] @ R[user, rated]  # (I,) sum_j s[i, j] r[user, j] over rated j
    den = np.abs(s[:, rated]).sum(axis=1)
    score = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    candidates = np.flatnonzero(~rated)
    order = np.argsort(-score[candidates], kind="stable")  # stable: ties keep the smaller id first
    return candidates[order][:n].astype(np.int64)
