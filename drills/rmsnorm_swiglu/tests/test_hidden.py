"""Hidden tests for rmsnorm_swiglu: float64 closed forms as oracles, with the answers of classic
mistakes (LayerNorm instead of RMSNorm, eps outside the root, SiLU on the wrong projection, ...) named."""

import io
import math
import tokenize
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import DrillFailure, assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named


def code_tokens(solution) -> list[tuple[int, str, str]]:
    """(type, text, line) of every token of the learner's file, read as text by the judge (never run)."""
    path = getattr(solution, "source_file", None)
    if path is None:
        fail("the grader did not give this test your file's path, so the banned-call check cannot run "
             "(a grader bug, not your code)")
    out = []
    try:
        for tok in tokenize.tokenize(io.BytesIO(Path(path).read_bytes()[:1_000_000]).readline):
            out.append((tok.type, tok.string, tok.line))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        pass
    return out


def check(got, want, what, mistakes, tolerance):
    """assert_close; when wrong, compute the classic mistakes' answers (lazily) and name a match."""
    try:
        assert_close(got, want, what, **tolerance)
    except DrillFailure:
        assert_close_or_named(got, want, what, mistakes(), **tolerance)


# ---------------------------------------------------------------- oracles (float64) and mistakes

def rms_ref(x, w, eps=1e-6, kind="rms", axis=-1):
    h, wd = x.double(), w.double()
    if kind == "layer":
        h = h - h.mean(axis, keepdim=True)
        out = h / torch.sqrt(h.pow(2).mean(axis, keepdim=True) + eps) * wd
    elif kind == "eps_outside":
        out = h / (torch.sqrt(h.pow(2).mean(axis, keepdim=True)) + eps) * wd
    elif kind == "sum":
        out = h / torch.sqrt(h.pow(2).sum(axis, keepdim=True) + eps) * wd
    elif kind == "no_weight":
        out = h / torch.sqrt(h.pow(2).mean(axis, keepdim=True) + eps)
    elif kind == "one_plus_weight":
        out = h / torch.sqrt(h.pow(2).mean(axis, keepdim=True) + eps) * (1 + wd)
    elif kind == "default_eps":
        out = h / torch.sqrt(h.pow(2).mean(axis, keepdim=True) + 1e-6) * wd
    else:
        out = h / torch.sqrt(h.pow(2).mean(axis, keepdim=True) + eps) * wd
    return out.to(x.dtype)


def rms_mistakes(x, w, eps=1e-6):
    named = {
        "RMSNorm does not subtract the mean (that is LayerNorm): divide x by sqrt(mean(x²) + eps)":
            rms_ref(x, w, eps, "layer"),
        "eps belongs inside the square root: x / sqrt(mean(x²) + eps), not x / (sqrt(mean(x²)) + eps)":
            rms_ref(x, w, eps, "eps_outside"),
        "the statistic is the MEAN of the squares over the last axis, not their sum": rms_ref(x, w, eps, "sum"),
        "the result must be multiplied by weight": rms_ref(x, w, eps, "no_weight"),
        "multiply by weight itself, not by (1 + weight)": rms_ref(x, w, eps, "one_plus_weight"),
    }
    if eps != 1e-6:
        named["the eps argument was ignored (the default 1e-6 was used)"] = rms_ref(x, w, eps, "default_eps")
    if x.dim() >= 2:
        named["normalise along the last axis (the channels), one vector at a time"] = rms_ref(x, w, eps, axis=0)
    return named


def swiglu_ref(x, wg, wu, wd, act="silu", swap=False):
    x, wg, wu, wd = x.double(), wg.double(), wu.double(), wd.double()
    if swap:
        wg, wu = wu, wg
    g = x @ wg
    g = {"silu": F.silu, "sigmoid": torch.sigmoid, "gelu": F.gelu, "relu": F.relu}[act](g)
    return ((g * (x @ wu)) @ wd).float()


def swiglu_mistakes(x, wg, wu, wd):
    return {
        "the SiLU goes on the gate projection (x @ w_gate), not on the up projection":
            swiglu_ref(x, wg, wu, wd, swap=True),
        "the gate is silu(z) = z * sigmoid(z), not sigmoid(z) (that is GLU)": swiglu_ref(x, wg, wu, wd, "sigmoid"),
        "the gate is silu(z) = z * sigmoid(z), not GELU (that is GeGLU)": swiglu_ref(x, wg, wu, wd, "gelu"),
        "the gate is silu(z) = z * sigmoid(z), not ReLU": swiglu_ref(x, wg, wu, wd, "relu"),
    }


