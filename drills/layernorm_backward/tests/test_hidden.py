"""Hidden tests for layernorm_backward: forward against F.layer_norm, gradients against torch
autograd (float64), on 2-D and 3-D inputs, a non-default eps, constant vectors and a large offset."""

import numpy as np
import torch
import torch.nn.functional as F

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named


def torch_reference(x, gamma, beta, dout, eps):
    """y, dx, dgamma, dbeta from F.layer_norm and autograd, in float64."""
    xt = torch.tensor(x, requires_grad=True)
    gt = torch.tensor(gamma, requires_grad=True)
    bt = torch.tensor(beta, requires_grad=True)
    y = F.layer_norm(xt, (x.shape[-1],), gt, bt, eps)
    y.backward(torch.tensor(dout))
    return y.detach().numpy(), xt.grad.numpy(), gt.grad.numpy(), bt.grad.numpy()


def wrong_forward(x, gamma, beta, eps, ddof=0, eps_outside=False):
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True, ddof=ddof)
    std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
    return gamma * (x - mu) / std + beta


def wrong_dx(dout, x, gamma, eps, through_mu=True, through_var=True):
    """dx with one or both paths through the statistics left out."""
    mu = x.mean(axis=-1, keepdims=True)
    rstd = 1 / np.sqrt(((x - mu) ** 2).mean(axis=-1, keepdims=True) + eps)
    xhat = (x - mu) * rstd
    g = dout * gamma
    out = g.copy()
    if through_mu:
        out -= g.mean(axis=-1, keepdims=True)
    if through_var:
        out -= xhat * (g * xhat).mean(axis=-1, keepdims=True)
    return rstd * out


def case(seed, shape, offset=0.0, spread=1.0):
    rng = np.random.default_rng(seed)
    x = offset + spread * rng.normal(size=shape)
    d = shape[-1]
    return x, 1 + 0.5 * rng.normal(size=d), 0.3 * rng.normal(size=d), rng.normal(size=shape)


def backward(solution, dout, x, gamma, eps=None):
    got = solution.layernorm_backward(dout, x, gamma) if eps is None else solution.layernorm_backward(dout, x, gamma, eps=eps)
    if type(got) is not tuple or len(got) != 3:
        fail(f"layernorm_backward must return a tuple (dx, dgamma, dbeta); got {describe(got)}")
    return got


def forward_mistakes(x, gamma, beta, eps):
    return {
        "the variance must be biased (divide by D, as PyTorch's LayerNorm does), not unbiased (D - 1)":
            wrong_forward(x, gamma, beta, eps, ddof=1),
        "eps goes inside the square root: sqrt(var + eps), not sqrt(var) + eps":
            wrong_forward(x, gamma, beta, eps, eps_outside=True),
        "normalise over the last axis (each vector), not over the first axis":
            (gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta) if x.ndim == 2 else None,
    }


def check_forward(got, x, gamma, beta, eps, what, tolerance):
    expected, *_ = torch_reference(x, gamma, beta, np.zeros_like(x), eps)
    mistakes = {k: v for k, v in forward_mistakes(x, gamma, beta, eps).items() if v is not None}
    assert_close_or_named(got, expected, what, mistakes, **tolerance)


def check_dx(dx, dout, x, gamma, eps, what, tolerance):
    _, expected, _, _ = torch_reference(x, gamma, np.zeros_like(gamma), dout, eps)
    assert_close_or_named(dx, expected, what, {
        "mu and var depend on x: dx is not just dout * gamma / sqrt(var + eps); add the paths through the mean and the variance":
            wrong_dx(dout, x, gamma, eps, through_mu=False, through_var=False),
        "dx is missing the path through the variance (the - xhat * mean(g * xhat) term)":
            wrong_dx(dout, x, gamma, eps, through_var=False),
        "dx is missing the path through the mean (the - mean(g) term)":
            wrong_dx(dout, x, gamma, eps, through_mu=False),
    }, **tolerance)


def test_forward(solution, tolerance):
    """the forward pass equals F.layer_norm on an (N, D) batch"""
    x, gamma, beta, _ = case(0, (6, 10))
    check_forward(solution.layernorm_forward(x, gamma, beta), x, gamma, beta, 1e-5, "layernorm_forward of a (6, 10) batch", tolerance)


def test_forward_3d(solution, tolerance):
    """the forward pass normalises the last axis of a (B, T, D) input"""
    x, gamma, beta, _ = case(1, (2, 5, 8))
    check_forward(solution.layernorm_forward(x, gamma, beta), x, gamma, beta, 1e-5, "layernorm_forward of a (2, 5, 8) input", tolerance)


