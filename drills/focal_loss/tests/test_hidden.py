"""Hidden tests for focal_loss: the closed form on log-probabilities, the cross-entropy limit
(gamma = 0), binary = two-class softmax, large logits, and the classic mistakes by name."""

import numpy as np
import pytest

from mlprep.drills.compare import fail
from mlprep.drills.scalars import assert_float_close, expect_float


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def binary_terms(z, y, gamma):
    """Per-example -(1 - p_t)^gamma log p_t, and what a gamma on p_t would give instead."""
    s = 2 * y - 1
    log_pt = log_sigmoid(s * z)
    return -np.exp(log_sigmoid(-s * z)) ** gamma * log_pt, -np.exp(log_pt) ** gamma * log_pt


def multi_terms(z, y, gamma):
    m = z.max(1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(1, keepdims=True))
    log_pt = log_p[np.arange(len(y)), y]
    return -(-np.expm1(log_pt)) ** gamma * log_pt, log_p


def binary_batch(seed, n=12):
    rng = np.random.default_rng(seed)
    return rng.normal(size=n) * 3, (rng.random(n) < 0.3).astype(np.float64)


GAMMA_MESSAGE = "the modulating factor is (1 - p_t)^gamma, not p_t^gamma: easy examples must count less"


@pytest.mark.parametrize("gamma", [0.0, 2.0, 0.5], ids=["gamma=0", "gamma=2", "gamma=0.5"])
def test_binary(solution, tolerance, gamma):
    """binary focal loss equals the closed form (gamma = 0 is binary cross-entropy)"""
    z, y = binary_batch(0)
    terms, on_pt = binary_terms(z, y, gamma)
    assert_float_close(solution.binary_focal_loss(z, y, gamma, None), float(terms.mean()), f"binary, gamma = {gamma}", {
        GAMMA_MESSAGE: float(on_pt.mean()),
        "average over the examples, do not sum": float(terms.sum()),
    }, **tolerance)


def test_binary_alpha(solution, tolerance):
    """alpha weights positives by alpha and negatives by 1 - alpha"""
    z, y = binary_batch(1)
    terms, _ = binary_terms(z, y, 2.0)
    assert_float_close(solution.binary_focal_loss(z, y, 2.0, 0.25), float((np.where(y == 1, 0.25, 0.75) * terms).mean()),
                       "binary, gamma = 2, alpha = 0.25", {
        "negatives must be weighted by 1 - alpha, not alpha": float((0.25 * terms).mean()),
        "alpha weights the positives (y = 1) and 1 - alpha the negatives; you swapped them":
            float((np.where(y == 1, 0.75, 0.25) * terms).mean()),
    }, **tolerance)


def test_binary_confident_mistakes(solution):
    """confidently wrong logits of +-1000 give a large finite loss"""
    z = np.array([-1000.0, 1000.0, 1000.0])
    y = np.array([1.0, 0.0, 1.0])
    got = solution.binary_focal_loss(z, y, 2.0, None)
    if isinstance(got, float) and not np.isfinite(got):
        fail("logits of +-1000 gave inf or nan: log(sigmoid(z)) underflows to log(0); "
             "use log sigmoid(x) = -np.logaddexp(0, -x)")
    assert_float_close(got, 2000.0 / 3, "binary loss with logits of +-1000", rtol=1e-9)


def test_easy_examples_count_less(solution):
    """a well-classified example is down-weighted by (1 - p_t)^gamma relative to cross-entropy"""
    z, y = np.array([4.0]), np.array([1.0])
    ce = expect_float(solution.binary_focal_loss(z, y, 0.0, None), "binary loss with gamma = 0")
    fl = expect_float(solution.binary_focal_loss(z, y, 2.0, None), "binary loss with gamma = 2")
    ratio = np.exp(log_sigmoid(-4.0)) ** 2
    if not np.isclose(fl, ce * ratio, rtol=1e-7):
        fail(f"for p_t = sigmoid(4) the focal loss should be (1 - p_t)^2 = {ratio:.3g} times the "
             f"cross-entropy; got a ratio of {fl / ce if ce else float('nan'):.3g}")


def multi_batch(seed, n=10, c=4):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, c)) * 2, rng.integers(0, c, n)


@pytest.mark.parametrize("gamma", [0.0, 2.0], ids=["gamma=0", "gamma=2"])
def test_multiclass(solution, tolerance, gamma):
    """multiclass focal loss equals the closed form (gamma = 0 is cross-entropy)"""
    z, y = multi_batch(2)
    terms, log_p = multi_terms(z, y, gamma)
    pt = np.exp(log_p[np.arange(len(y)), y])
    assert_float_close(solution.focal_loss(z, y, gamma, None), float(terms.mean()), f"multiclass, gamma = {gamma}", {
        GAMMA_MESSAGE: float((-pt**gamma * np.log(pt)).mean()),
    }, **tolerance)


def test_multiclass_weights(solution, tolerance):
    """class weights scale each example by its true class's weight; the mean divides by N"""
    z, y = multi_batch(3)
    w = np.array([0.1, 1.0, 2.0, 0.5])
    terms, log_p = multi_terms(z, y, 2.0)
    assert_float_close(solution.focal_loss(z, y, 2.0, w), float((w[y] * terms).mean()), "multiclass with class weights", {
        "divide by N, the number of examples, not by the sum of their weights":
            float((w[y] * terms).sum() / w[y].sum()),
        "use the weight of the true class (weights[targets]), not of the predicted class":
            float((w[log_p.argmax(1)] * terms).mean()),
    }, **tolerance)


def test_multiclass_large_logits(solution):
    """multiclass logits near 1000 give a finite, exact loss"""
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 999.0]])
    y = np.array([2, 2])
    got = solution.focal_loss(z, y, 2.0, None)
    if isinstance(got, float) and not np.isfinite(got):
        fail("logits near 1000 gave inf or nan: use a stable log-softmax (subtract each row's maximum)")
    assert_float_close(got, float(multi_terms(z, y, 2.0)[0].mean()), "multiclass loss with logits near 1000", rtol=1e-9)


def test_two_classes_agree_with_binary(solution):
    """a two-class softmax with logits [0, z] gives the binary focal loss of z"""
    z, y = binary_batch(4)
    two = np.stack([np.zeros_like(z), z], axis=1)
    a = expect_float(solution.binary_focal_loss(z, y, 1.5, None), "binary_focal_loss")
    b = expect_float(solution.focal_loss(two, y.astype(np.int64), 1.5, None), "focal_loss with two classes")
    if not np.isclose(a, b, rtol=1e-9, atol=1e-12):
        fail(f"the two-class softmax focal loss ({b:.6g}) differs from the binary one ({a:.6g}) on the same logits")
