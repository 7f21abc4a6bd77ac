"""Public examples for word2vec_sgns: run `pytest` next to your word2vec_sgns.py."""

import numpy as np
from word2vec_sgns import noise_distribution, sgns_loss_and_grads, sgns_step


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_one_example():
    """loss -log sigma(2) - log sigma(0) and its three gradients"""
    v, u_pos, u_neg = np.array([[1.0, 0.0]]), np.array([[2.0, 0.0]]), np.array([[[0.0, 1.0]]])
    loss, gv, gp, gn = sgns_loss_and_grads(v, u_pos, u_neg)
    assert np.isclose(loss, -np.log(sigmoid(2.0)) - np.log(0.5))
    assert np.allclose(gv, [[(sigmoid(2.0) - 1) * 2, 0.5]])
    assert np.allclose(gp, [[sigmoid(2.0) - 1.0, 0.0]])
    assert np.allclose(gn, [[[0.5, 0.0]]])


def test_step_lowers_the_loss():
    """a few small SGD steps on one batch lower its loss"""
    rng = np.random.default_rng(0)
    W_in, W_out = rng.normal(size=(10, 4)) * 0.5, rng.normal(size=(10, 4)) * 0.5
    centers, contexts, negatives = np.array([1, 2]), np.array([3, 4]), np.array([[5, 6], [7, 5]])
    first, W_in, W_out = sgns_step(W_in, W_out, centers, contexts, negatives, 0.1)
    for _ in range(5):
        loss, W_in, W_out = sgns_step(W_in, W_out, centers, contexts, negatives, 0.1)
    assert loss < first


def test_noise_distribution():
    """counts 16, 0, 1 to the power 3/4: 8, 0, 1 over 9"""
    assert np.allclose(noise_distribution(np.array([16, 0, 1])), [8 / 9, 0.0, 1 / 9])
