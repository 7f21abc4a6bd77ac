"""Public examples for speculative_decoding: run `pytest` next to your speculative_decoding.py."""

import numpy as np
from speculative_decoding import speculative_verify

Q = np.array([[[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]]])
P = np.array([[[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]])


def test_accept_then_reject():
    """a draft with p = q is kept; one with p = 0 is replaced from the residual"""
    out = speculative_verify(np.array([[1, 0]]), Q, P, seed=0)
    assert out.shape == (1, 3) and out[0, 0] == 1 and out[0, 1] in (1, 2) and out[0, 2] == -1


def test_all_accepted_gives_a_bonus_token():
    """when every draft is kept, a bonus token comes from the last target distribution"""
    p = np.array([[[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.0, 0.0, 1.0]]])
    out = speculative_verify(np.array([[0, 2]]), Q, p, seed=1)   # p = q everywhere: always accepted
    assert out.tolist() == [[0, 2, 2]]


def test_greedy():
    """greedy: the target's argmax, lowest id on ties"""
    assert speculative_verify(np.array([[1, 1]]), Q, P, greedy=True).tolist() == [[0, -1, -1]]
    assert speculative_verify(np.array([[0, 1]]), Q, P, greedy=True).tolist() == [[0, 1, 0]]
