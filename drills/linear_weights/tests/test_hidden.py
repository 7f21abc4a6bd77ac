"""Hidden tests for linear_weights: the layer stays on the judge's side, the child only calls it."""

import pytest
import torch

from mlprep.drills.compare import assert_close, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.protocol import BlackBox


def make_layer(n_in: int, n_out: int, bias: bool = True, seed: int = 0, scale: float = 1.0) -> torch.nn.Linear:
    torch.manual_seed(seed)
    layer = torch.nn.Linear(n_in, n_out, bias=bias)
    with torch.no_grad():
        layer.weight.mul_(scale)
        if bias:
            layer.bias.uniform_(-3 * scale, 3 * scale)
    return layer


def recover(solution, layer: torch.nn.Linear, max_calls: int = 10_000):
    box = BlackBox(lambda x: layer(x).detach(), name="layer", max_calls=max_calls)
    got = solution.recover_linear(box, layer.in_features)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"expected a (weight, bias) pair, got {type(got).__name__}")
    return got


def check(solution, layer, tolerance, what):
    weight, bias = recover(solution, layer)
    expected_bias = layer.bias.detach() if layer.bias is not None else torch.zeros(layer.out_features)
    w = layer.weight.detach().clone()
    assert_close_or_named(weight, w, f"{what}: weight", {
        "forgot to subtract the bias: layer(I) is W.T + b, take layer(0) = b off before reading W":
            w + expected_bias[:, None],
        "the weight is transposed: layer(I) gives W.T, transpose it back": w.T.contiguous(),
        "forgot to subtract the bias and to transpose: layer(I) - layer(0) is W.T": (w + expected_bias[:, None]).T.contiguous(),
    }, **tolerance)
    assert_close_or_named(bias, expected_bias, f"{what}: bias", {
        "the bias has the wrong sign: layer(0) is +b": -expected_bias,
    }, **tolerance)


@pytest.mark.parametrize("n_in,n_out", [(30, 30), (5, 12), (64, 1), (1, 7)], ids=["30->30", "5->12", "64->1", "1->7"])
def test_shapes(solution, tolerance, n_in, n_out):
    """recovers weight and bias for layers of different shapes"""
    check(solution, make_layer(n_in, n_out, seed=n_in * 100 + n_out), tolerance, f"a {n_in} -> {n_out} layer")


def test_no_bias(solution, tolerance):
    """a layer without bias gives a bias of zeros"""
    check(solution, make_layer(6, 4, bias=False, seed=3), tolerance, "a layer built with bias=False")


def test_large_values(solution, tolerance):
    """weights and bias of large magnitude are recovered exactly enough"""
    check(solution, make_layer(8, 5, seed=4, scale=1000.0), tolerance, "a layer with weights near 1000")


def test_few_calls(solution, tolerance):
    """recovers the layer with a handful of calls (no optimisation)"""
    layer = make_layer(16, 3, seed=5)
    try:
        weight, bias = recover(solution, layer, max_calls=20)
    except AssertionError as exc:
        if "called more than 20 times" in str(exc):
            fail("the layer was called more than 20 times; two calls are enough")
        raise
    assert_close(weight, layer.weight.detach().clone(), "weight", **tolerance)
