"""Hidden tests for distillation_loss: the closed form of the note's PyTorch loss, limits in
alpha and T, finite differences for the gradient, and the classic mistakes by name."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close


def log_softmax(z):
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def parts(s, t, y, T):
    """Per-example KL(p || q) at temperature T (and reversed), and CE at temperatures 1 and T."""
    lp, lq = log_softmax(t / T), log_softmax(s / T)
    rows = np.arange(len(y))
    return {"kl": (np.exp(lp) * (lp - lq)).sum(1), "kl_rev": (np.exp(lq) * (lq - lp)).sum(1),
            "ce": -log_softmax(s)[rows, y], "ce_soft": -lq[rows, y]}


def loss(s, t, y, T, a):
    p = parts(s, t, y, T)
    return float(a * T**2 * p["kl"].mean() + (1 - a) * p["ce"].mean())


def batch(seed, n=8, c=5, scale=2.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, c)) * scale, rng.normal(size=(n, c)) * scale, rng.integers(0, c, n)


@pytest.mark.parametrize("T, a", [(2.0, 0.5), (4.0, 0.9), (1.0, 0.3)], ids=["T=2 a=0.5", "T=4 a=0.9", "T=1 a=0.3"])
def test_loss_value(solution, tolerance, T, a):
    """the loss equals alpha * T^2 * batch-mean KL + (1 - alpha) * CE"""
    s, t, y = batch(0)
    p = parts(s, t, y, T)
    n, c = s.shape
    ce = (1 - a) * p["ce"].mean()
    assert_float_close(solution.distillation_loss(s, t, y, T, a), loss(s, t, y, T, a), f"loss at T = {T}, alpha = {a}", {
        "the KL term must be multiplied by T^2": float(a * p["kl"].mean() + ce),
        "KL is the wrong way round: use KL(teacher || student) = sum p_teacher * (log p_teacher - log q_student)":
            float(a * T**2 * p["kl_rev"].mean() + ce),
        "the cross-entropy must use the student's logits at temperature 1, not the softened ones":
            float(a * T**2 * p["kl"].mean() + (1 - a) * p["ce_soft"].mean()),
        "the KL term is summed over classes and averaged over the batch only ('batchmean'), "
        "not averaged over all N * C entries": float(a * T**2 * p["kl"].mean() / c + ce),
        "average over the batch, do not sum": float(n * (a * T**2 * p["kl"].mean() + ce)),
    }, **tolerance)


def test_alpha_zero_is_cross_entropy(solution, tolerance):
    """alpha = 0 leaves plain cross-entropy on the labels"""
    s, t, y = batch(1)
    assert_float_close(solution.distillation_loss(s, t, y, 3.0, 0.0), float(parts(s, t, y, 3.0)["ce"].mean()),
                       "loss with alpha = 0", **tolerance)


def test_matching_teacher_gives_zero(solution):
    """with alpha = 1, a student equal to its teacher has zero loss"""
    s, _, y = batch(2)
    assert_float_close(solution.distillation_loss(s, s, y, 5.0, 1.0), 0.0, "loss with student = teacher, alpha = 1",
                       atol=1e-12)


def test_huge_logits(solution):
    """logits around 1000 give a finite, exact loss"""
    s = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 10.0]])
    t = np.array([[0.0, 1000.0, 0.0], [-1000.0, 500.0, 1000.0]])
    y = np.array([2, 0])
    got = solution.distillation_loss(s, t, y, 2.0, 0.5)
    if isinstance(got, float) and not np.isfinite(got):
        fail("logits near 1000 gave inf or nan: use a stable log-softmax (subtract the row maximum) "
             "and never take log of a probability that underflowed to 0")
    assert_float_close(got, loss(s, t, y, 2.0, 0.5), "loss with logits near 1000", rtol=1e-9)


@pytest.mark.parametrize("T, a", [(2.0, 0.5), (5.0, 0.8)], ids=["T=2 a=0.5", "T=5 a=0.8"])
def test_gradient(solution, T, a):
    """the gradient matches central finite differences of the loss"""
    s, t, y = batch(3, n=4, c=4)
    got = expect_array(solution.distillation_grad(s, t, y, T, a), "distillation_grad", shape=s.shape, kinds="f")
    h = 1e-5
    numeric = np.zeros_like(s)
    for idx in np.ndindex(*s.shape):
        up, down = s.copy(), s.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (loss(up, t, y, T, a) - loss(down, t, y, T, a)) / (2 * h)
    soft = (np.exp(log_softmax(s / T)) - np.exp(log_softmax(t / T))) / len(y)  # (q - p) / N
    assert_close_or_named(got, numeric, f"gradient at T = {T}, alpha = {a}", {
        "the gradient is N times too large: the loss averages over the batch": numeric * len(y),
        "the soft part's gradient lost its T^2: it is alpha * T * (q - p) / N, not alpha * (q - p) / (T * N)":
            numeric - a * soft * (T - 1 / T),
    }, rtol=1e-6, atol=1e-8)
