"""Hidden tests for knn: scikit-learn's brute-force KNeighborsClassifier / KNeighborsRegressor on
continuous data (no ties), and a pure-Python oracle that follows the stated tie rules on integer
grids full of equal distances, duplicates and split votes. Classic mistakes are named when a
result equals what they give."""

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from threadpoolctl import threadpool_limits

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised

BANNED = {"sklearn", "scipy", "torch"}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """scikit-learn on one thread: its thread pool costs more than it saves on 80 points."""
    with threadpool_limits(1):
        yield


def continuous(seed, n=80, m=25, d=3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=(m, d)), rng


def grid(seed, n=40, m=12, d=2, size=4):
    """Integer points: many equal distances and duplicate rows."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, size, (n, d)).astype(np.float64), rng.integers(0, size, (m, d)).astype(np.float64), rng


def oracle_neighbours(X, Q, k, include_self=False):
    """Per query: [(distance, index)] for the k nearest, sorted by (distance, index)."""
    loo = Q is None
    rows = []
    for qi, q in enumerate(X if loo else Q):
        cand = sorted((math.dist(q, x), i) for i, x in enumerate(X) if include_self or not (loo and i == qi))
        rows.append(cand[:k])
    return rows


def oracle_weights(near, weights, partial=False):
    """``partial``: the mistake of weighting exact matches 1 but keeping 1 / d for the others."""
    if weights == "uniform":
        return [1.0] * len(near)
    if any(dist == 0 for dist, _ in near):
        return [1.0 if dist == 0 else (1 / dist if partial else 0.0) for dist, _ in near]
    return [1 / dist for dist, _ in near]


def oracle_classify(X, y, Q, k, weights="uniform", tie="smallest", include_self=False):
    out = []
    for near in oracle_neighbours(X, Q, k, include_self):
        votes = {}
        for w, (_, i) in zip(oracle_weights(near, weights), near, strict=True):
            votes[int(y[i])] = votes.get(int(y[i]), 0.0) + w
        top = max(votes.values())
        tied = [label for label, v in votes.items() if v == top]  # in order of first (nearest) vote
        out.append({"smallest": min(tied), "largest": max(tied), "nearest": tied[0]}[tie])
    return np.array(out, dtype=y.dtype)


def oracle_regress(X, y, Q, k, weights="uniform", include_self=False, partial=False):
    out = []
    for near in oracle_neighbours(X, Q, k, include_self):
        w = oracle_weights(near, weights, partial)
        out.append(sum(wi * y[i] for wi, (_, i) in zip(w, near, strict=True)) / sum(w))
    return np.array(out)


def neighbours(solution, X, Q, k, what):
    got = solution.kneighbors(X, Q, k)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: expected (distances, indices), got {type(got).__name__}")
    m = len(X) if Q is None else len(Q)
    return (expect_array(got[0], f"{what}: distances", shape=(m, k), kinds="f"),
            expect_array(got[1], f"{what}: indices", shape=(m, k), kinds="iu"))


def check_neighbours(solution, X, Q, k, what):
    dist, idx = neighbours(solution, X, Q, k, what)
    near = oracle_neighbours(X, Q, k)
    want_d = np.array([[dd for dd, _ in row] for row in near])
    want_i = np.array([[i for _, i in row] for row in near])
    if Q is None and np.any(idx == np.arange(len(X))[:, None]):
        fail(f"{what}: leave-one-out: a point must not be its own neighbour (row i's neighbours exclude "
             "index i; other rows equal to it still count)")
    assert_close_or_named(dist, want_d, f"{what}: distances", {
        "distances are Euclidean (with the square root), not squared": want_d**2,
    }, rtol=1e-9, atol=1e-12)
    if not np.array_equal(idx, want_i):
        r, c = np.argwhere(idx != want_i)[0]
        if set(idx[r].tolist()) == set(want_i[r].tolist()) or np.isclose(dist[r, c], want_d[r, c]):
            fail(f"{what}: distance ties: query {r} has several training points at distance {want_d[r, c]:g}; "
                 f"equal distances are ordered by training index, smaller first (a stable sort): expected "
                 f"indices {want_i[r].tolist()}, got {idx[r].tolist()}")
        fail(f"{what}: query {r}: expected neighbour indices {want_i[r].tolist()}, got {idx[r].tolist()}")


def check_labels(got, expected, what, alternatives):
    got = expect_array(got, what, shape=expected.shape, kinds="iu")
    if np.array_equal(got, expected):
        return
    for message, alt in alternatives.items():
        if alt is not None and np.array_equal(got, alt):
            fail(f"{what}: {message}")
    r = int(np.flatnonzero(got != expected)[0])
    fail(f"{what}: {int(np.sum(got != expected))} of {len(got)} labels differ; query {r}: expected "
         f"{expected[r]}, got {got[r]}")


VOTE_TIES = "vote ties: among labels with equal totals the smallest label wins"


@pytest.mark.parametrize("k", [1, 6], ids=["k=1", "k=6"])
def test_kneighbors_matches_sklearn(solution, k):
    """distances and indices equal scikit-learn's kneighbors"""
    X, Q, _ = continuous(k)
    dist, idx = neighbours(solution, X, Q, k, f"kneighbors (k={k})")
    ref_d, ref_i = KNeighborsRegressor(n_neighbors=k, algorithm="brute").fit(X, np.zeros(len(X))).kneighbors(Q)
    assert_close_or_named(dist, ref_d, f"kneighbors (k={k}): distances", {
        "distances are Euclidean (with the square root), not squared": ref_d**2,
    }, rtol=1e-9, atol=1e-12)
    if not np.array_equal(idx, ref_i):
        fail(f"kneighbors (k={k}): the neighbour indices differ from scikit-learn's (nearest first)")


