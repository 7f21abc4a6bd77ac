"""Hidden tests for logistic_regression: scikit-learn's LogisticRegression as the oracle,
closed forms for the loss, and the exact first gradient step."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close

BIAS_MESSAGE = "the L2 penalty must not shrink the intercept b (scikit-learn does not penalise it)"
SUM_MESSAGE = "this is n times the right step: the gradient is the mean over examples, not the sum"


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """scikit-learn and numpy on one thread: a thread pool costs more than it saves here."""
    with threadpool_limits(1):
        yield


def data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    z = X @ np.array([1.5, -2.0, 0.5, 0.0]) - 1.5  # an imbalanced problem: the intercept matters
    return X, (rng.random(n) < 1 / (1 + np.exp(-z))).astype(np.float64)


def sklearn_fit(X, y, l2, bias_penalised=False):
    n, d = X.shape
    if bias_penalised:  # the intercept as one more (penalised) weight
        m = LogisticRegression(C=1 / (l2 * n), tol=1e-12, max_iter=10_000, fit_intercept=False)
        coef = m.fit(np.hstack([X, np.ones((n, 1))]), y).coef_[0]
        return coef[:d], float(coef[d])
    m = LogisticRegression(C=1 / (l2 * n), tol=1e-12, max_iter=10_000).fit(X, y)
    return m.coef_[0], float(m.intercept_[0])


def unpack(result, what, d):
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(f"{what}: expected a pair (w, b), got {type(result).__name__}")
    w, b = result
    w = expect_array(w, f"{what}: w", shape=(d,), kinds="f")
    if not np.all(np.isfinite(w)):
        fail(f"{what}: w contains inf or nan (did gradient descent diverge?)")
    return w, b


@pytest.mark.parametrize("l2", [0.01, 0.1], ids=["l2=0.01", "l2=0.1"])
def test_matches_sklearn(solution, l2):
    """the fitted coefficients and intercept match scikit-learn's LogisticRegression"""
    X, y = data()
    w, b = unpack(solution.fit(X, y, l2, 1.0, 2000), f"fit with l2 = {l2}", 4)
    w_ok, b_ok = sklearn_fit(X, y, l2)
    w_bias, b_bias = sklearn_fit(X, y, l2, bias_penalised=True)
    assert_close_or_named(w, w_ok, f"fit with l2 = {l2}: w", {BIAS_MESSAGE: w_bias}, rtol=1e-5, atol=1e-5)
    assert_float_close(b, b_ok, f"fit with l2 = {l2}: b", {BIAS_MESSAGE: b_bias}, rtol=1e-5, atol=1e-5)


def test_same_accuracy_as_sklearn(solution):
    """predictions on held-out data agree with scikit-learn's"""
    X, y = data(n=400, seed=1)
    w, b = unpack(solution.fit(X[:300], y[:300], 0.05, 1.0, 2000), "fit on 300 examples", 4)
    model = LogisticRegression(C=1 / (0.05 * 300), tol=1e-12, max_iter=10_000).fit(X[:300], y[:300])
    got = expect_array(solution.predict(X[300:], w, b), "predict on 100 held-out rows", shape=(100,), kinds="iu")
    ours, theirs = float((got == y[300:]).mean()), model.score(X[300:], y[300:])
    if abs(ours - theirs) > 0.011:
        fail(f"held-out accuracy {ours:.2f}, scikit-learn reaches {theirs:.2f} on the same split")


def test_one_step(solution):
    """one gradient step from zero moves by -lr times the mean gradient"""
    X, y = data(n=50, seed=2)
    w, b = unpack(solution.fit(X, y, 0.5, 0.2, 1), "one gradient step", 4)
    err = 0.5 - y  # sigmoid(0) - y
    assert_close_or_named(w, -0.2 * X.T @ err / 50, "one gradient step from w = 0: w",
                          {SUM_MESSAGE: -0.2 * X.T @ err}, rtol=1e-9, atol=1e-12)
    assert_float_close(b, -0.2 * float(err.mean()), "one gradient step from b = 0: b",
                       {SUM_MESSAGE: -0.2 * float(err.sum())}, rtol=1e-9, atol=1e-12)


def reference_loss(X, y, w, b, l2):
    z = X @ w + b
    return float(np.mean(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w @ w)


def test_loss_value(solution, tolerance):
    """loss is the mean cross-entropy plus (l2/2)||w||^2"""
    X, y = data(n=40, seed=3)
    w, b = np.array([0.3, -0.2, 0.1, 0.4]), 0.25
    z = X @ w + b
    bce = np.mean(np.logaddexp(0, z) - y * z)
    assert_float_close(solution.loss(X, y, w, b, 0.2), reference_loss(X, y, w, b, 0.2), "loss with l2 = 0.2", {
        "the cross-entropy must be averaged over examples, not summed": float(40 * bce + 0.1 * w @ w),
        "the penalty is (l2/2)||w||^2: you left out the 1/2": float(bce + 0.2 * w @ w),
    }, **tolerance)


def test_loss_extreme_logits(solution):
    """loss stays finite and exact when |X w + b| is 1000"""
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])  # two confident right answers, two confident wrong ones
    got = solution.loss(X, y, np.array([1000.0]), 0.0)
    if type(got) in (float, np.float64) and not np.isfinite(got):
        fail("loss with logits of +-1000 is inf or nan: log(sigmoid(z)) underflows to log(0); "
             "use -np.logaddexp(0, -z) instead")
    assert_float_close(got, 500.0, "loss with logits of +-1000", rtol=1e-9)


def test_probabilities_and_labels(solution, tolerance):
    """predict_proba is the sigmoid; predict thresholds it at 0.5"""
    X = np.array([[0.0], [2.0], [-3.0], [800.0], [-800.0]])
    p = expect_array(solution.predict_proba(X, np.array([1.0]), 0.0), "predict_proba", shape=(5,), kinds="f")
    assert_close_or_named(p, 1 / (1 + np.exp(-np.clip(X[:, 0], -700, 700))), "predict_proba", {}, **tolerance)
    labels = expect_array(solution.predict(X, np.array([1.0]), -0.5), "predict", shape=(5,), kinds="iu")
    if labels.tolist() != [0, 1, 0, 1, 0]:
        fail(f"predict with b = -0.5 gave {labels.tolist()}, expected [0, 1, 0, 1, 0] (1 where p >= 0.5)")
