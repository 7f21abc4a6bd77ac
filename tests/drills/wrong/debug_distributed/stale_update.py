# mlprep drill: debug_distributed
# expect: a step late
# Mistake: every bug fixed but one: the averaged gradient is applied one step late (no barrier)

from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def init_params(d_in: int, d_hidden: int, d_out: int, seed: int) -> Params:
    """A two-layer MLP's weights, drawn from one seeded generator."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0 / np.sqrt(d_in), (d_in, d_hidden)),
        "b1": np.zeros(d_hidden),
        "W2": rng.normal(0.0, 1.0 / np.sqrt(d_hidden), (d_hidden, d_out)),
        "b2": np.zeros(d_out),
    }


def loss_and_grads(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """Mean over the rows of 0.5 * |tanh(X W1 + b1) W2 + b2 - y|^2, and its gradients."""
    h = np.tanh(X @ params["W1"] + params["b1"])  # (n, d_hidden)
    diff = h @ params["W2"] + params["b2"] - y  # (n, d_out)
    n = len(X)
    d_out = diff / n
    d_h = (d_out @ params["W2"].T) * (1.0 - h**2)
    grads = {"W1": X.T @ d_h, "b1": d_h.sum(0), "W2": h.T @ d_out, "b2": d_out.sum(0)}
    return float(0.5 * np.sum(diff**2) / n), grads


def sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """A new parameter dict: params - lr * grads."""
    return {k: params[k] - lr * grads[k] for k in params}


def train_single(X: np.ndarray, y: np.ndarray, steps: int, lr: float, d_hidden: int, seed: int):
    """Full-batch gradient descent on one worker: (losses per step, final params)."""
    params = init_params(X.shape[1], d_hidden, y.shape[1], seed)
    losses = []
    for _ in range(steps):
        loss, grads = loss_and_grads(params, X, y)
        losses.append(loss)
        params = sgd_step(params, grads, lr)
    return losses, params


def shard_indices(n: int, rank: int, world: int) -> np.ndarray:
    """The rows worker `rank` of `world` trains on: equal, disjoint, together all n rows."""
    size = n // world
    return np.arange(rank * size, (rank + 1) * size)  # was (rank + 1) * size + 1: shards overlapped


def all_reduce_mean(values: list[Params]) -> Params:
    """The mean of the workers' gradients: the gradient of the mean loss over all rows
    (the shards are equal in size, so the mean of shard means is the full-batch mean)."""
    return {k: sum(v[k] for v in values) / len(values) for k in values[0]}  # was a sum: world x too large


def make_replicas(d_in: int, d_hidden: int, d_out: int, seed: int, world: int) -> list[Params]:
    """One copy of the same initial model per worker (what DDP's broadcast from rank 0 does)."""
    start = init_params(d_in, d_hidden, d_out, seed)  # was seed + rank: workers started apart
    return [{k: v.copy() for k, v in start.items()} for _ in range(world)]


def train_data_parallel(X, y, world, steps, lr, d_hidden, seed):
    replicas = make_replicas(X.shape[1], d_hidden, y.shape[1], seed, world)
    shards = [shard_indices(len(X), rank, world) for rank in range(world)]
    losses, arrived = [], None
    for _ in range(steps):
        results = [loss_and_grads(replicas[r], X[shards[r]], y[shards[r]]) for r in range(world)]
        losses.append(float(np.mean([loss for loss, _ in results])))
        if arrived is not None:
            replicas = [sgd_step(p, arrived, lr) for p in replicas]
        arrived = all_reduce_mean([grads for _, grads in results])
    return losses, replicas
