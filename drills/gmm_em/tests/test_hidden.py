"""Hidden tests for gmm_em: scipy's multivariate normal for the E step, numpy's weighted
covariance for the M step, scikit-learn's GaussianMixture from the same start for the fit,
and the EM guarantee that the log-likelihood never decreases."""

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close


def data(d, seed):
    """Three elongated, rotated clusters of 200 points in d dimensions."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(size=(200, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d) * 4
                      for _ in range(3)])


def start(X, k, seed):
    rng = np.random.default_rng(seed)
    return np.full(k, 1 / k), X[rng.choice(len(X), k, replace=False)], np.stack([np.cov(X.T)] * k)


def log_joint(X, weights, means, covs):
    return np.stack([np.log(w) + multivariate_normal(m, c).logpdf(X) for w, m, c in zip(weights, means, covs)], 1)


def pair(result, what, n, k):
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(f"{what}: expected (resp, log_lik), got {type(result).__name__}")
    return expect_array(result[0], f"{what}: resp", shape=(n, k), kinds="f"), result[1]


def test_e_step(solution, tolerance):
    """E step: responsibilities and mean log-likelihood match the Gaussian densities"""
    X = data(2, 0)
    w, mu, cov = np.array([0.2, 0.3, 0.5]), X[[0, 250, 500]], np.stack([np.eye(2), 2 * np.eye(2), [[3, 1], [1, 2]]])
    resp, ll = pair(solution.e_step(X, w, mu, cov), "e_step", 600, 3)
    lj = log_joint(X, w, mu, cov)
    log_px = logsumexp(lj, axis=1, keepdims=True)
    no_weights = log_joint(X, np.ones(3), mu, cov)
    assert_close_or_named(resp, np.exp(lj - log_px), "e_step: resp", {
        "each point's responsibilities must sum to 1: divide by p(x_i), the sum over components":
            np.exp(lj),
        "the responsibilities ignore the mixing weights: multiply each density by weights[j]":
            np.exp(no_weights - logsumexp(no_weights, axis=1, keepdims=True)),
    }, **tolerance)
    assert_float_close(ll, float(log_px.mean()), "e_step: log_lik", {
        "log_lik is the mean over points, not the sum": float(log_px.sum()),
    }, **tolerance)


def test_e_step_far_point(solution):
    """a point hundreds of standard deviations away gets finite responsibilities"""
    X = np.array([[0.0, 0.0], [1.0, 0.5], [500.0, -300.0]])
    w, mu, cov = np.array([0.5, 0.5]), np.array([[0.0, 0.0], [1.0, 1.0]]), np.stack([np.eye(2)] * 2)
    resp, ll = pair(solution.e_step(X, w, mu, cov), "e_step with a far point", 3, 2)
    if not np.all(np.isfinite(resp)):
        fail("a point far from every component gave nan responsibilities: its densities underflow "
             "to 0; work with log densities and normalise with log-sum-exp")
    lj = log_joint(X, w, mu, cov)
    log_px = logsumexp(lj, axis=1, keepdims=True)
    assert_close_or_named(resp, np.exp(lj - log_px), "e_step with a far point", {}, rtol=1e-6, atol=1e-9)
    assert_float_close(ll, float(log_px.mean()), "e_step with a far point: log_lik", rtol=1e-9)


@pytest.mark.parametrize("d", [2, 3], ids=["2-D", "3-D"])
def test_m_step(solution, tolerance, d):
    """M step: weights, weighted means and weighted (maximum-likelihood) covariances"""
    X = data(d, 1)
    resp = np.random.default_rng(2).dirichlet(np.ones(3), size=len(X))
    got = solution.m_step(X, resp, 1e-3)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"m_step: expected (weights, means, covs), got {type(got).__name__}")
    nk = resp.sum(0)
    assert_close_or_named(expect_array(got[0], "m_step: weights", shape=(3,), kinds="f"), nk / len(X),
                          "m_step: weights", {}, **tolerance)
    means = np.stack([np.average(X, axis=0, weights=resp[:, j]) for j in range(3)])
    assert_close_or_named(expect_array(got[1], "m_step: means", shape=(3, d), kinds="f"), means,
                          "m_step: means", {}, **tolerance)
    covs = np.stack([np.cov(X.T, aweights=resp[:, j], bias=True) for j in range(3)]) + 1e-3 * np.eye(d)
    unbiased = (covs - 1e-3 * np.eye(d)) * (nk / (nk - 1))[:, None, None] + 1e-3 * np.eye(d)
    assert_close_or_named(expect_array(got[2], "m_step: covs", shape=(3, d, d), kinds="f"), covs, "m_step: covs", {
        "divide by N_j (the maximum-likelihood estimate), not N_j - 1": unbiased,
        "forgot to add reg to the diagonal of every covariance": covs - 1e-3 * np.eye(d),
    }, **tolerance)


def sklearn_score(X, k, w, mu, cov, n_iter):
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")  # tol=0 never "converges"; that is the point
        gm = GaussianMixture(k, covariance_type="full", weights_init=w, means_init=mu,
                             precisions_init=np.linalg.inv(cov), max_iter=n_iter, tol=0, reg_covar=1e-6)
        return gm.fit(X).score(X)


@pytest.mark.parametrize("d", [2, 3], ids=["2-D", "3-D"])
def test_fit_matches_sklearn(solution, d):
    """from the same start, the fit reaches scikit-learn's log-likelihood (within 1e-3 per point)"""
    X = data(d, d)
    w, mu, cov = start(X, 3, seed=d)
    got = solution.fit_gmm(X, w, mu, cov, 40, 1e-6)
    if type(got) not in (tuple, list) or len(got) != 4:
        fail(f"fit_gmm: expected (weights, means, covs, history), got {type(got).__name__}")
    history = expect_array(got[3], "fit_gmm: history", shape=(41,), kinds="f")
    if not np.all(np.isfinite(history)):
        fail("fit_gmm: the log-likelihood history contains inf or nan")
    drops = np.flatnonzero(np.diff(history) < -1e-9)
    if drops.size:
        t = int(drops[0])
        fail(f"the log-likelihood went down in round {t} ({history[t]:.6f} -> {history[t + 1]:.6f}); "
             "an EM round can never lower it, so the E or the M step is not the exact one")
    weights = expect_array(got[0], "fit_gmm: weights", shape=(3,), kinds="f")
    means = expect_array(got[1], "fit_gmm: means", shape=(3, d), kinds="f")
    covs = expect_array(got[2], "fit_gmm: covs", shape=(3, d, d), kinds="f")
    try:
        ours = float(logsumexp(log_joint(X, weights, means, covs), axis=1).mean())
    except (ValueError, np.linalg.LinAlgError):
        fail("fit_gmm returned weights or covariances that are not a valid mixture "
             "(weights must be positive, covariances symmetric positive definite)")
    if not abs(history[-1] - ours) <= 1e-9 * max(1.0, abs(ours)):  # "not <=" also catches nan
        fail(f"history[-1] is {history[-1]:.6f} but the returned parameters have a mean log-likelihood "
             f"of {ours:.6f}: the last entry must be for the parameters you return")
    theirs = sklearn_score(X, 3, w, mu, cov, 40)
    if not abs(ours - theirs) <= 1e-3:
        fail(f"after 40 rounds your mean log-likelihood is {ours:.5f}; scikit-learn's "
             f"GaussianMixture from the same start reaches {theirs:.5f}")
