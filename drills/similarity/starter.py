# mlprep drill: similarity
"""Similarity measures and item-item collaborative filtering. Run the public examples with
`pytest test_similarity_examples.py` and grade with `mlprep grade similarity.py`."""

from __future__ import annotations

import numpy as np


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """a . b / (|a| |b|); 0.0 when either vector is all zeros."""
    raise NotImplementedError("cosine")


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|A & B| / |A | B| over the nonzero positions; 0.0 when both are empty."""
    raise NotImplementedError("jaccard")


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation coefficient (cosine of the mean-centred vectors); 0.0 when either is constant."""
    raise NotImplementedError("pearson")


def item_similarity(ratings: np.ndarray) -> np.ndarray:
    """(n_items, n_items) cosine similarity between the item columns of (n_users, n_items) ratings."""
    raise NotImplementedError("item_similarity")


def recommend(ratings: np.ndarray, user: int, n: int) -> np.ndarray:
    """Ids of the n unrated items with the highest item-item scores for `user`, best first."""
    raise NotImplementedError("recommend")
