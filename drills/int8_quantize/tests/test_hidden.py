"""Hidden tests for int8_quantize: the prompt's closed forms computed here, round-trip error
bounds, 0.0 exactly representable, and the matmul's stated error bound."""

import numpy as np
import pytest

from mlprep.drills.compare import assert_close, expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import expect_float


def tensor(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape) * rng.uniform(0.1, 5.0, size=(shape[0],) + (1,) * (len(shape) - 1))


def reduce_max(x, axis):
    if axis is None:
        return np.max(x)
    return np.max(x, axis=tuple(i for i in range(x.ndim) if i != axis))


def along(v, ndim, axis):
    if axis is None:
        return v
    shape = [1] * ndim
    shape[axis] = -1
    return np.reshape(v, shape)


def as_scale(value, axis, channels, what):
    if axis is None:
        if type(value) is np.ndarray and value.shape == (1,):  # a 0-d array arrives with shape (1,)
            value = value[0]
        return np.asarray(expect_float(value, f"{what}: one scale per tensor"))
    return expect_array(value, what, shape=(channels,), kinds="f").astype(np.float64)


def expected_symmetric(x, axis, divisor=127.0):
    m = reduce_max(np.abs(x), axis)
    scale = np.where(m > 0, m / divisor, 1.0)
    return np.clip(np.round(x / along(scale, x.ndim, axis)), -127, 127).astype(np.int8), scale


CASES = [((6, 10), None), ((6, 10), 0), ((6, 10), 1), ((4, 3, 5), 1)]
IDS = ["per tensor", "per row (axis 0)", "per column (axis 1)", "3-D, axis 1"]


@pytest.mark.parametrize("shape,axis", CASES, ids=IDS)
def test_symmetric(solution, tolerance, shape, axis):
    """symmetric: scale = max|x| / 127 over the right axes, q = round(x / scale) in int8"""
    x = tensor(shape, 1)
    q_ok, s_ok = expected_symmetric(x, axis)
    channels = None if axis is None else shape[axis]
    got = solution.quantize_symmetric(x, axis)
    if type(got) not in (tuple, list) or len(got) != 2:
        fail("quantize_symmetric must return a pair (q, scale)")
    q, s = got
    s = as_scale(s, axis, channels, f"scale ({IDS[CASES.index((shape, axis))]})")
    _, s128 = expected_symmetric(x, axis, divisor=128.0)
    assert_close_or_named(s, np.asarray(s_ok, dtype=np.float64), "scale", {
        "symmetric int8 uses [-127, 127]: scale = max|x| / 127, not / 128": np.asarray(s128, dtype=np.float64)},
        **tolerance)
    q = expect_array(q, "q", shape=shape)
    if q.dtype != np.int8:
        fail(f"q must be an int8 array, got dtype {q.dtype}")
    floor = np.clip(np.trunc(x / along(s_ok, x.ndim, axis)), -127, 127).astype(np.int8)
    assert_close_or_named(q, q_ok, "q", {
        "q truncates towards zero: round to nearest with np.round before casting to int8": floor})


def test_all_zero_channel(solution):
    """an all-zero channel gets scale 1.0 and q = 0 (no division by zero)"""
    x = tensor((3, 4), 2)
    x[1] = 0.0
    q, s = solution.quantize_symmetric(x, 0)
    s = expect_array(s, "scale", shape=(3,), kinds="f")
    if not np.isfinite(s).all() or s[1] != 1.0:
        fail(f"the all-zero channel must get scale 1.0, got {s[1]}")
    if np.any(expect_array(q, "q", shape=(3, 4))[1] != 0):
        fail("the all-zero channel must quantise to zeros")