def test_dx(solution, tolerance):
    """dx equals autograd's gradient through F.layer_norm"""
    x, gamma, _, dout = case(2, (6, 10))
    dx, _, _ = backward(solution, dout, x, gamma)
    check_dx(dx, dout, x, gamma, 1e-5, "dx for a (6, 10) batch", tolerance)


def test_parameter_gradients_3d(solution, tolerance):
    """dgamma and dbeta are summed over every leading axis of a (B, T, D) input"""
    x, gamma, beta, dout = case(3, (3, 4, 8))
    _, ref_dx, ref_dgamma, ref_dbeta = torch_reference(x, gamma, beta, dout, 1e-5)
    dx, dgamma, dbeta = backward(solution, dout, x, gamma)
    for name, got in (("dbeta", dbeta), ("dgamma", dgamma)):
        if type(got) is np.ndarray and got.shape in ((4, 8), (3, 8)):
            fail(f"{name} for a (3, 4, 8) input has shape {got.shape}: sum over every axis but the last, giving shape (8,)")
    assert_close(dbeta, ref_dbeta, "dbeta for a (3, 4, 8) input", **tolerance)
    assert_close(dgamma, ref_dgamma, "dgamma for a (3, 4, 8) input", **tolerance)
    check_dx(dx, dout, x, gamma, 1e-5, "dx for a (3, 4, 8) input", tolerance)


def test_eps(solution, tolerance):
    """a non-default eps (0.5) is used, inside the square root, forward and backward"""
    x, gamma, beta, dout = case(4, (5, 6), spread=0.6)
    check_forward(solution.layernorm_forward(x, gamma, beta, eps=0.5), x, gamma, beta, 0.5, "layernorm_forward with eps = 0.5", tolerance)
    _, ref_dx, ref_dgamma, _ = torch_reference(x, gamma, beta, dout, 0.5)
    dx, dgamma, _ = backward(solution, dout, x, gamma, eps=0.5)
    check_dx(dx, dout, x, gamma, 0.5, "dx with eps = 0.5", tolerance)
    assert_close(dgamma, ref_dgamma, "dgamma with eps = 0.5", **tolerance)


def test_constant_vectors(solution, tolerance):
    """a vector whose entries are all equal (var = 0) gives beta and finite gradients"""
    x, gamma, beta, dout = case(5, (4, 7))
    x[1] = 3.25
    x[3] = -1.0
    y = solution.layernorm_forward(x, gamma, beta)
    if type(y) is np.ndarray and y.shape == x.shape and not np.isfinite(y).all():
        fail("a constant vector gave inf or nan: add eps to the variance before the square root")
    check_forward(y, x, gamma, beta, 1e-5, "layernorm_forward with two constant rows", tolerance)
    _, ref_dx, ref_dgamma, ref_dbeta = torch_reference(x, gamma, beta, dout, 1e-5)
    dx, dgamma, dbeta = backward(solution, dout, x, gamma)
    if type(dx) is np.ndarray and dx.shape == x.shape and not np.isfinite(dx).all():
        fail("dx for a constant vector has inf or nan: add eps to the variance before the square root")
    # on a constant row dx is ~ g / sqrt(eps) ~ 300 times larger: compare relative to that scale
    assert_close(dx, ref_dx, "dx with two constant rows", rtol=tolerance["rtol"], atol=1e-7)
    assert_close(dgamma, ref_dgamma, "dgamma with two constant rows", **tolerance)


def test_large_offset(solution, tolerance):
    """vectors around 1e6 with a spread of 1 keep their precision"""
    x, gamma, beta, dout = case(6, (4, 16), offset=1e6)
    y = solution.layernorm_forward(x, gamma, beta)
    expected, ref_dx, _, _ = torch_reference(x, gamma, beta, dout, 1e-5)
    mu = x.mean(axis=-1, keepdims=True)
    naive = gamma * (x - mu) / np.sqrt(np.maximum((x * x).mean(axis=-1, keepdims=True) - mu * mu, 0) + 1e-5) + beta
    # a deviation-based variance is exact to ~1e-10 here; E[x^2] - E[x]^2 is off by ~1e-4 relative
    assert_close_or_named(y, expected, "layernorm_forward of vectors around 1e6", {
        "the variance lost its precision: compute it as mean((x - mu)**2), not mean(x**2) - mu**2":
            naive,
    }, rtol=1e-6, atol=1e-6)
    dx, _, _ = backward(solution, dout, x, gamma)
    assert_close(dx, ref_dx, "dx of vectors around 1e6", rtol=1e-6, atol=1e-6)


def test_numpy_only(solution):
    """numpy only: the file does not use torch"""
    x, gamma, beta, dout = case(7, (3, 5))
    solution.layernorm_forward(x, gamma, beta)
    backward(solution, dout, x, gamma)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the backward pass by hand instead of using torch")
