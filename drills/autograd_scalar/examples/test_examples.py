"""Public examples for autograd_scalar: run `pytest` next to your autograd_scalar.py.

They go through `probe`, as the grader does: inputs are the leaves, each step makes one node
(an int is the index of an earlier node, a float a constant), backward runs on the last node."""

import math

from autograd_scalar import probe


def test_product_plus_tanh():
    """z = x * y + tanh(x): dz/dx = y + 1 - tanh(x)**2, dz/dy = x"""
    report = probe([2.0, -3.0], [("mul", 0, 1), ("tanh", 0), ("add", 2, 3)])
    assert math.isclose(report["data"][-1], -6.0 + math.tanh(2.0))
    assert math.isclose(report["grad"][0], -3.0 + 1 - math.tanh(2.0) ** 2)
    assert math.isclose(report["grad"][1], 2.0)


def test_a_value_used_twice():
    """x * x + x: the gradients of all uses add up to 2x + 1"""
    report = probe([3.0], [("mul", 0, 0), ("add", 1, 0)])
    assert report["data"][-1] == 12.0
    assert report["grad"][0] == 7.0


def test_constant_on_the_left():
    """1 - x and 1 / x with the number on the left"""
    report = probe([4.0], [("sub", 1.0, 0), ("div", 1.0, 0), ("add", 1, 2)])
    assert math.isclose(report["data"][-1], -3.0 + 0.25)
    assert math.isclose(report["grad"][0], -1.0 - 1 / 16)
