"""Hidden tests for count_params: every count is checked against torch's own numel."""

import pytest
import torch.nn as nn

from mlprep.drills.compare import describe, fail


def build(spec: dict) -> nn.Module:
    """The PyTorch layer a spec describes, on the meta device (no memory is allocated)."""
    kind, args = spec["type"], {k: v for k, v in spec.items() if k != "type"}
    if kind == "sequential":
        return nn.Sequential(*(build(s) for s in args["layers"]))
    if kind == "conv2d" and isinstance(args["kernel_size"], list):
        args["kernel_size"] = tuple(args["kernel_size"])
    layer = {"linear": nn.Linear, "conv2d": nn.Conv2d, "batchnorm2d": nn.BatchNorm2d, "layernorm": nn.LayerNorm,
             "embedding": nn.Embedding, "multihead_attention": nn.MultiheadAttention}[kind]
    return layer(**args, device="meta")


def numel(spec: dict) -> int:
    return sum(p.numel() for p in build(spec).parameters())


def check(solution, spec: dict, what: str, mistakes: dict[int, str] | None = None) -> None:
    got = solution.count_params(spec)
    if type(got) is not int:
        fail(f"{what}: expected a Python int, got {describe(got)}")
    expected = numel(spec)
    if got != expected:
        named = (mistakes or {}).get(got)
        fail(f"{what}: expected {expected} parameters, got {got}" + (f": {named}" if named else ""))


@pytest.mark.parametrize("spec", [
    {"type": "linear", "in_features": 30, "out_features": 7},
    {"type": "linear", "in_features": 768, "out_features": 3072, "bias": False},
], ids=["with bias", "without bias"])
def test_linear(solution, spec):
    """linear layers"""
    n_in, n_out = spec["in_features"], spec["out_features"]
    check(solution, spec, f"linear {n_in} -> {n_out}", {n_in * n_out + n_in: "a linear layer has one bias per output feature"})


@pytest.mark.parametrize("spec", [
    {"type": "conv2d", "in_channels": 64, "out_channels": 128, "kernel_size": 3},
    {"type": "conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": [5, 3], "bias": False},
    {"type": "conv2d", "in_channels": 32, "out_channels": 64, "kernel_size": 3, "groups": 4},
    {"type": "conv2d", "in_channels": 48, "out_channels": 48, "kernel_size": 7, "groups": 48},
], ids=["3x3", "5x3 no bias", "groups=4", "depthwise"])
def test_conv2d(solution, spec):
    """2-D convolutions: square and rectangular kernels, groups, depthwise"""
    k = spec["kernel_size"]
    kh, kw = (k, k) if isinstance(k, int) else k
    ungrouped = spec["out_channels"] * spec["in_channels"] * kh * kw + (spec["out_channels"] if spec.get("bias", True) else 0)
    check(solution, spec, f"conv2d {spec}", {
        ungrouped: "with groups, each filter sees only in_channels / groups input channels"} if spec.get("groups", 1) > 1 else {})


@pytest.mark.parametrize("affine", [True, False], ids=["affine", "not affine"])
def test_batchnorm(solution, affine):
    """batch-norm counts gamma and beta, not the running statistics"""
    spec = {"type": "batchnorm2d", "num_features": 64, "affine": affine}
    check(solution, spec, f"batchnorm2d(64, affine={affine})", {
        (4 if affine else 2) * 64: "the running mean and variance are buffers, not parameters"})


def test_layernorm(solution):
    """layer norm with and without bias"""
    check(solution, {"type": "layernorm", "normalized_shape": 384}, "layernorm(384)")
    check(solution, {"type": "layernorm", "normalized_shape": 384, "bias": False}, "layernorm(384, bias=False)")


def test_embedding(solution):
    """an embedding table"""
    check(solution, {"type": "embedding", "num_embeddings": 50257, "embedding_dim": 768}, "embedding 50257 x 768")


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no bias"])
def test_attention(solution, bias):
    """multi-head attention: packed q, k, v projections and the output projection"""
    e = 256
    spec = {"type": "multihead_attention", "embed_dim": e, "num_heads": 8, "bias": bias}
    check(solution, spec, f"multihead_attention(256, 8, bias={bias})", {
        3 * e * e + (3 * e if bias else 0): "multi-head attention also has its output projection (E x E weight, E bias)"})


def test_small_cnn(solution):
    """a small network in a sequential"""
    spec = {"type": "sequential", "layers": [
        {"type": "conv2d", "in_channels": 3, "out_channels": 32, "kernel_size": 3, "bias": False},
        {"type": "batchnorm2d", "num_features": 32},
        {"type": "conv2d", "in_channels": 32, "out_channels": 32, "kernel_size": 3, "groups": 32},
        {"type": "linear", "in_features": 32, "out_features": 10},
    ]}
    check(solution, spec, "a conv / batch-norm / depthwise conv / linear stack")
