"""Public examples for lr_schedule: run `pytest` next to your lr_schedule.py."""

import math

from lr_schedule import lr_at


def test_small_schedule():
    """warm-up over 4 steps, cosine down to 0 at step 12, then 0"""
    got = [lr_at(s, 1.0, 4, 12) for s in (0, 1, 3, 4, 8, 12, 20)]
    expected = [0.0, 0.25, 0.75, 1.0, 0.5, 0.0, 0.0]
    assert all(math.isclose(g, e, abs_tol=1e-12) for g, e in zip(got, expected)), got


def test_floor():
    """with a floor the middle of the decay is half-way between max_lr and min_lr"""
    assert math.isclose(lr_at(8, 1.0, 4, 12, min_lr=0.1), 0.55)
    assert lr_at(100, 1.0, 4, 12, min_lr=0.1) == 0.1
