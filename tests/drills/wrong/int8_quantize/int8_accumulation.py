# mlprep drill: int8_quantize
# expect: accumulate in int32
# Mistake: the int8 values are multiplied in int8, so the sums wrap around
"""Reference solution: symmetric and asymmetric int8 quantisation, per tensor or per channel,
and a matmul on int8 values with int32 accumulation."""

from __future__ import annotations

import numpy as np


def _reduce(x: np.ndarray, fn, axis: int | None) -> np.ndarray:
    """fn over the whole tensor, or over every axis but `axis` (kept, so the result broadcasts)."""
    if axis is None:
        return fn(x)
    others = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    return fn(x, axis=others, keepdims=True)


def _flat(values: np.ndarray, axis: int | None):
    """One number per tensor, a (C,) array per channel."""
    return values.reshape(-1) if axis is not None else values.item()


def _along(values, x_ndim: int, axis: int | None) -> np.ndarray:
    """Reshape a scale or zero point given per channel so it broadcasts along `axis`."""
    values = np.asarray(values)
    if axis is None or values.ndim == 0:
        return values
    shape = [1] * x_ndim
    shape[axis] = -1
    return values.reshape(shape)


def quantize_symmetric(x: np.ndarray, axis: int | None = None):
    x = np.asarray(x, dtype=np.float64)
    max_abs = _reduce(np.abs(x), np.max, axis)
    scale = np.where(max_abs > 0, max_abs / 127.0, 1.0)  # [-127, 127]: +max and -max both fit
    q = np.clip(np.round(x / scale), -127, 127).astype(np.int8)
    return q, _flat(scale, axis)


def quantize_asymmetric(x: np.ndarray, axis: int | None = None):
    x = np.asarray(x, dtype=np.float64)
    lo = np.minimum(_reduce(x, np.min, axis), 0.0)  # include 0 so that 0.0 is exact
    hi = np.maximum(_reduce(x, np.max, axis), 0.0)
    scale = np.where(hi > lo, (hi - lo) / 255.0, 1.0)
    zero_point = np.clip(np.round(-128.0 - lo / scale), -128, 127)
    q = np.clip(np.round(x / scale) + zero_point, -128, 127).astype(np.int8)
    return q, _flat(scale, axis), _flat(zero_point.astype(np.int64), axis)


def dequantize(q: np.ndarray, scale, zero_point=0, axis: int | None = None) -> np.ndarray:
    q = np.asarray(q)
    shifted = q.astype(np.float64) - _along(zero_point, q.ndim, axis)
    return shifted * _along(scale, q.ndim, axis)


def quantized_matmul(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    qx, scale_x = quantize_symmetric(x)  # one scale for the activations
    qw, scale_w = quantize_symmetric(w, axis=1)  # one scale per output column, (m,)
    acc = qx @ qw
    return acc * (scale_x * scale_w[None, :])
