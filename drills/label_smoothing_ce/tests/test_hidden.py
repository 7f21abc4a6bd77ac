"""Hidden tests for label_smoothing_ce: the loss under every reduction and the gradient, against
F.cross_entropy(label_smoothing=...) and autograd in float64, with ignored rows (the default
-100 and a valid class as ignore_index), all rows ignored, and large logits."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close, expect_float


def torch_loss(logits, targets, smoothing=0.0, ignore_index=-100, reduction="mean"):
    out = F.cross_entropy(torch.tensor(logits), torch.tensor(targets), ignore_index=ignore_index,
                          reduction=reduction, label_smoothing=smoothing)
    return out.numpy() if reduction == "none" else float(out)


def torch_grad(logits, targets, smoothing=0.0, ignore_index=-100):
    x = torch.tensor(logits, requires_grad=True)
    F.cross_entropy(x, torch.tensor(targets), ignore_index=ignore_index, label_smoothing=smoothing).backward()
    return x.grad.numpy()


def variants(logits, targets, smoothing, ignore_index):
    """Per-row losses of classic mistakes, plus the valid mask."""
    s = logits - logits.max(axis=1, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    n, k = logp.shape
    valid = targets != ignore_index
    safe = np.where(valid, targets, 0)
    nll = -logp[np.arange(n), safe]
    others = (-logp.sum(axis=1) - nll) / (k - 1)  # the smoothing mass over the K - 1 wrong classes
    rows = {
        "right": (1 - smoothing) * nll + smoothing * (-logp.mean(axis=1)),
        "k_minus_1": (1 - smoothing) * nll + smoothing * others,
        "sum_not_mean": (1 - smoothing) * nll + smoothing * (-logp.sum(axis=1)),
        "no_one_minus": nll + smoothing * (-logp.mean(axis=1)),
    }
    return rows, valid


def data(seed, n, k, scale=2.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, k)) * scale, rng.integers(0, k, size=n)


def named_scalar_mistakes(logits, targets, smoothing, ignore_index):
    rows, valid = variants(logits, targets, smoothing, ignore_index)
    out = {}
    if smoothing > 0:
        out["the smoothing mass eps is spread over all K classes (eps / K each, the true class included), "
            "not over the K - 1 other classes"] = float((rows["k_minus_1"] * valid).sum() / valid.sum())
        out["the uniform part is smoothing * MEAN over the K classes of -logp, not the sum"] = \
            float((rows["sum_not_mean"] * valid).sum() / valid.sum())
        out["the true class's term is weighted by (1 - smoothing)"] = float((rows["no_one_minus"] * valid).sum() / valid.sum())
    if not valid.all():
        out["the mean is over the rows that are not ignored: divide by their number, not by N"] = \
            float((rows["right"] * valid).sum() / len(targets))
        out["ignored rows must not count: leave them out of the sum"] = float(rows["right"].mean())
    return out


def test_plain_cross_entropy(solution, tolerance):
    """smoothing = 0 and nothing ignored: the ordinary mean cross-entropy"""
    logits, targets = data(0, 12, 6)
    assert_float_close(solution.smoothed_cross_entropy(logits, targets), torch_loss(logits, targets),
                       "the loss with the defaults", **tolerance)


@pytest.mark.parametrize("eps", [0.1, 0.4, 1.0], ids=["smoothing 0.1", "smoothing 0.4", "smoothing 1.0"])
def test_smoothing(solution, tolerance, eps):
    """label smoothing equals F.cross_entropy(label_smoothing=...)"""
    logits, targets = data(1, 10, 5)
    got = solution.smoothed_cross_entropy(logits, targets, smoothing=eps)
    assert_float_close(got, torch_loss(logits, targets, eps), f"the loss with smoothing {eps}",
                       named_scalar_mistakes(logits, targets, eps, -100), **tolerance)


def test_ignore_index_default(solution, tolerance):
    """rows with target -100 are left out of the sum and of the count"""
    logits, targets = data(2, 10, 4)
    targets[[1, 4, 5, 9]] = -100
    got = solution.smoothed_cross_entropy(logits, targets, smoothing=0.2)
    assert_float_close(got, torch_loss(logits, targets, 0.2), "the loss with 4 of 10 rows ignored (smoothing 0.2)",
                       named_scalar_mistakes(logits, targets, 0.2, -100), **tolerance)


def test_ignore_index_is_a_class(solution, tolerance):
    """ignore_index can be a valid class id (here 0): those rows are skipped"""
    logits, targets = data(3, 12, 5)
    targets[[0, 3, 7]] = 0
    got = solution.smoothed_cross_entropy(logits, targets, smoothing=0.1, ignore_index=0)
    assert_float_close(got, torch_loss(logits, targets, 0.1, ignore_index=0), "the loss with ignore_index=0",
                       named_scalar_mistakes(logits, targets, 0.1, 0), **tolerance)


def test_reduction_sum(solution, tolerance):
    """reduction='sum' adds the losses of the rows that are not ignored"""
    logits, targets = data(4, 9, 6)
    targets[[2, 6]] = -100
    got = solution.smoothed_cross_entropy(logits, targets, smoothing=0.25, reduction="sum")
    assert_float_close(got, torch_loss(logits, targets, 0.25, reduction="sum"), "the loss with reduction='sum'", **tolerance)


def test_reduction_none(solution, tolerance):
    """reduction='none' gives one loss per row, 0.0 on ignored rows"""
    logits, targets = data(5, 8, 7)
    targets[[0, 5]] = -100
    got = solution.smoothed_cross_entropy(logits, targets, smoothing=0.3, reduction="none")
    expected = torch_loss(logits, targets, 0.3, reduction="none")
    if type(got) is np.ndarray and got.shape == (6,):
        fail("reduction='none' must return one value per row, (N,) = (8,), with 0.0 on the ignored rows; "
             "yours left the ignored rows out")
    rows, valid = variants(logits, targets, 0.3, -100)
    assert_close_or_named(got, expected, "the per-row losses (reduction='none', smoothing 0.3)", {
        "ignored rows must be 0.0 in reduction='none'": rows["right"],
        "the smoothing mass eps is spread over all K classes (eps / K each), not over the K - 1 other classes":
            np.where(valid, rows["k_minus_1"], 0.0),
    }, **tolerance)


def test_all_ignored(solution):
    """every row ignored: the mean is nan (0 / 0, as PyTorch) and the sum is 0.0"""
    logits, targets = data(6, 4, 3)
    targets[:] = -100
    mean = expect_float(solution.smoothed_cross_entropy(logits, targets, smoothing=0.1), "the mean over no rows")
    if not math.isnan(mean):
        fail(f"with every row ignored the mean is 0 / 0: return nan, as F.cross_entropy does; got {mean!r}")
    total = expect_float(solution.smoothed_cross_entropy(logits, targets, smoothing=0.1, reduction="sum"), "the sum over no rows")
    if total != 0.0:
        fail(f"with every row ignored the sum is over no rows: 0.0; got {total!r}")


def test_large_logits(solution, tolerance):
    """logits around 1000 neither overflow nor lose precision"""
    logits, targets = data(7, 6, 4, scale=1.0)
    logits = logits * 300 + 1000
    targets[2] = -100
    got = expect_float(solution.smoothed_cross_entropy(logits, targets, smoothing=0.1), "the loss with logits near 1000")
    if not math.isfinite(got):
        fail("the loss with logits near 1000 is inf or nan: subtract each row's maximum before exp (a stable log-softmax)")
    assert_float_close(got, torch_loss(logits, targets, 0.1), "the loss with logits near 1000", **tolerance)


@pytest.mark.parametrize("eps,ignore", [(0.0, -100), (0.2, -100), (0.15, 2)],
                         ids=["no smoothing", "smoothing 0.2 with ignored rows", "ignore_index=2"])
def test_gradient(solution, tolerance, eps, ignore):
    """the gradient equals autograd's, with zeros on ignored rows"""
    logits, targets = data(8, 10, 5)
    targets[[1, 8]] = ignore
    got = solution.smoothed_cross_entropy_grad(logits, targets, smoothing=eps, ignore_index=ignore)
    expected = torch_grad(logits, targets, eps, ignore)
    valid = targets != ignore
    s = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = s / s.sum(axis=1, keepdims=True)
    q = np.full(p.shape, eps / p.shape[1])
    q[np.arange(len(targets)), np.where(valid, targets, 0)] += 1 - eps
    mistakes = {
        "divide by the number of rows that are not ignored, not by N": (p - q) * valid[:, None] / len(targets),
        "ignored rows get a zero gradient": (p - q) / valid.sum(),
    }
    if ignore >= 0:  # a class id: a solution that does not mask those rows treats them as ordinary targets
        q_all = np.full(p.shape, eps / p.shape[1])
        q_all[np.arange(len(targets)), targets] += 1 - eps
        mistakes[f"rows whose target is ignore_index ({ignore}) must get a zero gradient and not be counted"] = \
            (p - q_all) / len(targets)
    if eps > 0:
        q_other = np.where(np.eye(p.shape[1])[np.where(valid, targets, 0)] == 1, 1 - eps, eps / (p.shape[1] - 1))
        mistakes["the smoothing mass is eps / K on every class (the true class included), not eps / (K - 1) on the others"] = \
            (p - q_other) * valid[:, None] / valid.sum()
    assert_close_or_named(got, expected, f"d loss / d logits ({'smoothing ' + str(eps)}, ignore_index={ignore})",
                          mistakes, **tolerance)


def test_numpy_only(solution):
    """numpy only: the file does not use torch"""
    logits, targets = data(9, 4, 3)
    solution.smoothed_cross_entropy(logits, targets, smoothing=0.1)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the loss yourself instead of calling F.cross_entropy")
