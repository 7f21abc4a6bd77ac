"""Public examples for top_k: run `pytest` next to your top_k.py."""

import numpy as np
from top_k import top_k_sample


def test_k1_is_greedy():
    """k = 1 picks the largest logit"""
    assert top_k_sample(np.array([1.0, 3.0, 2.0, -1.0]), k=1) == 1


def test_only_top_two_come_out():
    """with k = 2 only the two largest logits are drawn"""
    draws = top_k_sample(np.tile([1.0, 3.0, 2.0, -1.0], (200, 1)), k=2, seed=0)
    assert draws.shape == (200,)
    assert set(draws.tolist()) <= {1, 2}


def test_single_distribution_gives_one_index():
    """a 1-D input gives a single integer index"""
    index = top_k_sample(np.zeros(5), k=3, seed=1)
    assert isinstance(index, (int, np.integer)) and 0 <= index < 5
