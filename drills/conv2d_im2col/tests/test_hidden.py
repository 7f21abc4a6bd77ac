"""Hidden tests for conv2d_im2col: im2col against F.unfold (exactly) and conv2d against
F.conv2d (float64), over strides, paddings, dilations, rectangular kernels and tuple arguments."""

import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from mlprep.drills.compare import assert_close, describe, fail
from mlprep.drills.mistakes import assert_close_or_named


def unfold(x, k, s=1, p=0, d=1):
    return F.unfold(torch.tensor(x), k, dilation=d, padding=p, stride=s).numpy()


def ref_conv(x, w, b=None, s=1, p=0, d=1):
    return F.conv2d(torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(b), stride=s, padding=p, dilation=d).numpy()


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def data(seed, x_shape, w_shape):
    rng = np.random.default_rng(seed)
    return rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])


def taps_without_dilation(x, k, s, p, d):
    """im2col with the right output size but adjacent kernel taps (dilation ignored inside)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(k), pair(s), pair(p), pair(d)
    n, c, h, w = x.shape
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.zeros((n, c, kh, kw, h_out, w_out))
    for i in range(kh):
        for j in range(kw):
            for r in range(h_out):
                for col in range(w_out):
                    cols[:, :, i, j, r, col] = xp[:, :, r * sh + i, col * sw + j]
    return cols.reshape(n, c * kh * kw, h_out * w_out)


IM2COL_CASES = {
    "3x3, stride 1, no padding": ((2, 3, 6, 7), 3, 1, 0, 1),
    "3x3, stride 2, padding 1": ((2, 3, 7, 7), 3, 2, 1, 1),
    "3x3, dilation 2, padding 2": ((1, 2, 8, 9), 3, 1, 2, 2),
    "(2, 3) kernel, stride (2, 1), padding (0, 2), dilation (1, 2)": ((2, 2, 7, 6), (2, 3), (2, 1), (0, 2), (1, 2)),
}


@pytest.mark.parametrize("name", list(IM2COL_CASES), ids=list(IM2COL_CASES))
def test_im2col(solution, name):
    """im2col equals F.unfold exactly"""
    shape, k, s, p, d = IM2COL_CASES[name]
    x = np.random.default_rng(len(name)).normal(size=shape)
    got = solution.im2col(x, k, stride=s, padding=p, dilation=d)
    expected = unfold(x, k, s, p, d)
    kh, kw = pair(k)
    n, c = shape[:2]
    L = expected.shape[2]
    # the same patches in (kernel row, kernel column, channel) order, a common layout that is not unfold's
    hwc = expected.reshape(n, c, kh * kw, L).transpose(0, 2, 1, 3).reshape(n, c * kh * kw, L)
    mistakes = {}
    if c > 1:
        mistakes["rows must be ordered channel first, then kernel row, then kernel column (F.unfold's layout)"] = hwc
    if pair(d) != (1, 1):
        mistakes["dilation spreads the kernel taps dilation pixels apart; yours ignores it"] = taps_without_dilation(x, k, s, p, d)
    assert_close_or_named(got, expected, f"im2col with {name}", mistakes, rtol=0.0, atol=0.0)


CONV_CASES = {
    "3x3, stride 1, no padding": ((2, 3, 8, 8), (4, 3, 3, 3), 1, 0, 1),
    "3x3, stride 2, padding 1": ((2, 3, 9, 9), (5, 3, 3, 3), 2, 1, 1),
    "3x3, dilation 2, padding 2": ((2, 2, 9, 10), (3, 2, 3, 3), 1, 2, 2),
    "(3, 2) kernel, stride (1, 2), padding (1, 0), dilation (2, 1)": ((1, 3, 9, 8), (2, 3, 3, 2), (1, 2), (1, 0), (2, 1)),
    "1x1 kernel": ((3, 4, 5, 5), (6, 4, 1, 1), 1, 0, 1),
    "kernel as large as the padded input (1 x 1 output)": ((2, 2, 4, 5), (3, 2, 6, 7), 1, 1, 1),
    "stride that does not divide the input (floor)": ((1, 2, 10, 11), (2, 2, 3, 3), 3, 0, 1),
}


@pytest.mark.parametrize("name", list(CONV_CASES), ids=list(CONV_CASES))
def test_conv2d(solution, name, tolerance):
    """conv2d equals F.conv2d"""
    xs, ws, s, p, d = CONV_CASES[name]
    x, w, b = data(len(name), xs, ws)
    expected = ref_conv(x, w, b, s, p, d)
    got = solution.conv2d(x, w, b, stride=s, padding=p, dilation=d)
    if type(got) is np.ndarray and got.ndim == 4 and got.shape != expected.shape:
        fail(f"conv2d with {name}: expected output shape {expected.shape}, got {got.shape}; "
             "H_out = floor((H + 2 * padding - dilation * (kH - 1) - 1) / stride) + 1")
    mistakes = {"F.conv2d is a cross-correlation: do not flip the kernel": ref_conv(x, w[:, :, ::-1, ::-1].copy(), b, s, p, d)}
    if pair(d) != (1, 1):
        cols = taps_without_dilation(x, ws[2:], s, p, d)
        mistakes["dilation spreads the kernel taps dilation pixels apart; yours ignores it"] = (
            (w.reshape(ws[0], -1) @ cols).reshape(expected.shape) + b[:, None, None])
    assert_close_or_named(got, expected, f"conv2d with {name}", mistakes, **tolerance)


def test_bias_none_and_added_per_channel(solution, tolerance):
    """bias=None means no bias; a bias adds one constant per output channel"""
    x, w, b = data(11, (2, 3, 6, 6), (4, 3, 3, 3))
    assert_close(solution.conv2d(x, w, None, padding=1), ref_conv(x, w, None, 1, 1), "conv2d with bias=None", **tolerance)
    got = solution.conv2d(x, w, b, padding=1)
    expected = ref_conv(x, w, b, 1, 1)
    assert_close_or_named(got, expected, "conv2d with a bias", {
        "conv2d ignored the bias: add bias[o] to every pixel of output channel o": ref_conv(x, w, None, 1, 1),
    }, **tolerance)


def test_padding_both_sides(solution, tolerance):
    """padding adds zeros on both sides of each spatial axis"""
    x, w, b = data(12, (1, 1, 5, 5), (1, 1, 3, 3))
    got = solution.conv2d(x, w, b, padding=2)
    expected = ref_conv(x, w, b, 1, 2)
    if type(got) is np.ndarray and got.shape != expected.shape and got.ndim == 4:
        fail(f"padding 2 on a 5 x 5 input with a 3 x 3 kernel gives a 7 x 7 output; got {got.shape[2:]}: "
             "pad both sides (top and bottom, left and right)")
    assert_close(got, expected, "conv2d with padding 2", **tolerance)


def test_realistic_layer_is_fast(solution, tolerance):
    """a layer of batch 16, 32 -> 64 channels, 32 x 32, 3 x 3, padding 1 (vectorised)"""
    x, w, b = data(13, (16, 32, 32, 32), (64, 32, 3, 3))
    started = time.perf_counter()
    got = solution.conv2d(x, w, b, padding=1)
    seconds = time.perf_counter() - started
    assert_close(got, ref_conv(x, w, b, 1, 1), "conv2d of a (16, 32, 32, 32) batch", **tolerance)
    if seconds > 2.5:  # the reference takes ~0.1 s here, data transfer included
        fail(f"conv2d of a (16, 32, 32, 32) batch took {seconds:.1f} s: vectorise (one matmul over im2col columns)")


def test_numpy_only(solution):
    """numpy only: the file does not use torch"""
    x, w, b = data(14, (1, 2, 5, 5), (3, 2, 3, 3))
    solution.conv2d(x, w, b)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "build im2col yourself instead of using torch")
