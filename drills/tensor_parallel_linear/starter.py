# mlprep drill: tensor_parallel_linear
"""Tensor-parallel (Megatron-style) linear layers and MLP over simulated ranks, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade tensor_parallel_linear.py`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

AllReduce = Callable[[list[np.ndarray]], list[np.ndarray]]  # N parts in, N copies of their sum out


def gelu(x: np.ndarray) -> np.ndarray:
    """GeLU, tanh approximation (given)."""
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def column_parallel_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray, n_ranks: int) -> list[np.ndarray]:
    """Per rank r: x @ W[:, block_r] + b[block_r]; contiguous equal blocks of the output features."""
    raise NotImplementedError("column_parallel_forward")


def row_parallel_forward(x_shards: list[np.ndarray], W: np.ndarray, b: np.ndarray,
                         all_reduce: AllReduce) -> list[np.ndarray]:
    """Per rank: the full x @ W + b, from one all_reduce of the partials x_shards[r] @ W[block_r, :]."""
    raise NotImplementedError("row_parallel_forward")


def parallel_mlp(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, n_ranks: int,
                 all_reduce: AllReduce) -> list[np.ndarray]:
    """Per rank: gelu(x @ W1 + b1) @ W2 + b2, column- then row-parallel, with one all_reduce."""
    raise NotImplementedError("parallel_mlp")


def column_parallel_backward(x: np.ndarray, W: np.ndarray, grad_y_shards: list[np.ndarray],
                             all_reduce: AllReduce) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(grad_x on every rank via one all_reduce, grad_W blocks, grad_b blocks)."""
    raise NotImplementedError("column_parallel_backward")
