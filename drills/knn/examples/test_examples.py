"""Public examples for knn: run `pytest` next to your knn.py."""

import numpy as np
from knn import kneighbors, knn_classify, knn_regress

X = np.array([[0.0], [1.0], [2.0], [10.0]])
y = np.array([7, 3, 3, 7])


def test_distance_tie_goes_to_the_smaller_index():
    """points 0 and 1 are equally far from 0.5: index 0 comes first"""
    dist, idx = kneighbors(X, np.array([[0.5]]), 2)
    assert np.allclose(dist, [[0.5, 0.5]]) and idx.tolist() == [[0, 1]]


def test_vote_tie_goes_to_the_smaller_label():
    """one vote each for 7 and 3: the smaller label wins"""
    assert knn_classify(X, y, np.array([[0.5]]), 2).tolist() == [3]


def test_distance_weights_on_a_training_point():
    """a query on a training point takes that point's target"""
    assert np.allclose(knn_regress(X, y.astype(float), np.array([[1.0]]), 3, weights="distance"), [3.0])


def test_leave_one_out():
    """with X_query=None a point is never its own neighbour"""
    assert knn_classify(X, y, None, 1).tolist() == [3, 7, 3, 3]
