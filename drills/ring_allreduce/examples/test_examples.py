"""Public examples for ring_allreduce: run `pytest` next to your ring_allreduce.py."""

import numpy as np
from ring_allreduce import ring_allreduce


def exchange(outgoing):
    """Worker i receives what worker i - 1 sent."""
    return [outgoing[i - 1].copy() for i in range(len(outgoing))]


def test_three_workers():
    """every worker ends with the sum; each sent 4 chunks of one float64"""
    buffers = [np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0, 30.0]), np.array([100.0, 200.0, 300.0])]
    results, sent = ring_allreduce(buffers, exchange)
    assert all(np.array_equal(r, [111.0, 222.0, 333.0]) for r in results)
    assert list(sent) == [32, 32, 32]


def test_bytes_are_two_n_minus_one_over_n():
    """4 workers, 1000 float64 values: each sends 2 * 3 / 4 of 8000 bytes"""
    rng = np.random.default_rng(0)
    buffers = [rng.normal(size=1000) for _ in range(4)]
    results, sent = ring_allreduce(buffers, exchange)
    assert np.allclose(results[3], np.sum(buffers, axis=0))
    assert list(sent) == [12_000] * 4
