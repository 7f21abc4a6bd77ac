"""Public examples for debug_distributed: run `pytest` next to your debug_distributed.py."""

import numpy as np
from debug_distributed import all_reduce_mean, shard_indices, train_data_parallel, train_single


def test_two_shards():
    """8 rows over 2 workers: rows 0-3 and rows 4-7"""
    assert shard_indices(8, 0, 2).tolist() == [0, 1, 2, 3]
    assert shard_indices(8, 1, 2).tolist() == [4, 5, 6, 7]


def test_all_reduce_of_two():
    """the all-reduce of 1 and 3 is their mean, 2"""
    out = all_reduce_mean([{"w": np.array([1.0])}, {"w": np.array([3.0])}])
    assert np.allclose(out["w"], [2.0])


def test_one_worker_is_single_worker_training():
    """with world = 1, data-parallel training is plain training"""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    single, _ = train_single(X, y, 4, 0.5, 6, 0)
    parallel, _ = train_data_parallel(X, y, 1, 4, 0.5, 6, 0)
    assert np.allclose(parallel, single)
