"""Public examples for tensor_parallel_linear: run `pytest` next to your tensor_parallel_linear.py."""

import numpy as np
from tensor_parallel_linear import column_parallel_forward, parallel_mlp, row_parallel_forward


def all_reduce(parts):
    """Every rank gets the sum of all ranks' parts."""
    total = sum(parts)
    return [total.copy() for _ in parts]


x = np.array([[1.0, 2.0]])
W = np.array([[1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 1.0, 3.0]])
b = np.full(4, 0.5)


def test_column_parallel():
    """two ranks each compute half of the output features"""
    left, right = column_parallel_forward(x, W, b, 2)
    assert np.allclose(left, [[1.5, 2.5]]) and np.allclose(right, [[4.5, 7.5]])


def test_row_parallel():
    """two ranks each hold one input feature; one all-reduce gives both the full output"""
    outs = row_parallel_forward([x[:, :1], x[:, 1:]], W, b, all_reduce)
    assert len(outs) == 2 and all(np.allclose(y, x @ W + b) for y in outs)


def test_mlp_equals_dense():
    """the tensor-parallel MLP equals the dense one on every rank"""
    rng = np.random.default_rng(0)
    xs, W1, b1, W2, b2 = (rng.normal(size=s) for s in [(3, 4), (4, 8), (8,), (8, 4), (4,)])
    z = xs @ W1 + b1
    dense = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))) @ W2 + b2
    assert all(np.allclose(y, dense) for y in parallel_mlp(xs, W1, b1, W2, b2, 4, all_reduce))