def test_distance_ties(solution):
    """equal distances: the smaller training index comes first and decides the k nearest"""
    for seed in range(3):
        X, Q, _ = grid(seed)
        check_neighbours(solution, X, Q, 5, f"kneighbors on an integer grid (k=5, grid {seed})")


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_classify_matches_sklearn(solution, weights):
    """labels equal scikit-learn's KNeighborsClassifier"""
    X, Q, rng = continuous(10)
    y = rng.choice(np.array([9, 2, 5]), len(X))
    for k in (1, 5, 8):
        ref = KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute").fit(X, y).predict(Q)
        kw = {} if weights == "uniform" else {"weights": weights}
        check_labels(solution.knn_classify(X, y, Q, k, **kw), ref, f"knn_classify (k={k}, {weights})", {
            f"{VOTE_TIES}; you took the largest": oracle_classify(X, y, Q, k, weights, tie="largest"),
            f"{VOTE_TIES}; you took the label of the nearest tied neighbour":
                oracle_classify(X, y, Q, k, weights, tie="nearest"),
        })


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_regress_matches_sklearn(solution, tolerance, weights):
    """predictions equal scikit-learn's KNeighborsRegressor"""
    X, Q, rng = continuous(20)
    y = rng.normal(size=len(X)) * 3 + 1
    for k in (1, 4, 9):
        ref = KNeighborsRegressor(n_neighbors=k, weights=weights, algorithm="brute").fit(X, y).predict(Q)
        kw = {} if weights == "uniform" else {"weights": weights}
        got = solution.knn_regress(X, y, Q, k, **kw)
        dist = np.sort(np.sqrt(((Q[:, None] - X[None]) ** 2).sum(-1)), axis=1)[:, :k]
        idx = np.argsort(np.sqrt(((Q[:, None] - X[None]) ** 2).sum(-1)), axis=1, kind="stable")[:, :k]
        mistakes = {} if weights == "uniform" else {
            "distance weights are 1 / distance, not 1 / distance**2": (y[idx] / dist**2).sum(1) / (1 / dist**2).sum(1),
        }
        assert_close_or_named(got, ref, f"knn_regress (k={k}, {weights})", mistakes, **tolerance)


def test_vote_ties(solution):
    """equal vote totals go to the smallest label, with either weighting"""
    X = np.array([[1.0], [-1.0], [2.0], [-2.0], [6.0]])
    y = np.array([5, 2, 5, 2, 9])
    Q = np.array([[0.0]])
    for k, weights in ((4, "uniform"), (2, "uniform"), (2, "distance"), (4, "distance")):
        what = f"knn_classify (k={k}, {weights}; labels 5 and 2 tie)"
        check_labels(solution.knn_classify(X, y, Q, k, weights=weights), np.array([2]), what, {
            f"{VOTE_TIES}; you took the label of the nearest tied neighbour": np.array([5]),
        })
    for seed in range(2):
        Xg, Qg, rng = grid(30 + seed, m=30)
        yg = rng.choice(np.array([4, 1, 3]), len(Xg))
        expected = oracle_classify(Xg, yg, Qg, 4)
        check_labels(solution.knn_classify(Xg, yg, Qg, 4), expected, "knn_classify (k=4) on an integer grid", {
            f"{VOTE_TIES}; you took the largest": oracle_classify(Xg, yg, Qg, 4, tie="largest"),
            f"{VOTE_TIES}; you took the label of the nearest tied neighbour": oracle_classify(Xg, yg, Qg, 4, tie="nearest"),
        })


