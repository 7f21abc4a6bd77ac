"""Hidden tests for pca: scikit-learn's PCA as the oracle (compared up to the sign of each
component), plus orthonormality and the named classic mistakes."""

import numpy as np
import pytest
from sklearn.decomposition import PCA
from threadpoolctl import threadpool_limits

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    with threadpool_limits(1):
        yield


def data(n, d, seed):
    """Correlated features with distinct variances and a mean far from zero."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) @ (rng.normal(size=(d, d)) * np.linspace(3, 0.5, d)[:, None]) + 10.0


def run(solution, X, k):
    got = solution.pca(X, k)
    if type(got) not in (tuple, list) or len(got) != 4:
        fail(f"pca: expected (components, explained_variance, explained_variance_ratio, mean), got {type(got).__name__}")
    d = X.shape[1]
    return (expect_array(got[0], "components", shape=(k, d), kinds="f"),
            expect_array(got[1], "explained_variance", shape=(k,), kinds="f"),
            expect_array(got[2], "explained_variance_ratio", shape=(k,), kinds="f"),
            expect_array(got[3], "mean", shape=(d,), kinds="f"))


def aligned(got, expected):
    """Flip each row of ``got`` to point the same way as the matching row of ``expected``."""
    signs = np.sign(np.sum(got * expected, axis=1, keepdims=True))
    return got * np.where(signs == 0, 1.0, signs)


@pytest.mark.parametrize("shape", [(200, 6), (15, 40)], ids=["tall 200x6", "wide 15x40"])
def test_components_match_sklearn(solution, tolerance, shape):
    """components equal scikit-learn's up to sign, and are orthonormal"""
    X = data(*shape, seed=shape[1])
    k = 4
    components, _, _, mean = run(solution, X, k)
    ref = PCA(k, svd_solver="full").fit(X)
    uncentred = np.linalg.svd(X, full_matrices=False)[2][:k]
    assert_close_or_named(aligned(components, ref.components_), ref.components_, "components (up to sign)", {
        "these are the directions of the raw data: centre X (subtract the column means) before the SVD":
            aligned(uncentred, ref.components_),
    }, rtol=1e-6, atol=1e-8)
    if not np.allclose(components @ components.T, np.eye(k), atol=1e-8):
        fail("the components are not orthonormal rows")
    assert_close_or_named(mean, X.mean(0), "mean", {}, **tolerance)


def test_explained_variance(solution, tolerance):
    """explained variance and its ratio equal scikit-learn's"""
    X = data(120, 5, seed=1)
    _, var, ratio, _ = run(solution, X, 3)
    ref = PCA(3, svd_solver="full").fit(X)
    S = np.linalg.svd(X - X.mean(0), compute_uv=False)
    assert_close_or_named(var, ref.explained_variance_, "explained_variance", {
        "the variance along a component divides by n - 1 (sample variance), not n": S[:3] ** 2 / len(X),
        "the explained variance is S**2 / (n - 1), not the singular values S": S[:3],
    }, **tolerance)
    assert_close_or_named(ratio, ref.explained_variance_ratio_, "explained_variance_ratio", {
        "divide by the total variance of all directions, not only the kept components":
            S[:3] ** 2 / np.sum(S[:3] ** 2),
    }, **tolerance)


def test_all_components_explain_everything(solution):
    """keeping every component explains all the variance"""
    X = data(50, 4, seed=2)
    _, var, ratio, _ = run(solution, X, 4)
    if not np.isclose(ratio.sum(), 1.0, atol=1e-10):
        fail(f"with all 4 components kept the ratios sum to {ratio.sum():.6f}, not 1")
    if not np.isclose(var.sum(), X.var(axis=0, ddof=1).sum(), rtol=1e-9):
        fail("with all components kept, the explained variances must add up to the total sample variance")


def test_transform(solution, tolerance):
    """transform equals scikit-learn's projection (up to the sign of each column)"""
    X = data(80, 5, seed=3)
    ref = PCA(2, svd_solver="full").fit(X)
    got = expect_array(solution.transform(X, ref.mean_, ref.components_), "transform", shape=(80, 2), kinds="f")
    assert_close_or_named(got, ref.transform(X), "transform", {
        "project the centred data: subtract the mean before multiplying by the components":
            X @ ref.components_.T,
    }, rtol=1e-7, atol=1e-8)
