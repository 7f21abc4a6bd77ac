# mlprep drill: ranking_metrics
"""Ranking metrics at k for one user's recommendations. Run the public examples with
`pytest test_ranking_metrics_examples.py` and grade with `mlprep grade ranking_metrics.py`."""

from __future__ import annotations

import numpy as np


def precision_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Relevant items among the first k ranked, divided by k.

    ranked: (n,) distinct item ids, best first. relevance: (n_items,) graded relevance, > 0 is relevant.
    """
    raise NotImplementedError("precision_at_k")


def recall_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Relevant items among the first k ranked, divided by all relevant items (0.0 if none)."""
    raise NotImplementedError("recall_at_k")


def hit_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """1.0 if any of the first k ranked items is relevant, else 0.0."""
    raise NotImplementedError("hit_at_k")


def dcg_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Sum over ranks i = 1..k of (2**rel_i - 1) / log2(i + 1)."""
    raise NotImplementedError("dcg_at_k")


def ndcg_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """DCG@k divided by the DCG@k of the ideal ranking of all items (0.0 if that is 0)."""
    raise NotImplementedError("ndcg_at_k")
