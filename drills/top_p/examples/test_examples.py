"""Public examples for top_p: run `pytest` next to your top_p.py."""

import numpy as np
from top_p import top_p_sample

LOGITS = np.log(np.array([0.5, 0.3, 0.15, 0.05]))


def test_small_p_is_greedy():
    """a p below the top probability keeps only the most likely token"""
    draws = top_p_sample(np.tile(LOGITS, (50, 1)), p=0.4, seed=0)
    assert draws.shape == (50,) and set(draws.tolist()) == {0}


def test_nucleus_of_two():
    """p = 0.75 keeps the two most likely tokens"""
    draws = top_p_sample(np.tile(LOGITS, (500, 1)), p=0.75, seed=1)
    assert set(draws.tolist()) == {0, 1}


def test_single_distribution_gives_one_index():
    """a 1-D input gives a single integer index"""
    index = top_p_sample(LOGITS, p=0.9, seed=2)
    assert isinstance(index, (int, np.integer)) and index in (0, 1, 2)
