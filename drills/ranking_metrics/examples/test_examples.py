"""Public examples for ranking_metrics: run `pytest` next to your ranking_metrics.py."""

import numpy as np
from ranking_metrics import dcg_at_k, hit_at_k, ndcg_at_k, precision_at_k, recall_at_k

relevance = np.array([0.0, 3.0, 0.0, 1.0, 2.0])  # items 1, 3 and 4 are relevant
ranked = np.array([1, 0, 3])


def test_precision_and_recall():
    """one relevant item in the top 2: precision 1/2, recall 1/3"""
    assert np.isclose(precision_at_k(ranked, relevance, 2), 0.5)
    assert np.isclose(recall_at_k(ranked, relevance, 2), 1 / 3)


def test_hit():
    """the first item is relevant, so hit@1 is 1"""
    assert hit_at_k(ranked, relevance, 1) == 1.0


def test_dcg_and_ndcg():
    """DCG@3 = 7 + 0 + 1/2; NDCG@3 divides by the ideal order 1, 4, 3"""
    assert np.isclose(dcg_at_k(ranked, relevance, 3), 7.5)
    assert np.isclose(ndcg_at_k(ranked, relevance, 3), 7.5 / (7 + 3 / np.log2(3) + 0.5))
