"""Hidden tests for ranking_metrics: set counting, DCG term by term, and the ideal DCG found by
trying every ordering of a small catalogue as oracles; the classic mistakes are named when a
result equals what they give."""

import math
from itertools import permutations

import numpy as np
import pytest

from mlprep.drills.compare import fail
from mlprep.drills.scalars import assert_float_close, expect_float

OFF_BY_ONE = "off by one: the top k is ranked[:k], exactly k places; this looks like the first k {}"


def user(seed: int, n_items: int = 40, n_ranked: int = 15, graded: bool = True):
    rng = np.random.default_rng(seed)
    relevance = np.where(rng.random(n_items) < 0.3, rng.integers(1, 4, n_items), 0).astype(np.float64)
    if not graded:
        relevance = (relevance > 0).astype(np.float64)
    ranked = rng.permutation(n_items)[:n_ranked].astype(np.int64)
    return ranked, relevance


def hits(ranked, relevance, k):
    relevant = {int(i) for i in np.flatnonzero(relevance > 0)}
    return len(relevant & {int(i) for i in ranked[:k]}), len(relevant)


def dcg_terms(ranked, relevance, k):
    """DCG@k written out one rank at a time."""
    return sum((2.0 ** relevance[item] - 1) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1))


def best_dcg(relevance, k):
    """The ideal DCG@k by brute force: the best of every ordering of k items of the catalogue."""
    return max(dcg_terms(np.array(order), relevance, k) for order in permutations(range(len(relevance)), k))


def dcg_variants(ranked, relevance, k):
    """What common wrong DCGs give: natural log, linear gain, a discount one place late."""
    rel = relevance[ranked[:k]]
    i = np.arange(1, len(rel) + 1)
    gain = np.exp2(rel) - 1
    return {
        "the discount is log2(i + 1); this looks like the natural log": float(np.sum(gain / np.log(i + 1))),
        "the gain is 2**rel - 1 (exponential); this looks like the raw relevance": float(np.sum(rel / np.log2(i + 1))),
        "the discount is off by one: rank 1 is divided by log2(2) = 1": float(np.sum(gain / np.log2(i + 2))),
    }


@pytest.mark.parametrize("k", [1, 5, 10], ids=["k=1", "k=5", "k=10"])
def test_precision_recall_hit(solution, tolerance, k):
    """precision@k, recall@k and hit@k count the relevant items among the first k"""
    for seed in range(4):
        ranked, relevance = user(seed)
        h, n_rel = hits(ranked, relevance, k)
        h_plus, _ = hits(ranked, relevance, k + 1)
        h_minus, _ = hits(ranked, relevance, k - 1)
        assert_float_close(solution.precision_at_k(ranked, relevance, k), h / k, f"precision@{k}",
                           {OFF_BY_ONE.format("+ 1"): h_plus / k, OFF_BY_ONE.format("- 1"): h_minus / k}, **tolerance)
        assert_float_close(solution.recall_at_k(ranked, relevance, k), h / n_rel, f"recall@{k}", {
            "recall divides by the number of relevant items, not by k": h / k,
            OFF_BY_ONE.format("+ 1"): h_plus / n_rel}, **tolerance)
        assert_float_close(solution.hit_at_k(ranked, relevance, k), float(h > 0), f"hit@{k}", {
            "hit@k is 1.0 or 0.0 (is any of the top k relevant?), not a count": float(h)}, **tolerance)


def test_short_list(solution, tolerance):
    """k larger than the list: precision still divides by k (missing places are misses)"""
    ranked, relevance = user(7, n_ranked=4)
    h, n_rel = hits(ranked, relevance, 10)
    assert_float_close(solution.precision_at_k(ranked, relevance, 10), h / 10, "precision@10 of 4 items", {
        "precision@k divides by k even when fewer than k items were ranked": h / 4}, **tolerance)
    assert_float_close(solution.recall_at_k(ranked, relevance, 10), h / n_rel, "recall@10 of 4 items", **tolerance)


def test_no_relevant_items(solution, tolerance):
    """a user with no relevant item: recall and NDCG are 0.0, not nan"""
    ranked, relevance = np.arange(5), np.zeros(8)
    for name in ("recall_at_k", "ndcg_at_k", "precision_at_k", "hit_at_k"):
        value = expect_float(getattr(solution, name)(ranked, relevance, 3), f"{name}, no relevant items")
        if value != 0.0:
            fail(f"{name} with no relevant item must be 0.0 (define 0/0 as 0), got {value}")


@pytest.mark.parametrize("k", [1, 4, 12], ids=["k=1", "k=4", "k=12"])
def test_dcg_graded(solution, tolerance, k):
    """DCG@k with graded relevance: gains 2**rel - 1, discounts log2(rank + 1)"""
    for seed in range(4):
        ranked, relevance = user(10 + seed)
        expected = dcg_terms(ranked, relevance, k)
        got = solution.dcg_at_k(ranked, relevance, k)
        if not np.isfinite(expect_float(got, f"DCG@{k}")):
            fail(f"DCG@{k} is {got}: rank 1 must be divided by log2(1 + 1) = 1, never by log2(1) = 0")
        assert_float_close(got, expected, f"DCG@{k}", dcg_variants(ranked, relevance, k), **tolerance)


@pytest.mark.parametrize("graded", [False, True], ids=["binary", "graded"])
def test_ndcg(solution, tolerance, graded):
    """NDCG@k divides by the best DCG@k any ordering of the whole catalogue reaches"""
    for seed in range(5):
        ranked, relevance = user(20 + seed, n_items=7, n_ranked=4, graded=graded)
        k = 3
        dcg = dcg_terms(ranked, relevance, k)
        ideal = best_dcg(relevance, k)
        own_ideal = best_dcg(relevance[ranked], k) if len(ranked) >= k else 0.0
        mistakes = {}
        if own_ideal > 0:
            mistakes["the ideal DCG sorts the relevance of ALL items, not only of the items you ranked"] = dcg / own_ideal
        expected = dcg / ideal if ideal > 0 else 0.0
        assert_float_close(solution.ndcg_at_k(ranked, relevance, k), expected, f"NDCG@{k}", mistakes, **tolerance)


def test_ndcg_properties(solution, tolerance):
    """the ideal order scores NDCG 1.0; moving the best item from rank 1 to rank 2 lowers it"""
    relevance = np.array([0.0, 1.0, 3.0, 0.0, 2.0, 1.0])
    best = np.array([2, 4, 1, 5, 0, 3])
    assert_float_close(solution.ndcg_at_k(best, relevance, 4), 1.0, "NDCG@4 of the ideal order", **tolerance)
    swapped = np.array([4, 2, 1, 5, 0, 3])
    if expect_float(solution.ndcg_at_k(swapped, relevance, 4), "NDCG@4, top two swapped") >= 1.0:
        fail("NDCG@4 did not drop when the most relevant item moved from rank 1 to rank 2")