def block_ref(x, nw, wg, wu, wd, eps=1e-6, kind="pre"):
    if kind == "pre":
        return (x.double() + swiglu_ref(rms_ref(x, nw, eps).float(), wg, wu, wd).double()).float()
    if kind == "normed_residual":
        h = rms_ref(x, nw, eps)
        return (h.double() + swiglu_ref(h, wg, wu, wd).double()).float()
    if kind == "no_residual":
        return swiglu_ref(rms_ref(x, nw, eps), wg, wu, wd)
    if kind == "post":
        return rms_ref((x.double() + swiglu_ref(x, wg, wu, wd).double()).float(), nw, eps)
    raise ValueError(kind)


def block_mistakes(x, nw, wg, wu, wd, eps=1e-6):
    return {
        "the residual must add the raw input x, not its normalised copy": block_ref(x, nw, wg, wu, wd, eps, "normed_residual"),
        "the residual connection is missing: return x + swiglu(rms_norm(x))": block_ref(x, nw, wg, wu, wd, eps, "no_residual"),
        "this is a pre-norm block: normalise the MLP's input, not the sum x + mlp(x)": block_ref(x, nw, wg, wu, wd, eps, "post"),
        "eps was not passed on to rms_norm": block_ref(x, nw, wg, wu, wd, 1e-6, "pre"),
    } if eps != 1e-6 else {
        "the residual must add the raw input x, not its normalised copy": block_ref(x, nw, wg, wu, wd, eps, "normed_residual"),
        "the residual connection is missing: return x + swiglu(rms_norm(x))": block_ref(x, nw, wg, wu, wd, eps, "no_residual"),
        "this is a pre-norm block: normalise the MLP's input, not the sum x + mlp(x)": block_ref(x, nw, wg, wu, wd, eps, "post"),
    }


def gen(seed):
    return torch.Generator().manual_seed(seed)


def mlp_weights(C, H, seed):
    g = gen(seed)
    return (torch.randn(C, H, generator=g) / math.sqrt(C), torch.randn(C, H, generator=g) / math.sqrt(C),
            torch.randn(H, C, generator=g) / math.sqrt(H))


# ---------------------------------------------------------------- rms_norm

def test_rms_norm_batched(solution, tolerance):
    """RMSNorm over the last axis of a (2, 5, 16) batch with a weight"""
    g = gen(0)
    x = torch.randn(2, 5, 16, generator=g) * 2 + 0.7  # a mean far from 0: LayerNorm would differ
    w = torch.rand(16, generator=g) + 0.5
    check(solution.rms_norm(x, w), rms_ref(x, w), "rms_norm on (2, 5, 16)", lambda: rms_mistakes(x, w), tolerance)


def test_rms_norm_eps(solution, tolerance):
    """a non-default eps goes inside the square root"""
    g = gen(1)
    x = torch.randn(4, 8, generator=g) * 0.05  # mean of squares ~ 0.0025, comparable to eps
    w = torch.rand(8, generator=g) + 0.5
    check(solution.rms_norm(x, w, eps=1e-2), rms_ref(x, w, 1e-2), "rms_norm with eps = 1e-2 on small inputs",
          lambda: rms_mistakes(x, w, 1e-2), tolerance)


def test_rms_norm_zeros_and_one_vector(solution, tolerance):
    """a vector of zeros gives zeros; a 1-D input is one vector"""
    w = torch.linspace(0.5, 2.0, 6)
    got = solution.rms_norm(torch.zeros(3, 6), w)
    if type(got) is torch.Tensor and got.shape == (3, 6) and torch.isnan(got).any():
        fail("rms_norm of a zero vector gave nan: eps inside the root keeps the division finite")
    assert_close(got, torch.zeros(3, 6), "rms_norm of zero vectors", **tolerance)
    x = torch.tensor([3.0, -4.0, 0.0, 1.0, 2.0, -2.0])
    check(solution.rms_norm(x, w), rms_ref(x, w), "rms_norm of a 1-D vector of 6", lambda: rms_mistakes(x, w), tolerance)


