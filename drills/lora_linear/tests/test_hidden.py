"""Hidden tests for lora_linear: initialisation, alpha / r scaling, frozen base, gradients, merge."""

import pytest
import torch

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named

CASES = {"r=4, alpha=16": (12, 8, 4, 16.0), "r=2, alpha=3": (5, 7, 2, 3.0)}


_reports: dict[str, dict] = {}


def run_probe(solution, name: str) -> dict:
    """The learner's probe report for one case (computed once per case, inside a test)."""
    if name in _reports:
        return _reports[name]
    n_in, n_out, r, alpha = CASES[name]
    g = torch.Generator().manual_seed(n_in)
    weight, bias = torch.randn(n_out, n_in, generator=g), torch.randn(n_out, generator=g)
    x, b_value, grad_out = torch.randn(6, n_in, generator=g), torch.randn(n_out, r, generator=g), torch.randn(6, n_out, generator=g)
    report = solution.probe(weight, bias, r, alpha, x, b_value, grad_out)
    if type(report) is not dict or not {"A", "B", "y_init", "y", "grads", "trainable", "y_merged"} <= set(report):
        fail(f"probe must return the starter's report; got {describe(report)}")
    _reports[name] = {"weight": weight, "bias": bias, "x": x, "r": r, "alpha": alpha, "b_value": b_value,
                      "grad_out": grad_out, "what": name, **report}
    return _reports[name]


@pytest.fixture(params=list(CASES), ids=list(CASES))
def case(request, solution):
    return lambda: run_probe(solution, request.param)


def test_starts_as_base(case, tolerance):
    """at initialisation B is zero and the layer equals the base layer"""
    c = case()
    base_y = c["x"] @ c["weight"].T + c["bias"]
    if type(c["B"]) is torch.Tensor and c["B"].shape == (c["weight"].shape[0], c["r"]) and c["B"].abs().max() > 0:
        fail(f"{c['what']}: at initialisation the layer must equal the base layer: B starts at zero (yours holds values up to {c['B'].abs().max():.3g})")
    assert_close(c["y_init"], base_y, f"{c['what']}: the output at initialisation", **tolerance)


def test_a_is_random(case):
    """A has shape (r, in_features) and starts random"""
    c = case()
    a, r, n_in = c["A"], c["r"], c["weight"].shape[1]
    if type(a) is not torch.Tensor or tuple(a.shape) != (r, n_in):
        fail(f"{c['what']}: A should be a tensor of shape (r, in_features) = {(r, n_in)}; got {describe(a)}")
    if not a.abs().any() or torch.unique(a).numel() < a.numel() // 2:
        fail(f"{c['what']}: A must start random (non-zero, varied): with B = 0 and A = 0 neither ever gets a gradient")


def test_scaled_update(case, tolerance):
    """with B set, the output adds (alpha / r) * x A^T B^T"""
    c = case()
    base_y = c["x"] @ c["weight"].T + c["bias"]
    delta = c["x"] @ c["A"].T @ c["b_value"].T
    assert_close_or_named(c["y"], base_y + c["alpha"] / c["r"] * delta, f"{c['what']}: the output with B set", {
        "the update must be scaled by alpha / r, not by alpha": base_y + c["alpha"] * delta,
        "the update must be scaled by alpha / r; yours is not scaled": base_y + delta,
    }, **tolerance)


def test_only_a_and_b_train(case, tolerance):
    """the base is frozen: only A and B are trainable and get gradients"""
    c = case()
    trainable = sorted(c["trainable"]) if type(c["trainable"]) is list else c["trainable"]
    if trainable != ["A", "B"]:
        fail(f"{c['what']}: only A and B may be trainable, the base layer must be frozen; trainable parameters: {trainable}")
    for name in ("base.weight", "base.bias"):
        if c["grads"].get(name) is not None:
            fail(f"{c['what']}: {name} received a gradient: the base layer must be frozen")
    A = c["A"].clone().requires_grad_(True)
    B = c["b_value"].clone().requires_grad_(True)
    y = c["x"] @ c["weight"].T + c["bias"] + c["alpha"] / c["r"] * (c["x"] @ A.T @ B.T)
    (y * c["grad_out"]).sum().backward()
    for name, ref in (("A", A.grad), ("B", B.grad)):
        got = c["grads"].get(name)
        if got is None:
            fail(f"{c['what']}: no gradient reached {name}")
        assert_close(got, ref, f"{c['what']}: the gradient of {name}", **tolerance)


def test_merge(case, tolerance):
    """merge() returns a plain Linear with the same outputs, leaving the base unchanged"""
    c = case()
    assert_close(c["y_merged"], c["y"], f"{c['what']}: merge() must give the same outputs as the LoRA layer", **tolerance)
    if not torch.equal(c["base_weight_after"], c["weight"]):
        fail(f"{c['what']}: merge() changed the base layer's weight; build a new nn.Linear instead")
