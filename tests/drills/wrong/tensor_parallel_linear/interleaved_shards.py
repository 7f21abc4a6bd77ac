# mlprep drill: tensor_parallel_linear
# expect: contiguous blocks
# Mistake: rank r takes every N-th feature instead of a contiguous block
"""Reference solution: Megatron-style tensor parallelism for y = x @ W + b, simulated over ranks.

Column-parallel: rank r owns a contiguous block of W's columns (output features) and of b, and
computes its slice of y from the whole input; nothing is communicated. Row-parallel: rank r owns
a block of W's rows (input features) and the matching slice of the input; the partial products
x_r @ W_r sum to x @ W, so one all-reduce gives everyone the full output, and the bias is added
once, after it. An MLP puts the two together: the column-parallel output is already sharded the
way the row-parallel layer wants its input, and GeLU acts element by element, so the whole
block needs a single all-reduce. Backward mirrors it: the column-parallel layer's input gradient
is a sum over ranks (one all-reduce), its weight and bias gradients stay local.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _block(size: int, n_ranks: int, rank: int) -> slice:
    if size % n_ranks:
        raise ValueError(f"{size} features do not split evenly over {n_ranks} ranks")
    return slice(rank, None, n_ranks)


def gelu(x: np.ndarray) -> np.ndarray:
    """GeLU, tanh approximation."""
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def column_parallel_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray, n_ranks: int) -> list[np.ndarray]:
    """Rank r's slice of x @ W + b: x @ W[:, block_r] + b[block_r], shape (..., d_out / n_ranks)."""
    blocks = [_block(W.shape[1], n_ranks, r) for r in range(n_ranks)]
    return [x @ W[:, blk] + b[blk] for blk in blocks]


def row_parallel_forward(x_shards: list[np.ndarray], W: np.ndarray, b: np.ndarray,
                         all_reduce: Callable[[list[np.ndarray]], list[np.ndarray]]) -> list[np.ndarray]:
    """Every rank's full x @ W + b from input shards: one all-reduce of x_r @ W[block_r, :], then + b."""
    n_ranks = len(x_shards)
    partials = [x_r @ W[_block(W.shape[0], n_ranks, r)] for r, x_r in enumerate(x_shards)]
    return [y + b for y in all_reduce(partials)]  # the bias once, after the sum


def parallel_mlp(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, n_ranks: int,
                 all_reduce: Callable[[list[np.ndarray]], list[np.ndarray]]) -> list[np.ndarray]:
    """gelu(x @ W1 + b1) @ W2 + b2 on every rank: column-parallel, GeLU, row-parallel; one all-reduce."""
    hidden = [gelu(h) for h in column_parallel_forward(x, W1, b1, n_ranks)]
    return row_parallel_forward(hidden, W2, b2, all_reduce)


def column_parallel_backward(x: np.ndarray, W: np.ndarray, grad_y_shards: list[np.ndarray],
                             all_reduce: Callable[[list[np.ndarray]], list[np.ndarray]]
                             ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(grad_x on every rank, grad_W blocks, grad_b blocks) of the column-parallel layer."""
    n_ranks = len(grad_y_shards)
    blocks = [_block(W.shape[1], n_ranks, r) for r in range(n_ranks)]
    grad_x = all_reduce([g @ W[:, blk].T for g, blk in zip(grad_y_shards, blocks, strict=True)])
    x2 = x.reshape(-1, x.shape[-1])  # every leading position is one sample
    grad_W = [x2.T @ g.reshape(-1, g.shape[-1]) for g in grad_y_shards]
    grad_b = [g.reshape(-1, g.shape[-1]).sum(axis=0) for g in grad_y_shards]
    return grad_x, grad_W, grad_b
