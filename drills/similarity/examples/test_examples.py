"""Public examples for similarity: run `pytest` next to your similarity.py."""

import numpy as np
from similarity import cosine, jaccard, pearson, recommend


def test_cosine():
    """45 degrees apart: cosine 1/sqrt(2)"""
    assert np.isclose(cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 1 / np.sqrt(2))


def test_jaccard_and_pearson():
    """{0,1} and {1,2} share 1 of 3 items; y = 2x + noise is strongly correlated"""
    assert np.isclose(jaccard(np.array([1.0, 2.0, 0.0]), np.array([0.0, 5.0, 3.0])), 1 / 3)
    assert np.isclose(pearson(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 7.0])), 0.9933992677987828)


def test_recommend_the_only_unrated_item():
    """user 0 has not rated item 2, so it is the one recommendation"""
    ratings = np.array([[5.0, 4.0, 0.0, 1.0], [4.0, 5.0, 4.0, 0.0], [1.0, 0.0, 1.0, 5.0]])
    assert list(recommend(ratings, 0, 1)) == [2]
