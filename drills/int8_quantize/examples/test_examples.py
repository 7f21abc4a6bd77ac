"""Public examples for int8_quantize: run `pytest` next to your int8_quantize.py."""

import numpy as np
from int8_quantize import dequantize, quantize_asymmetric, quantize_symmetric, quantized_matmul


def test_symmetric():
    """max |x| = 2.54 maps to 127, so the scale is 0.02"""
    q, s = quantize_symmetric(np.array([-1.0, 0.5, 2.54]))
    assert q.dtype == np.int8 and q.tolist() == [-50, 25, 127] and np.isclose(s, 0.02)


def test_asymmetric_round_trip():
    """[0, 2.55] maps onto [-128, 127] with zero point -128, and dequantises back"""
    q, s, z = quantize_asymmetric(np.array([0.0, 1.0, 2.55]))
    assert q.tolist() == [-128, -28, 127] and np.isclose(s, 0.01) and int(z) == -128
    assert np.allclose(dequantize(q, s, z), [0.0, 1.0, 2.55])


def test_matmul_is_close():
    """the quantised product of small matrices is close to the float one"""
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 8)), rng.normal(size=(8, 3))
    assert np.allclose(quantized_matmul(x, w), x @ w, atol=0.1)
