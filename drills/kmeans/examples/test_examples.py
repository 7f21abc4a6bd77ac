"""Public examples for kmeans: run `pytest` next to your kmeans.py."""

import numpy as np
from kmeans import kmeans, kmeans_plus_plus

X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])


def test_two_obvious_clusters():
    """two pairs of points make two clusters with inertia 1"""
    centers, labels, inertia = kmeans(X, 2, seed=0)
    assert sorted(centers.tolist()) == [[0.0, 0.5], [10.0, 0.5]]
    assert labels[0] == labels[1] != labels[2] == labels[3]
    assert np.isclose(inertia, 1.0)


def test_seeds_are_data_points():
    """k-means++ returns rows of X"""
    centers = kmeans_plus_plus(X, 3, seed=1)
    assert centers.shape == (3, 2)
    assert all(any(np.array_equal(c, x) for x in X) for c in centers)
