"""Public examples for adamw_step: run `pytest` next to your adamw_step.py."""

import numpy as np
from adamw_step import adamw_step


def test_first_step_moves_by_lr():
    """after bias correction a first step moves each parameter by about lr against its gradient sign"""
    p, s = adamw_step(np.array([1.0, -2.0]), np.array([0.5, 0.0]), {}, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(p, [1.0 * 0.95 - 0.1, -2.0 * 0.95], rtol=1e-7)
    assert s["step"] == 1
    np.testing.assert_allclose(s["exp_avg"], [0.05, 0.0])
    np.testing.assert_allclose(s["exp_avg_sq"], [0.00025, 0.0])


def test_state_carries_over():
    """the second step continues from the returned state"""
    p, s = adamw_step(np.array([1.0]), np.array([1.0]), {}, weight_decay=0.0)
    p, s = adamw_step(p, np.array([1.0]), s, weight_decay=0.0)
    assert s["step"] == 2
    np.testing.assert_allclose(p, [1.0 - 2e-3], rtol=1e-6)  # a constant gradient: lr per step