def test_zero_distance(solution, tolerance):
    """distance weights: a query on training points uses only those points, weight 1 each"""
    X = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    y = np.array([7.0, 100.0, 1.0, 50.0, 20.0])
    Q = np.array([[0.0, 0.0], [3.0, 4.0], [0.5, 0.0]])
    got = solution.knn_regress(X, y, Q, 3, weights="distance")
    if type(got) is np.ndarray and got.shape == (3,) and not np.all(np.isfinite(got)):
        fail("knn_regress (distance weights) returned nan or inf for a query on a training point: when a "
             "neighbour is at distance 0, only the neighbours at distance 0 count, each with weight 1")
    assert_close_or_named(got, oracle_regress(X, y, Q, 3, "distance"), "knn_regress (distance weights), queries on "
                          "training points", {
                              "with a neighbour at distance 0, only the neighbours at distance 0 count (the others "
                              "get weight 0, not 1 / distance)": oracle_regress(X, y, Q, 3, "distance", partial=True),
                          }, **tolerance)
    ring = np.array([[0.25, 0.0], [-0.25, 0.0], [0.0, 0.25], [0.0, -0.25]])
    Xc = np.vstack([np.zeros((2, 2)), ring])
    labels = np.array([5, 5, 2, 2, 2, 2])
    check_labels(solution.knn_classify(Xc, labels, np.zeros((1, 2)), 6, weights="distance"), np.array([5]),
                 "knn_classify (distance weights), query on two training points", {
                     "with a neighbour at distance 0, only the neighbours at distance 0 vote (the others get "
                     "weight 0, not 1 / distance)": np.array([2]),
                 })


@pytest.mark.parametrize("k", [1, 5], ids=["k=1", "k=5"])
def test_leave_one_out(solution, tolerance, k):
    """X_query=None: each training point against the others, as scikit-learn's predict(None)"""
    X, _, rng = continuous(40 + k, n=60)
    labels = rng.choice(np.array([0, 3]), len(X))
    targets = rng.normal(size=len(X))
    ref = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X, labels).predict(None)
    check_labels(solution.knn_classify(X, labels, None, k), ref, f"knn_classify leave-one-out (k={k})", {
        "leave-one-out: a point must not be its own neighbour": oracle_classify(X, labels, None, k, include_self=True),
    })
    ref = KNeighborsRegressor(n_neighbors=k, weights="distance", algorithm="brute").fit(X, targets).predict(None)
    assert_close_or_named(solution.knn_regress(X, targets, None, k, weights="distance"), ref,
                          f"knn_regress leave-one-out (k={k}, distance)", {
                              "leave-one-out: a point must not be its own neighbour":
                                  oracle_regress(X, targets, None, k, "distance", include_self=True),
                          }, **tolerance)
    Xg, _, _ = grid(50 + k, n=30)  # duplicates: a copy of row i stays a neighbour of row i
    check_neighbours(solution, Xg, None, k, f"kneighbors leave-one-out on a grid with duplicates (k={k})")


def test_k_is_everything(solution, tolerance):
    """k = n uses every training point (k = n - 1 in leave-one-out)"""
    X, Q, rng = continuous(60, n=15, m=4)
    labels, targets = rng.choice(np.array([1, 6]), 15), rng.normal(size=15)
    majority = np.array([1 if np.sum(labels == 1) >= np.sum(labels == 6) else 6] * 4)
    check_labels(solution.knn_classify(X, labels, Q, 15), majority, "knn_classify with k = n", {})
    assert_close_or_named(solution.knn_regress(X, targets, Q, 15), np.full(4, targets.mean()),
                          "knn_regress with k = n (the mean of every target)", {}, **tolerance)
    loo = (targets.sum() - targets) / 14
    assert_close_or_named(solution.knn_regress(X, targets, None, 14), loo,
                          "knn_regress leave-one-out with k = n - 1 (the mean of the other targets)", {},
                          **tolerance)


def test_bad_weights(solution):
    """an unknown weights value raises ValueError"""
    X = np.eye(3)
    for fn, y in (("knn_classify", np.array([0, 1, 1])), ("knn_regress", np.array([0.0, 1.0, 2.0]))):
        try:
            got = getattr(solution, fn)(X, y, X, 2, weights="gaussian")
        except SolutionRaised as exc:
            if "raised ValueError" not in str(exc):
                fail(f"{fn} with weights='gaussian' should raise ValueError; {exc}")
            continue
        fail(f"{fn} with weights='gaussian' should raise ValueError, but it returned {type(got).__name__}")


def imported_banned(source: str) -> set[str]:
    """Banned top-level modules the source imports (or names in a string, as for __import__)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & BANNED
    return found


def test_numpy_only(solution):
    """numpy only: a working knn_classify with no scikit-learn, scipy or torch"""
    X, Q, rng = grid(70)
    y = rng.choice(np.array([2, 4]), len(X))
    check_labels(solution.knn_classify(X, y, Q, 3), oracle_classify(X, y, Q, 3), "knn_classify (k=3)", {})
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: find the neighbours and count the votes with numpy alone")
