"""Public examples for matrix_factorization: run `pytest` next to your matrix_factorization.py."""

import numpy as np
from matrix_factorization import als, als_loss, als_update

R = np.array([[5.0, np.nan], [4.0, 2.0]])
mask = ~np.isnan(R)
V = np.array([[1.0], [0.5]])


def test_update_is_a_ridge_regression_per_user():
    """user 0 rated item 0 only: (1 + 0.5) u = 5; user 1 both: (1 + 0.25 + 0.5) u = 4 + 1"""
    assert np.allclose(als_update(R, mask, V, 0.5), [[5 / 1.5], [5 / 1.75]])


def test_loss_counts_observed_entries_and_both_norms():
    """errors 2, 1, 0.5 and norms 18 + 1.25"""
    assert np.isclose(als_loss(R, mask, np.array([[3.0], [3.0]]), V, 0.5), 4 + 1 + 0.25 + 0.5 * 19.25)


def test_loss_never_increases():
    """each ALS iteration lowers (or keeps) the loss"""
    rng = np.random.default_rng(0)
    full = rng.normal(size=(8, 2)) @ rng.normal(size=(6, 2)).T
    observed = rng.random(full.shape) < 0.6
    U, V2, losses = als(np.where(observed, full, np.nan), observed, 2, reg=0.1, n_iters=10, seed=0)
    assert len(losses) == 11 and U.shape == (8, 2) and V2.shape == (6, 2)
    assert all(b <= a + 1e-9 for a, b in zip(losses[:-1], losses[1:], strict=True))
