"""Hidden tests for linear_regression: np.linalg.lstsq on augmented systems as the oracle."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close, expect_float


def data(n=200, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + 3.0 + 0.3 * rng.normal(size=n)
    return X, y


def ridge(X, y, l2, penalise_bias=False, n_scale=True):
    """Ridge as ordinary least squares on rows sqrt(n*l2)*I appended (bias column last)."""
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    lam = n * l2 if n_scale else l2
    P = np.sqrt(lam) * np.eye(d + 1)
    if not penalise_bias:
        P = P[:d]
    sol = np.linalg.lstsq(np.vstack([A, P]), np.concatenate([y, np.zeros(len(P))]), rcond=None)[0]
    return sol[:d], float(sol[d])


def unpack(result, what, d):
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(f"{what}: expected a pair (w, b), got {type(result).__name__}")
    w, b = result
    return expect_array(w, f"{what}: w", shape=(d,), kinds="f"), b


def check_fit(result, X, y, l2, what, rtol, atol):
    d = X.shape[1]
    w, b = unpack(result, what, d)
    b = expect_float(b, f"{what}: b")
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        hint = ("; gradient descent diverged: average the gradient over the n examples (the gradient "
                "of the mean loss), do not sum it") if what.startswith("gradient descent") else ""
        fail(f"{what}: w or b is inf or nan{hint}")
    w_ok, b_ok = ridge(X, y, l2)
    mistakes = {"the weights do not fit an intercept: add b and leave it unpenalised":
                ridge_no_intercept(X, y, l2)}
    if l2 > 0:
        mistakes["the L2 penalty must not shrink the bias (the intercept is unpenalised)"] = \
            ridge(X, y, l2, penalise_bias=True)[0]
        mistakes["the penalty is (l2/2)||w||^2 on the *mean* loss, so add n*l2*I to X.T @ X "
                 "(or l2*I to X.T @ X / n), not l2*I"] = ridge(X, y, l2, n_scale=False)[0]
    assert_close_or_named(w, w_ok, f"{what}: w", mistakes, rtol=rtol, atol=atol)
    assert_float_close(b, b_ok, f"{what}: b", {
        "the L2 penalty must not shrink the bias (the intercept is unpenalised)":
            ridge(X, y, l2, penalise_bias=True)[1],
        "the weights do not fit an intercept: add b and leave it unpenalised": 0.0,
    }, rtol=rtol, atol=atol)


def ridge_no_intercept(X, y, l2):
    n, d = X.shape
    A = np.vstack([X, np.sqrt(n * l2) * np.eye(d)])
    return np.linalg.lstsq(A, np.concatenate([y, np.zeros(d)]), rcond=None)[0]


def test_least_squares(solution, tolerance):
    """l2 = 0: the closed form equals np.linalg.lstsq with an intercept column"""
    X, y = data()
    check_fit(solution.fit_closed_form(X, y, 0.0), X, y, 0.0, "closed form, l2 = 0", **tolerance)


@pytest.mark.parametrize("l2", [0.1, 2.0], ids=["l2=0.1", "l2=2"])
def test_ridge(solution, tolerance, l2):
    """l2 > 0: the closed form equals ridge regression with an unpenalised intercept"""
    X, y = data(seed=1)
    check_fit(solution.fit_closed_form(X, y, l2), X, y, l2, f"closed form, l2 = {l2}", **tolerance)


def test_wide_offset_features(solution, tolerance):
    """features far from zero (mean 100) still give the exact ridge solution"""
    X, y = data(n=50, d=3, seed=2)
    X = X + 100.0
    check_fit(solution.fit_closed_form(X, y, 0.5), X, y, 0.5, "closed form on features with mean 100",
              rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("l2", [0.0, 0.3], ids=["l2=0", "l2=0.3"])
def test_gradient_descent_converges(solution, l2):
    """gradient descent converges to the closed-form minimiser"""
    X, y = data(seed=3)
    check_fit(solution.fit_gradient_descent(X, y, l2, 0.1, 3000), X, y, l2,
              f"gradient descent (lr 0.1, 3000 steps, l2 = {l2})", rtol=1e-6, atol=1e-6)


def test_one_step(solution):
    """one gradient step from zero moves by -lr times the mean gradient"""
    X, y = data(n=40, d=3, seed=4)
    n = len(y)
    w, b = unpack(solution.fit_gradient_descent(X, y, 0.5, 0.1, 1), "one gradient step", 3)
    assert_close_or_named(w, 0.1 * X.T @ y / n, "one gradient step from w = 0: w", {
        "this is n times the right step: the gradient is the mean over examples, not the sum":
            0.1 * X.T @ y,
    }, rtol=1e-9, atol=1e-12)
    assert_float_close(b, 0.1 * float(y.mean()), "one gradient step from b = 0: b", {
        "this is n times the right step: the gradient is the mean over examples, not the sum":
            0.1 * float(y.sum()),
    }, rtol=1e-9, atol=1e-12)


def test_predict(solution, tolerance):
    """predict returns X @ w + b"""
    X, _ = data(n=30, d=4, seed=5)
    w = np.array([1.0, -2.0, 0.5, 0.0])
    got = expect_array(solution.predict(X, w, 0.7), "predict", shape=(30,), kinds="f")
    assert_close_or_named(got, X @ w + 0.7, "predict", {}, **tolerance)