def test_rms_norm_float16_large(solution):
    """float16 input with values in the thousands: statistic in float32, float16 out"""
    g = gen(2)
    x = (torch.randn(3, 64, generator=g) * 1500).half()
    w = (torch.rand(64, generator=g) + 0.5).half()
    got = solution.rms_norm(x, w)
    if type(got) is torch.Tensor and got.dtype == torch.float16 and got.shape == x.shape:
        if not torch.isfinite(got).all() or (got == 0).float().mean() > 0.5:
            fail("float16 input near 1500: the squares overflowed float16 (65504 at most); compute the mean of the "
                 "squares in float32 (x.float()) and cast the result back to float16")
    assert_close(got, rms_ref(x, w), "rms_norm on float16 input", rtol=2e-3, atol=1e-3)


def test_rms_norm_bfloat16(solution):
    """bfloat16 in, bfloat16 out"""
    g = gen(3)
    x = (torch.randn(2, 3, 32, generator=g) * 3).bfloat16()
    w = (torch.rand(32, generator=g) + 0.5).bfloat16()
    got = solution.rms_norm(x, w)
    if type(got) is not torch.Tensor or got.dtype != torch.bfloat16 or got.shape != x.shape:
        fail(f"rms_norm on bfloat16 input: expected a bfloat16 tensor of shape {tuple(x.shape)}, got {describe(got)}")
    # numpy has no bfloat16: compare the values as float32 (bfloat16 keeps 8 bits of mantissa)
    assert_close(got.float(), rms_ref(x, w).float(), "rms_norm on bfloat16 input", rtol=1.6e-2, atol=1e-2)


# ---------------------------------------------------------------- swiglu and the block

@pytest.mark.parametrize("shape,H", [((2, 5, 16), 40), ((7, 12), 8)], ids=["(2, 5, 16), H = 40", "(7, 12), H = 8"])
def test_swiglu(solution, tolerance, shape, H):
    """SwiGLU equals (silu(x @ w_gate) * (x @ w_up)) @ w_down"""
    x = torch.randn(*shape, generator=gen(4)) * 1.5
    wg, wu, wd = mlp_weights(shape[-1], H, 5)
    check(solution.swiglu(x, wg, wu, wd), swiglu_ref(x, wg, wu, wd), f"swiglu on {shape} with H = {H}",
          lambda: swiglu_mistakes(x, wg, wu, wd), {"rtol": 1e-4, "atol": 1e-5})


def test_ffn_block(solution, tolerance):
    """the block is x + swiglu(rms_norm(x))"""
    g = gen(6)
    x = torch.randn(2, 4, 16, generator=g) * 3 + 1.0
    nw = torch.rand(16, generator=g) + 0.5
    wg, wu, wd = mlp_weights(16, 48, 7)
    check(solution.ffn_block(x, nw, wg, wu, wd), block_ref(x, nw, wg, wu, wd), "ffn_block on (2, 4, 16)",
          lambda: block_mistakes(x, nw, wg, wu, wd), {"rtol": 1e-4, "atol": 1e-5})


def test_ffn_block_eps(solution, tolerance):
    """the block passes its eps on to rms_norm"""
    g = gen(8)
    x = torch.randn(3, 8, generator=g) * 0.05
    nw = torch.rand(8, generator=g) + 0.5
    wg, wu, wd = mlp_weights(8, 16, 9)
    check(solution.ffn_block(x, nw, wg, wu, wd, eps=0.01), block_ref(x, nw, wg, wu, wd, 0.01),
          "ffn_block with eps = 0.01", lambda: block_mistakes(x, nw, wg, wu, wd, 0.01), {"rtol": 1e-4, "atol": 1e-5})


def test_no_builtin_rms_norm(solution, tolerance):
    """works without nn.RMSNorm or F.rms_norm"""
    x = torch.randn(3, 10, generator=gen(10)) + 0.3
    w = torch.rand(10, generator=gen(11)) + 0.5
    check(solution.rms_norm(x, w), rms_ref(x, w), "rms_norm on (3, 10)", lambda: rms_mistakes(x, w), tolerance)
    tokens = code_tokens(solution)
    used = set()
    for i, (kind, text, line) in enumerate(tokens):
        if kind != tokenize.NAME:
            continue
        if text == "RMSNorm":
            used.add("nn.RMSNorm")
        elif text == "rms_norm" and i and tokens[i - 1][1] == ".":
            used.add(f"{tokens[i - 2][1] if i > 1 else ''}.rms_norm")
        elif text == "rms_norm" and line.lstrip().startswith("from ") and "torch" in line:
            used.add("rms_norm imported from torch")
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: write RMSNorm yourself from its formula")
