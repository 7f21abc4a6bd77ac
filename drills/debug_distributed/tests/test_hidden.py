"""Hidden tests for debug_distributed: each planted bug has its own test that names its
symptom; full-batch gradient descent written here (from the learner's own initial weights)
is the oracle that N-worker training must match step for step."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail

D_IN, D_HIDDEN, D_OUT, LR, SEED = 5, 8, 2, 0.5, 3


def data(n=24, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, D_IN))
    return X, np.tanh(X[:, :D_OUT]) + 0.1 * rng.normal(size=(n, D_OUT))


def gradient_descent(params, X, y, steps, lr=LR):
    """The oracle: full-batch gradient descent on 0.5 * mean squared error."""
    p = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    losses = []
    for _ in range(steps):
        h = np.tanh(X @ p["W1"] + p["b1"])
        err = h @ p["W2"] + p["b2"] - y
        losses.append(0.5 * np.mean(np.sum(err**2, axis=1)))
        g_out = err / len(X)
        g_h = g_out @ p["W2"].T * (1 - h * h)
        grads = {"W1": X.T @ g_h, "b1": g_h.sum(0), "W2": h.T @ g_out, "b2": g_out.sum(0)}
        p = {k: p[k] - lr * grads[k] for k in p}
    return np.array(losses), p


def start(solution):
    params = solution.init_params(D_IN, D_HIDDEN, D_OUT, SEED)
    if type(params) is not dict or set(params) != {"W1", "b1", "W2", "b2"}:
        fail("init_params must stay as given (a dict with W1, b1, W2, b2)")
    return params


def unpack(result, what, steps, world):
    if type(result) not in (tuple, list) or len(result) != 2:
        fail(f"{what}: expected (losses, replicas)")
    losses, replicas = result
    losses = np.asarray(losses, dtype=np.float64)
    if losses.shape != (steps,):
        fail(f"{what}: expected {steps} losses, got shape {losses.shape}")
    if type(replicas) is not list or len(replicas) != world or not all(type(r) is dict for r in replicas):
        fail(f"{what}: expected a list of {world} parameter dicts as the second result")
    return losses, replicas


@pytest.mark.parametrize("world", [2, 3, 4], ids=["2 workers", "3 workers", "4 workers"])
def test_shards(solution, world):
    """the shards are equal, disjoint, and cover every row"""
    n = 24
    shards = [expect_array(solution.shard_indices(n, r, world), f"shard_indices(24, {r}, {world})", kinds="iu")
              for r in range(world)]
    owner: dict[int, int] = {}
    for rank, shard in enumerate(shards):
        for row in shard.tolist():
            if row in owner:
                fail(f"shards overlap: row {row} is trained on by workers {owner[row]} and {rank}, so it counts "
                     "twice in the averaged gradient")
            owner[row] = rank
    missing = sorted(set(range(n)) - set(owner))
    if missing:
        fail(f"rows {missing[:5]} are in no shard: no worker ever trains on them")
    sizes = {len(s) for s in shards}
    if len(sizes) > 1:
        fail(f"the shards have sizes {sorted(len(s) for s in shards)}: with unequal shards the mean of the "
             "workers' gradients is not the full-batch gradient")


def test_all_reduce_averages(solution, tolerance):
    """the all-reduce returns the mean of the workers' gradients"""
    rng = np.random.default_rng(1)
    grads = [{"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)} for _ in range(4)]
    out = solution.all_reduce_mean(grads)
    if type(out) is not dict or set(out) != {"W", "b"}:
        fail("all_reduce_mean must return one dict with the same keys")
    for key in ("W", "b"):
        got = expect_array(out[key], f"all_reduce_mean()[{key!r}]", shape=grads[0][key].shape, kinds="f")
        mean = np.mean([g[key] for g in grads], axis=0)
        if np.allclose(got, 4 * mean):
            fail("gradients are summed across workers, not averaged: with 4 workers every step is 4x too large")
        if not np.allclose(got, mean, rtol=tolerance["rtol"], atol=tolerance["atol"]):
            fail(f"all_reduce_mean()[{key!r}] is not the element-wise mean of the workers' values")


def test_replicas_start_equal(solution):
    """every worker starts from the same weights, init_params(seed)"""
    first = start(solution)
    replicas = solution.make_replicas(D_IN, D_HIDDEN, D_OUT, SEED, 3)
    if type(replicas) is not list or len(replicas) != 3:
        fail("make_replicas(..., world=3) must return a list of 3 parameter dicts")
    for rank, replica in enumerate(replicas):
        if type(replica) is not dict or set(replica) != set(first):
            fail(f"replica {rank} is not a parameter dict like init_params'")
        if any(not np.array_equal(replica[k], first[k]) for k in first):
            fail(f"workers start from different weights: replica {rank} differs from init_params(seed); every "
                 "worker must start from the same weights (DDP broadcasts rank 0's)")


def compare_training(solution, world, steps, tolerance):
    X, y = data()
    want_losses, want = gradient_descent(start(solution), X, y, steps)
    what = f"train_data_parallel(world={world})"
    losses, replicas = unpack(solution.train_data_parallel(X, y, world, steps, LR, D_HIDDEN, SEED), what, steps, world)
    close = np.isclose(losses, want_losses, rtol=1e-7, atol=1e-10)
    if not close.all():
        t = int(np.argmin(close))
        if t > 0 and np.isclose(losses[t], want_losses[t - 1]) or t > 0 and np.isclose(losses[t], losses[t - 1]):
            fail(f"{what}: the loss at step {t} repeats step {t - 1}'s: the update is applied a step late "
                 "(stale parameters: a missing barrier between the all-reduce and the next forward pass)")
        if t == 0:
            fail(f"{what}: the loss at step 0 is {losses[0]:.6g}, single-worker training has {want_losses[0]:.6g}: "
                 "before any update, only the starting weights, the shards and the logged loss matter")
        fail(f"{what}: the loss at step {t} is {losses[t]:.6g}, single-worker training has {want_losses[t]:.6g}: "
             "the update differs (how are the gradients combined?)")
    for rank, replica in enumerate(replicas):
        for k in want:
            if not np.allclose(replica.get(k), want[k], rtol=1e-6, atol=1e-9):
                fail(f"{what}: worker {rank}'s final {k} differs from single-worker training")


def test_one_worker(solution, tolerance):
    """one worker: data-parallel training is single-worker gradient descent, step for step"""
    compare_training(solution, 1, 6, tolerance)


@pytest.mark.parametrize("world", [2, 4], ids=["2 workers", "4 workers"])
def test_many_workers(solution, tolerance, world):
    """N workers: the same losses and final weights as one worker, step for step"""
    compare_training(solution, world, 6, tolerance)


def test_logged_loss(solution):
    """losses[0] is the full-batch loss at the starting weights, not one worker's"""
    X, y = data()
    want, _ = gradient_descent(start(solution), X, y, 1)
    losses, _ = unpack(solution.train_data_parallel(X, y, 2, 1, LR, D_HIDDEN, SEED), "train_data_parallel(world=2)",
                       1, 2)
    rows = np.asarray(solution.shard_indices(len(X), 0, 2))  # worker 0's rows, as the learner shards them
    shard0, _ = gradient_descent(start(solution), X[rows], y[rows], 1) if rows.dtype.kind in "iu" else ([np.nan], 0)
    if np.isclose(losses[0], shard0[0]):
        fail("the logged loss is worker 0's loss on its own shard: log the mean of the workers' losses")
    if not np.isclose(losses[0], want[0], rtol=1e-9):
        fail(f"losses[0] is {losses[0]:.6g}, the full-batch loss at the starting weights is {want[0]:.6g}")
