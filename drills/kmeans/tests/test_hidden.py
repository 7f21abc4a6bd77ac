"""Hidden tests for kmeans: scikit-learn's KMeans inertia as the oracle, Lloyd's fixed-point
properties, and the D^2 sampling law of k-means++ (a frequency test with fixed seeds)."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from mlprep.drills.compare import chi_square_p, expect_array, fail
from mlprep.drills.scalars import assert_float_close, expect_float


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """scikit-learn on one thread: its thread pool costs more than it saves on 600 points."""
    with threadpool_limits(1):
        yield


def blobs(seed):
    return make_blobs(n_samples=600, centers=6, cluster_std=1.5, random_state=seed)[0]


def run(solution, X, k, what, **kw):
    result = solution.kmeans(X, k, **kw)
    if type(result) not in (tuple, list) or len(result) != 3:
        fail(f"{what}: expected (centers, labels, inertia), got {type(result).__name__}")
    centers = expect_array(result[0], f"{what}: centers", shape=(k, X.shape[1]), kinds="f")
    labels = expect_array(result[1], f"{what}: labels", shape=(len(X),), kinds="iu")
    return centers, labels, expect_float(result[2], f"{what}: inertia")


@pytest.mark.parametrize("seed", [0, 1, 2], ids=["blobs 0", "blobs 1", "blobs 2"])
def test_inertia_close_to_sklearn(solution, seed):
    """inertia within 1% of scikit-learn's KMeans on the same data"""
    X = blobs(seed)
    centers, labels, _ = run(solution, X, 6, "kmeans(k=6)", seed=seed)
    if labels.min() < 0 or labels.max() >= 6:
        fail(f"labels must lie in [0, 6); got values from {labels.min()} to {labels.max()}")
    inertia = float(((X - centers[labels]) ** 2).sum())  # of the clustering returned, not the number reported
    theirs = KMeans(6, n_init=10, random_state=seed).fit(X).inertia_
    if not inertia <= 1.01 * theirs:  # "not <=" also catches nan
        fail(f"inertia {inertia:.1f} is more than 1% above scikit-learn's {theirs:.1f} on the same 600 points")


def test_lloyd_fixed_point(solution):
    """each point is labelled with its nearest centre and each centre is the mean of its points"""
    X = blobs(3)
    centers, labels, inertia = run(solution, X, 6, "kmeans(k=6)", seed=3)
    d2 = ((X[:, None, :] - centers[None]) ** 2).sum(-1)
    if np.any(d2[np.arange(len(X)), labels] > d2.min(1) + 1e-9):
        fail("some points are not labelled with their nearest returned centre")
    for j in range(6):
        if np.any(labels == j) and not np.allclose(centers[j], X[labels == j].mean(0), atol=1e-9):
            fail(f"centre {j} is not the mean of its points: keep iterating until no label changes")
    total = float(d2[np.arange(len(X)), labels].sum())
    assert_float_close(inertia, total, "inertia", {
        "inertia is the sum of *squared* distances; you summed the distances":
            float(np.sqrt(d2[np.arange(len(X)), labels]).sum()),
    })


def test_one_cluster(solution):
    """k = 1: the centre is the mean and the inertia the total sum of squares"""
    X = blobs(4)[:50]
    centers, labels, inertia = run(solution, X, 1, "kmeans(k=1)", seed=0)
    if not np.allclose(centers[0], X.mean(0), atol=1e-9) or np.any(labels != 0):
        fail("with k = 1 the centre must be the mean of all points and every label 0")
    assert_float_close(inertia, float(((X - X.mean(0)) ** 2).sum()), "inertia for k = 1")


def test_seed_repeatable(solution):
    """the same seed gives the same clustering"""
    X = blobs(5)
    a, b = run(solution, X, 6, "seed 7", seed=7), run(solution, X, 6, "seed 7 again", seed=7)
    if not (np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])):
        fail("two calls with seed=7 gave different clusterings")


def test_seeds_are_distinct_rows(solution):
    """k-means++ returns k distinct rows of X"""
    X = blobs(6)
    got = expect_array(solution.kmeans_plus_plus(X, 6, seed=0), "kmeans_plus_plus(k=6)", shape=(6, 2), kinds="f")
    rows = {tuple(x) for x in X}
    if not all(tuple(c) in rows for c in got):
        fail("a k-means++ centre is not a row of X")
    if len({tuple(c) for c in got}) < 6:
        fail("k-means++ chose the same point twice")


def test_seeding_covers_far_clusters(solution):
    """k-means++ puts one seed in each of five far-apart tight clusters"""
    rng = np.random.default_rng(0)
    X = np.repeat(np.eye(5) * 1000.0, 40, axis=0) + rng.normal(size=(200, 5))
    for seed in range(8):
        got = expect_array(solution.kmeans_plus_plus(X, 5, seed=seed), "kmeans_plus_plus(k=5)",
                           shape=(5, 5), kinds="f")
        if len(set(np.argmax(got, axis=1).tolist())) < 5:
            fail(f"seed {seed}: two k-means++ centres fell in the same far-away cluster; choose each "
                 "new centre with probability proportional to its squared distance D(x)^2")


def test_d_squared_law(solution):
    """the second k-means++ centre follows the D^2 distribution"""
    # 48 points at 0, one at 1 and one at 3: when the first centre is at 0, the second is the
    # point at 3 with probability 9 / (1 + 9) = 0.9 (0.75 if weighted by D instead of D^2).
    X = np.concatenate([np.zeros(48), [1.0, 3.0]])[:, None]
    far = near = 0
    for seed in range(400):
        c = expect_array(solution.kmeans_plus_plus(X, 2, seed=seed), "kmeans_plus_plus(k=2)", shape=(2, 1), kinds="f")
        if c[0, 0] == 0.0:
            far += c[1, 0] == 3.0
            near += c[1, 0] == 1.0
    share = far / max(far + near, 1)
    if abs(share - 0.9) > 0.06:
        weights = "D rather than D^2" if abs(share - 0.75) < 0.06 else "something other than D^2"
        fail(f"from a first centre at 0, the point at distance 3 was chosen {share:.2f} of the time "
             f"against 0.90 for the one at distance 1 (D^2 weights 9 : 1); your weights look like {weights}")


def test_first_centre_uniform(solution):
    """the first k-means++ centre is drawn uniformly from the rows of X"""
    X = np.arange(6.0)[:, None] * 10.0  # six distinct rows
    counts = np.zeros(6, dtype=np.int64)
    for seed in range(300):
        c = expect_array(solution.kmeans_plus_plus(X, 1, seed=seed), "kmeans_plus_plus(k=1)", shape=(1, 1), kinds="f")
        row = np.flatnonzero(X[:, 0] == c[0, 0])
        if row.size != 1:
            fail(f"kmeans_plus_plus(k=1) returned {c[0, 0]!r}, which is not a row of X")
        counts[row[0]] += 1
    if chi_square_p(counts, np.full(6, 1 / 6)) < 1e-4:
        fail(f"over 300 seeds, the first centre fell on the six rows of X {counts.tolist()} times: the first "
             "k-means++ centre must be drawn uniformly at random from the rows (each 50 times, give or take)")
