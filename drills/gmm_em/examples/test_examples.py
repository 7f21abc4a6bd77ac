"""Public examples for gmm_em: run `pytest` next to your gmm_em.py."""

import numpy as np
from gmm_em import e_step, fit_gmm, m_step

X = np.array([[0.0], [0.2], [5.0], [5.2]])


def test_e_step_two_groups():
    """each point belongs to the component it sits on"""
    resp, ll = e_step(X, np.array([0.5, 0.5]), np.array([[0.1], [5.1]]), np.ones((2, 1, 1)))
    assert np.allclose(resp.sum(1), 1.0)
    assert resp[:2, 0].min() > 0.99 and resp[2:, 1].min() > 0.99
    assert np.isfinite(ll)


def test_m_step_hard_assignments():
    """with 0/1 responsibilities the M step gives per-group means and variances"""
    resp = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    weights, means, covs = m_step(X, resp, reg=0.0)
    assert np.allclose(weights, [0.5, 0.5]) and np.allclose(means.ravel(), [0.1, 5.1])
    assert np.allclose(covs.ravel(), [0.01, 0.01])


def test_fit_finds_the_groups():
    """EM moves the means onto the two groups and the log-likelihood never drops"""
    _, mu, _, hist = fit_gmm(X, np.array([0.5, 0.5]), np.array([[0.0], [1.0]]), np.ones((2, 1, 1)), n_iter=20)
    assert np.allclose(mu.ravel(), [0.1, 5.1], atol=1e-3)
    assert hist.shape == (21,) and np.all(np.diff(hist) >= -1e-9)
