"""Hidden tests for conv_weights: the conv stays on the judge's side; the child only calls it."""

import pytest
import torch

from mlprep.drills.compare import assert_close, fail
from mlprep.drills.protocol import BlackBox
from mlprep.drills.proxy import SolutionRaised


def make_conv(c_in, c_out, k, padding, bias=True, seed=0):
    torch.manual_seed(seed)
    conv = torch.nn.Conv2d(c_in, c_out, k, padding=padding, bias=bias)
    with torch.no_grad():
        conv.weight.normal_()
        if bias:
            conv.bias.uniform_(-2, 2)
    return conv


class Probe:
    """The black box's judge side: runs the conv and remembers the largest image it was shown."""

    def __init__(self, conv):
        self.conv = conv
        self.largest = (0, 0)

    def __call__(self, x):
        if type(x) is not torch.Tensor or x.dim() != 4 or x.shape[1] != self.conv.in_channels:
            raise ValueError(f"expected a float tensor (N, {self.conv.in_channels}, H, W)")
        self.largest = max(self.largest, tuple(x.shape[2:]), key=lambda s: s[0] * s[1])
        with torch.no_grad():
            return self.conv(x.float())


def padding_ignored(conv, p):
    """What reading output (0, 0) instead of (p, p) recovers: the kernel shifted by p."""
    w = conv.weight.detach()
    kh, kw = w.shape[2:]
    shifted = torch.zeros_like(w)
    shifted[:, :, : kh - p, : kw - p] = w[:, :, p:, p:]
    return shifted


def check(solution, conv, tolerance, what):
    kh, kw = conv.kernel_size
    p = conv.padding[0]
    probe = Probe(conv)

    def big() -> bool:
        return probe.largest[0] * probe.largest[1] > kh * kw

    def note() -> str:
        h, w = probe.largest
        return (f"you probed {h * w} pixel positions of a {h}x{w} image, but each filter has only {kh}x{kw} "
                "positions per channel: a one-hot outside the window of the output you read never reaches it, "
                "so those responses are not kernel entries")
    try:
        got = solution.extract_conv_weights(BlackBox(probe, name="layer", max_calls=50), conv.in_channels, (kh, kw), padding=p)
    except SolutionRaised as exc:
        if big():
            fail(f"{what}: {exc} ({note()})")
        raise
    if type(got) not in (tuple, list) or len(got) != 2:
        fail(f"{what}: expected a (weight, bias) pair, got {type(got).__name__}")
    weight, bias = got
    w = conv.weight.detach()
    b = conv.bias.detach() if conv.bias is not None else torch.zeros(conv.out_channels)
    if big() and not (type(weight) is torch.Tensor and weight.shape == w.shape and torch.allclose(weight, w, atol=1e-4)):
        fail(f"{what}: {note()}")
    if type(weight) is torch.Tensor and tuple(weight.shape) == (kh, kw, conv.in_channels, conv.out_channels) and (
            weight.shape != w.shape or torch.allclose(weight, w.permute(2, 3, 1, 0), atol=1e-4)):
        fail(f"{what}: weight must have PyTorch's layout (out_channels, in_channels, kh, kw) = {tuple(w.shape)}; "
             f"yours is (kh, kw, in_channels, out_channels) = {tuple(weight.shape)}")
    if type(weight) is torch.Tensor and weight.shape == w.shape:
        if torch.allclose(weight, w + b[:, None, None, None], atol=1e-4) and b.abs().max() > 1e-3:
            fail(f"{what}: each probe's response includes the bias: subtract the bias (the response to a zero image)")
        if p and torch.allclose(weight, padding_ignored(conv, p), atol=1e-4):
            fail(f"{what}: with padding p the window whose top-left is input pixel (0, 0) sits at output (p, p), "
                 "not at output (0, 0)")
    assert_close(weight, w.clone(), f"{what}: weight", **tolerance)
    assert_close(bias, b.clone(), f"{what}: bias", **tolerance)


@pytest.mark.parametrize("c_in, c_out, k, padding", [
    (3, 3, 3, 0), (1, 4, 5, 2), (4, 2, (3, 5), 1), (2, 6, 1, 0),
], ids=["the note's 3x3x3", "5x5 padding 2 one channel", "3x5 padding 1", "1x1"])
def test_kernels(solution, tolerance, c_in, c_out, k, padding):
    """recovers kernels of several sizes, channels and paddings"""
    conv = make_conv(c_in, c_out, k, padding, seed=c_in * 10 + c_out)
    check(solution, conv, tolerance, f"Conv2d({c_in}, {c_out}, kernel_size={k}, padding={padding})")


def test_no_bias(solution, tolerance):
    """a conv without bias gives a zero bias"""
    check(solution, make_conv(2, 3, 3, 1, bias=False, seed=7), tolerance, "Conv2d(2, 3, 3, padding=1, bias=False)")


def test_large_weights(solution, tolerance):
    """large weights and bias are recovered"""
    conv = make_conv(2, 2, 3, 0, seed=8)
    with torch.no_grad():
        conv.weight.mul_(300)
        conv.bias.mul_(300)
    check(solution, conv, {"rtol": tolerance["rtol"], "atol": 1e-3}, "a Conv2d with weights in the hundreds")
