# mlprep drill: ranking_metrics
# expect: exponential
# Mistake: the DCG gain is the raw relevance instead of 2**rel - 1
"""Reference solution: ranking metrics at k (precision, recall, hit, DCG, NDCG) for one user."""

from __future__ import annotations

import numpy as np


def _top_relevance(ranked: np.ndarray, relevance: np.ndarray, k: int) -> np.ndarray:
    """Relevance of the first k ranked items (fewer when fewer were ranked)."""
    return np.asarray(relevance, dtype=np.float64)[np.asarray(ranked)[:k]]


def _hits(ranked: np.ndarray, relevance: np.ndarray, k: int) -> int:
    return int(np.count_nonzero(_top_relevance(ranked, relevance, k) > 0))


def precision_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Relevant items among the first k, over k (missing places count as misses)."""
    return _hits(ranked, relevance, k) / k


def recall_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """Relevant items among the first k, over all the user's relevant items."""
    n_relevant = int(np.count_nonzero(np.asarray(relevance) > 0))
    return _hits(ranked, relevance, k) / n_relevant if n_relevant else 0.0


def hit_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """1.0 when at least one of the first k items is relevant."""
    return float(_hits(ranked, relevance, k) > 0)


def _dcg(rel: np.ndarray) -> float:
    """Exponential gain 2^rel - 1 discounted by log2(rank + 1), ranks starting at 1."""
    discounts = np.log2(np.arange(2, len(rel) + 2))
    return float(np.sum((rel) / discounts))


def dcg_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    return _dcg(_top_relevance(ranked, relevance, k))


def ndcg_at_k(ranked: np.ndarray, relevance: np.ndarray, k: int) -> float:
    """DCG over the DCG of the ideal ranking of *all* items (not only the ranked ones)."""
    ideal = _dcg(np.sort(np.asarray(relevance, dtype=np.float64))[::-1][:k])
    return dcg_at_k(ranked, relevance, k) / ideal if ideal > 0 else 0.0
