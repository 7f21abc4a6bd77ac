# mlprep drill: int8_quantize
"""Int8 quantisation and a quantised matmul. Run the public examples with
`pytest test_int8_quantize_examples.py` and grade with `mlprep grade int8_quantize.py`."""

from __future__ import annotations

import numpy as np


def quantize_symmetric(x: np.ndarray, axis: int | None = None):
    """(q int8, scale): scale = max|x| / 127 per tensor (axis=None) or per channel along `axis`;
    q = clip(round(x / scale), -127, 127). An all-zero channel gets scale 1.0."""
    raise NotImplementedError("quantize_symmetric")


def quantize_asymmetric(x: np.ndarray, axis: int | None = None):
    """(q int8, scale, zero_point): the range [min(x, 0), max(x, 0)] mapped onto [-128, 127]."""
    raise NotImplementedError("quantize_asymmetric")


def dequantize(q: np.ndarray, scale, zero_point=0, axis: int | None = None) -> np.ndarray:
    """(q - zero_point) * scale as float64, scale and zero_point broadcast along `axis`."""
    raise NotImplementedError("dequantize")


def quantized_matmul(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """x (n, k) @ w (k, m) on int8 values: x per tensor, w per output column, int32 accumulation."""
    raise NotImplementedError("quantized_matmul")
