"""Public examples for decision_tree_split: run `pytest` next to your decision_tree_split.py."""

import numpy as np
from decision_tree_split import best_split, impurity

X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 7.0], [4.0, 7.0]])
y = np.array([0, 0, 1, 1])


def test_impurity_of_an_even_node():
    """half and half: Gini 0.5, entropy 1 bit; a pure node: 0"""
    assert np.isclose(impurity(y), 0.5)
    assert np.isclose(impurity(y, "entropy"), 1.0)
    assert impurity(np.array([3, 3, 3])) == 0.0


def test_perfect_split_at_a_midpoint():
    """both features separate the classes; feature 0 wins the tie, at the midpoint 2.5"""
    feature, threshold, gain = best_split(X, y)
    assert (feature, threshold) == (0, 2.5)
    assert np.isclose(gain, 0.5)


def test_no_allowed_split():
    """min_samples_leaf=3 leaves no allowed split among 4 samples"""
    assert best_split(X, y, min_samples_leaf=3) is None
