"""Hidden tests for similarity: scipy's distances and np.corrcoef as oracles for the measures,
a per-item loop for the recommender's scores, and properties (invariance, ties, rated items)."""

import numpy as np
import pytest
from scipy.spatial import distance

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close


def pair(seed, d=12, sparse=False):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=d) + 0.5, rng.normal(size=d) + 0.5
    if sparse:
        a, b = a * (rng.random(d) < 0.5), b * (rng.random(d) < 0.5)
    return a, b


def ratings_matrix(seed, users=30, items=12, density=0.4):
    rng = np.random.default_rng(seed)
    return np.where(rng.random((users, items)) < density, rng.integers(1, 6, (users, items)), 0).astype(np.float64)


def test_cosine(solution, tolerance):
    """cosine equals 1 - scipy's cosine distance, and is 0.0 for a zero vector"""
    for seed in range(5):
        a, b = pair(seed)
        centred = 1 - distance.cosine(a - a.mean(), b - b.mean())
        assert_float_close(solution.cosine(a, b), 1 - distance.cosine(a, b), "cosine of two random vectors", {
            "cosine does not subtract the means (that is Pearson)": centred}, **tolerance)
    assert_float_close(solution.cosine(np.zeros(4), np.ones(4)), 0.0, "cosine with a zero vector")


def test_jaccard(solution, tolerance):
    """Jaccard equals 1 - scipy's Jaccard distance over the nonzero positions; both empty gives 0.0"""
    for seed in range(5):
        a, b = pair(seed, d=20, sparse=True)
        A, B = a != 0, b != 0
        wrong = np.count_nonzero(A & B) / (np.count_nonzero(A) + np.count_nonzero(B))
        assert_float_close(solution.jaccard(a, b), 1 - distance.jaccard(A, B), "Jaccard of two sparse vectors", {
            "the union counts each member once: |A | B|, not |A| + |B|": wrong}, **tolerance)
    assert_float_close(solution.jaccard(np.zeros(5), np.zeros(5)), 0.0, "Jaccard of two empty sets")


def test_pearson(solution, tolerance):
    """Pearson equals np.corrcoef, ignores each vector's offset and scale, and is 0.0 for a constant"""
    for seed in range(5):
        a, b = pair(seed)
        assert_float_close(solution.pearson(a, b), np.corrcoef(a, b)[0, 1], "Pearson of two random vectors", {
            "Pearson subtracts each vector's mean before the cosine": 1 - distance.cosine(a, b)}, **tolerance)
    a, _ = pair(9)
    assert_float_close(solution.pearson(a, 3 * a + 10), 1.0, "Pearson of a and 3a + 10 (same ratings, shifted)",
                       {"Pearson subtracts each vector's mean before the cosine": 1 - distance.cosine(a, 3 * a + 10)},
                       **tolerance)
    assert_float_close(solution.pearson(np.full(6, 4.0), a[:6]), 0.0, "Pearson with a constant vector")


def test_item_similarity(solution, tolerance):
    """item_similarity is the cosine between item columns (0 for an item nobody rated)"""
    R = ratings_matrix(1)
    R[:, 3] = 0.0
    got = expect_array(solution.item_similarity(R), "item_similarity", kinds="f")
    if got.shape == (R.shape[0], R.shape[0]):
        fail(f"item_similarity: got shape {got.shape}, a user-by-user matrix; compare item columns, not user rows")
    expected = np.nan_to_num(1 - distance.cdist(R.T, R.T, "cosine"))
    expected[3, :] = expected[:, 3] = 0.0
    centred = R - R.mean(axis=0)
    norms = np.linalg.norm(centred, axis=0)
    unit = centred / np.where(norms > 0, norms, 1)
    assert_close_or_named(got, expected, "item_similarity", {
        "item_similarity is the plain cosine of the columns; do not centre them (that is Pearson)": unit.T @ unit},
        **tolerance)


def loop_scores(R, user, normalise=True):
    """The prompt's formula, one unrated item at a time (or without the denominator)."""
    cols = [R[:, j] for j in range(R.shape[1])]
    rated = [j for j in range(R.shape[1]) if R[user, j] > 0]
    scores = {}
    for i in range(R.shape[1]):
        if R[user, i] > 0:
            continue
        sims = [1 - distance.cosine(cols[i], cols[j]) if cols[i].any() and cols[j].any() else 0.0 for j in rated]
        den = sum(abs(s) for s in sims) if normalise else 1.0
        scores[i] = sum(s * R[user, j] for s, j in zip(sims, rated, strict=True)) / den if den > 0 else 0.0
    return scores


def ranking(scores, n):
    return sorted(scores, key=lambda i: (-scores[i], i))[:n]


def check_recommendations(got, R, user, n, what):
    got = expect_array(got, what, kinds="iu")
    expected = ranking(loop_scores(R, user), n)
    rated = [int(i) for i in got.ravel() if 0 <= i < R.shape[1] and R[user, i] > 0]
    if rated:
        fail(f"{what}: recommended item {rated[0]}, which the user already rated; rank only unrated items")
    if got.shape != (len(expected),):
        fail(f"{what}: expected {len(expected)} item ids, got shape {got.shape}")
    if list(got) == expected:
        return
    if list(got) == ranking(loop_scores(R, user, normalise=False), n):
        fail(f"{what}: expected items {expected}, got {[int(i) for i in got]}: divide each score by the sum of "
             "|s[i, j]| over the items j the user rated (a weighted average, not a weighted sum)")
    if sorted(got) == sorted(expected):
        fail(f"{what}: the right items in the wrong order: best score first, ties to the smaller id")
    fail(f"{what}: expected items {expected} (best first), got {[int(i) for i in got]}")


@pytest.mark.parametrize("user", [0, 7, 12], ids=["user 0", "user 7", "user 12"])
def test_recommend(solution, user):
    """recommend returns the unrated items with the highest similarity-weighted average rating"""
    R = ratings_matrix(2, items=15)
    check_recommendations(solution.recommend(R, user, 4), R, user, 4, f"recommend(user={user}, n=4)")


def test_recommend_ties_and_short_lists(solution):
    """equal scores go to the smaller item id; n larger than the unrated items returns them all"""
    R = ratings_matrix(3, items=8)
    R[:, 6] = R[:, 2]  # items 2 and 6 are identical columns
    R[0] = [4, 0, 0, 5, 3, 0, 0, 1]
    check_recommendations(solution.recommend(R, 0, 2), R, 0, 2, "recommend with two identical items")
    check_recommendations(solution.recommend(R, 0, 10), R, 0, 10, "recommend(n=10) with 4 unrated items")
