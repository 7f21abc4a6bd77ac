"""Hidden tests for batchnorm: every step against nn.BatchNorm1d (float64) in training and eval
mode, on (N, C) and (N, C, L) inputs, over several steps with a non-default momentum and eps."""

import numpy as np
import torch
import torch.nn as nn

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.proxy import SolutionRaised


def torch_step(x, gamma, beta, rm, rv, training, momentum=0.1, eps=1e-5):
    """y, running_mean, running_var after one forward of nn.BatchNorm1d."""
    layer = nn.BatchNorm1d(x.shape[1], eps=eps, momentum=momentum).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma))
        layer.bias.copy_(torch.tensor(beta))
        layer.running_mean.copy_(torch.tensor(rm))
        layer.running_var.copy_(torch.tensor(rv))
    layer.train(training)
    with torch.no_grad():
        y = layer(torch.tensor(x))
    return y.numpy(), layer.running_mean.numpy().copy(), layer.running_var.numpy().copy()


def alt_step(x, gamma, beta, rm, rv, momentum=0.1, eps=1e-5, norm_ddof=0, track_ddof=1, swap=False, axes=None):
    """A training step with classic mistakes switched on."""
    axes = axes if axes is not None else (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mu = x.mean(axis=axes, keepdims=True)
    y = (x - mu) / np.sqrt(x.var(axis=axes, ddof=norm_ddof, keepdims=True) + eps) * gamma.reshape(shape) + beta.reshape(shape)
    m = 1 - momentum if swap else momentum
    batch_mean = x.mean(axis=(0,) + tuple(range(2, x.ndim)))
    batch_var = x.var(axis=(0,) + tuple(range(2, x.ndim)), ddof=track_ddof)
    return y, (1 - m) * rm + m * batch_mean, (1 - m) * rv + m * batch_var


def data(seed, shape):
    rng = np.random.default_rng(seed)
    c = shape[1]
    x = 2.0 + 1.5 * rng.normal(size=shape)
    return x, 1 + 0.3 * rng.normal(size=c), 0.2 * rng.normal(size=c), 0.5 * rng.normal(size=c), 0.5 + rng.random(size=c)


def step(solution, x, gamma, beta, rm, rv, training, what, **kw):
    got = solution.batchnorm_forward(x, gamma, beta, rm, rv, training, **kw)
    if type(got) is not tuple or len(got) != 3:
        fail(f"{what}: batchnorm_forward must return a tuple (y, new_running_mean, new_running_var); got {describe(got)}")
    return got


def test_training_output(solution, tolerance):
    """training mode normalises each channel with the batch mean and biased variance"""
    x, gamma, beta, rm, rv = data(0, (8, 5))
    y, _, _ = step(solution, x, gamma, beta, rm, rv, True, "training on (8, 5)")
    ref, _, _ = torch_step(x, gamma, beta, rm, rv, True)
    assert_close_or_named(y, ref, "y in training mode on an (8, 5) batch", {
        "normalise with the biased batch variance (divide by n); the unbiased one only feeds running_var":
            alt_step(x, gamma, beta, rm, rv, norm_ddof=1)[0],
        "each channel (axis 1) is normalised over the batch (axis 0), not each row over its channels":
            alt_step(x, gamma, beta, rm, rv, axes=(1,))[0],
        "training mode normalises with the batch statistics, not the running ones":
            torch_step(x, gamma, beta, rm, rv, False)[0],
    }, **tolerance)


def test_running_statistics(solution, tolerance):
    """training mode updates the running mean, and the running variance with the unbiased variance"""
    x, gamma, beta, rm, rv = data(1, (8, 5))
    _, new_rm, new_rv = step(solution, x, gamma, beta, rm, rv, True, "training on (8, 5)")
    _, ref_rm, ref_rv = torch_step(x, gamma, beta, rm, rv, True)
    assert_close_or_named(new_rm, ref_rm, "running_mean after a training step (momentum 0.1)", {
        "momentum weighs the new batch: (1 - momentum) * running_mean + momentum * batch_mean, not the other way round":
            alt_step(x, gamma, beta, rm, rv, swap=True)[1],
        "the running mean must be updated in training mode": rm,
    }, **tolerance)
    assert_close_or_named(new_rv, ref_rv, "running_var after a training step (momentum 0.1)", {
        "running_var is updated with the unbiased batch variance (times n / (n - 1)), as PyTorch does":
            alt_step(x, gamma, beta, rm, rv, track_ddof=0)[2],
        "momentum weighs the new batch: (1 - momentum) * running_var + momentum * batch_var, not the other way round":
            alt_step(x, gamma, beta, rm, rv, swap=True)[2],
        "the running variance must be updated in training mode": rv,
    }, **tolerance)


def test_eval_mode(solution, tolerance):
    """eval mode normalises with the running statistics and leaves them unchanged"""
    x, gamma, beta, rm, rv = data(2, (6, 4))
    y, new_rm, new_rv = step(solution, x, gamma, beta, rm, rv, False, "eval on (6, 4)")
    ref, _, _ = torch_step(x, gamma, beta, rm, rv, False)
    assert_close_or_named(y, ref, "y in eval mode", {
        "eval mode normalises with running_mean and running_var, not the batch's statistics":
            torch_step(x, gamma, beta, rm, rv, True)[0],
    }, **tolerance)
    for name, got, before in (("running_mean", new_rm, rm), ("running_var", new_rv, rv)):
        assert_close_or_named(got, before, f"{name} after an eval step", {
            f"eval mode must not change {name}": torch_step(x, gamma, beta, rm, rv, True)[1 if name == "running_mean" else 2],
        }, rtol=0.0, atol=0.0)


def test_three_dimensional(solution, tolerance):
    """(N, C, L) input: statistics per channel over N and L, with n = N * L in the correction"""
    x, gamma, beta, rm, rv = data(3, (4, 3, 5))
    y, new_rm, new_rv = step(solution, x, gamma, beta, rm, rv, True, "training on (4, 3, 5)")
    ref_y, ref_rm, ref_rv = torch_step(x, gamma, beta, rm, rv, True)
    assert_close_or_named(y, ref_y, "y in training mode on a (4, 3, 5) input", {
        "each channel's statistics are over both N and L (axes 0 and 2), not over N alone":
            alt_step(x, gamma, beta, rm, rv, axes=(0,))[0],
    }, **tolerance)
    assert_close(new_rm, ref_rm, "running_mean after a step on a (4, 3, 5) input", **tolerance)
    n_only = (1 - 0.1) * rv + 0.1 * x.var(axis=(0, 2)) * 4 / 3
    assert_close_or_named(new_rv, ref_rv, "running_var after a step on a (4, 3, 5) input", {
        "the unbiased correction is n / (n - 1) with n = N * L = 20 values per channel, not N / (N - 1)": n_only,
        "running_var is updated with the unbiased batch variance (times n / (n - 1)), as PyTorch does":
            alt_step(x, gamma, beta, rm, rv, track_ddof=0)[2],
    }, **tolerance)
    y_eval, _, _ = step(solution, x, gamma, beta, ref_rm, ref_rv, False, "eval on (4, 3, 5)")
    assert_close(y_eval, torch_step(x, gamma, beta, ref_rm, ref_rv, False)[0], "y in eval mode on a (4, 3, 5) input", **tolerance)


def test_several_steps(solution, tolerance):
    """five training steps with momentum 0.3 and eps 1e-3, then eval, match nn.BatchNorm1d"""
    _, gamma, beta, _, _ = data(4, (1, 6))
    rm, rv = np.zeros(6), np.ones(6)  # nn.BatchNorm1d's initial statistics
    ref_rm, ref_rv = rm.copy(), rv.copy()
    rng = np.random.default_rng(5)
    for i in range(5):
        x = rng.normal(size=(10, 6)) * (1 + i) + i
        y, rm, rv = step(solution, x, gamma, beta, rm, rv, True, f"training step {i + 1}", momentum=0.3, eps=1e-3)
        ref_y, ref_rm, ref_rv = torch_step(x, gamma, beta, ref_rm, ref_rv, True, momentum=0.3, eps=1e-3)
        assert_close(y, ref_y, f"y at training step {i + 1} (momentum 0.3, eps 1e-3)", **tolerance)
        assert_close(rm, ref_rm, f"running_mean after training step {i + 1} (momentum 0.3)", **tolerance)
        assert_close(rv, ref_rv, f"running_var after training step {i + 1} (momentum 0.3)", **tolerance)
    x = rng.normal(size=(3, 6))
    y, _, _ = step(solution, x, gamma, beta, rm, rv, False, "eval after five steps", momentum=0.3, eps=1e-3)
    assert_close(y, torch_step(x, gamma, beta, ref_rm, ref_rv, False, momentum=0.3, eps=1e-3)[0],
                 "y in eval mode after five steps (eps 1e-3)", **tolerance)


def test_single_value_per_channel(solution, tolerance):
    """one value per channel: training raises ValueError, eval works"""
    x, gamma, beta, rm, rv = data(6, (1, 4))
    try:
        got = solution.batchnorm_forward(x, gamma, beta, rm, rv, True)
    except SolutionRaised as exc:
        if "raised ValueError" not in str(exc):
            fail(f"training with one value per channel should raise ValueError; {exc}")
    else:
        fail(f"training with a single row (one value per channel) should raise ValueError (the unbiased variance "
             f"divides by n - 1 = 0), but it returned {describe(got)[:80]}")
    y, _, _ = step(solution, x, gamma, beta, rm, rv, False, "eval on a single row")
    assert_close(y, torch_step(x, gamma, beta, rm, rv, False)[0], "y in eval mode on a single row", **tolerance)


def test_numpy_only(solution):
    """numpy only: the file does not use torch"""
    x, gamma, beta, rm, rv = data(7, (4, 3))
    step(solution, x, gamma, beta, rm, rv, True, "training on (4, 3)")
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the normalisation yourself instead of using torch")