@pytest.mark.parametrize("shape,axis", [((50,), None), ((5, 12), 0), ((7, 6), 1)], ids=["per tensor", "axis 0", "axis 1"])
def test_asymmetric(solution, tolerance, shape, axis):
    """asymmetric: [min(x, 0), max(x, 0)] onto [-128, 127]; closed-form scale, zero point and q"""
    x = np.abs(tensor(shape, 3)) + 0.5  # all positive (post-ReLU): where asymmetric pays off
    other = None if axis is None else tuple(i for i in range(x.ndim) if i != axis)
    lo = np.minimum(x.min(axis=other), 0.0)
    hi = np.maximum(x.max(axis=other), 0.0)
    scale = np.where(hi > lo, (hi - lo) / 255, 1.0)
    zp = np.clip(np.round(-128 - lo / scale), -128, 127)
    q_ok = np.clip(np.round(x / along(scale, x.ndim, axis)) + along(zp, x.ndim, axis), -128, 127).astype(np.int8)
    got = solution.quantize_asymmetric(x, axis)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail("quantize_asymmetric must return (q, scale, zero_point)")
    q, s, z = got
    channels = None if axis is None else shape[axis]
    s = as_scale(s, axis, channels, "scale")
    raw = np.where(x.max(axis=other) > x.min(axis=other), (x.max(axis=other) - x.min(axis=other)) / 255, 1.0)
    assert_close_or_named(s, np.asarray(scale, dtype=np.float64), "scale", {
        "the range must include 0 (lo = min(min(x), 0), hi = max(max(x), 0)) so that 0.0 is exact":
            np.asarray(raw, dtype=np.float64)}, **tolerance)
    z = np.asarray(z)
    if z.dtype.kind not in "iuf" or z.shape != np.shape(zp) or not np.array_equal(z, zp):
        fail(f"zero_point: expected {np.asarray(zp).astype(int).tolist()}, got {z.tolist()} "
             "(zero_point = clip(round(-128 - lo / scale), -128, 127))")
    q = expect_array(q, "q", shape=shape)
    if q.dtype != np.int8:
        fail(f"q must be an int8 array, got dtype {q.dtype}")
    assert_close(q, q_ok, "q = clip(round(x / scale) + zero_point, -128, 127)")


@pytest.mark.parametrize("axis", [None, 1], ids=["per tensor", "per channel"])
def test_round_trip(solution, axis):
    """dequantize(quantize(x)) is within scale / 2 of x, and 0.0 comes back exactly 0.0"""
    x = tensor((6, 9), 4)
    x[2, 3] = 0.0
    for name in ("quantize_symmetric", "quantize_asymmetric"):
        parts = getattr(solution, name)(x, axis)
        back = expect_array(solution.dequantize(*parts, axis=axis), f"dequantize after {name}", shape=x.shape,
                            kinds="f")
        s = along(np.asarray(parts[1], dtype=np.float64), x.ndim, axis)
        err = np.abs(back - x) / np.broadcast_to(s, x.shape)
        if err.max() > 0.5 + 1e-6:
            where = np.unravel_index(int(np.argmax(err)), x.shape)
            fail(f"{name} then dequantize: x{list(where)} came back {err.max():.2f} scales away (at most 0.5 "
                 "when rounding to nearest; dequantize is (q - zero_point) * scale)")
        if back[2, 3] != 0.0:
            fail(f"{name} then dequantize: 0.0 came back as {back[2, 3]}; 0.0 must be exact")


def test_matmul_exact_and_within_bound(solution, tolerance):
    """quantised matmul: int32 accumulation of int8 products, within the stated error bound"""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(16, 64))
    w = rng.normal(size=(64, 10)) * np.logspace(-2, 1, 10)  # columns of very different magnitude
    qx, sx = expected_symmetric(x, None)
    qw, sw = expected_symmetric(w, 1)
    expected = (qx.astype(np.int64) @ qw.astype(np.int64)) * (sx * sw[None, :])
    wrapped = (qx @ qw).astype(np.float64) * (sx * sw[None, :])  # int8 accumulation wraps
    qwt, swt = expected_symmetric(w, None)
    per_tensor = (qx.astype(np.int64) @ qwt.astype(np.int64)) * (sx * swt)
    got = expect_array(solution.quantized_matmul(x, w), "quantized_matmul", shape=(16, 10), kinds="f")
    bound = sx / 2 * np.abs(w).sum(0)[None, :] + sw[None, :] / 2 * np.abs(x).sum(1)[:, None] + 64 * sx * sw / 4
    err = np.abs(got - x @ w)
    if np.any(err > bound * (1 + 1e-9)):
        i, j = np.unravel_index(int(np.argmax(err / bound)), err.shape)
        if np.allclose(got, wrapped):
            fail("the products overflowed: accumulate in int32 (cast q to np.int32 before the matmul)")
        if np.allclose(got, per_tensor):
            fail(f"entry [{i}, {j}] breaks the error bound: quantise w with one scale per output column "
                 "(axis=1), not one for the whole matrix")
        fail(f"entry [{i}, {j}] is {err[i, j]:.3g} from x @ w, more than the bound {bound[i, j]:.3g}")
    assert_close_or_named(got.astype(np.float64), expected, "quantized_matmul", {
        "the products overflowed: accumulate in int32 (cast q to np.int32 before the matmul)": wrapped,
        "quantise w with one scale per output column (axis=1), not one for the whole matrix": per_tensor},
        rtol=1e-9, atol=1e-9)
