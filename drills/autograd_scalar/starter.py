# mlprep drill: autograd_scalar
"""A scalar reverse-mode autograd engine (a tiny micrograd), in plain Python.
Run the public examples with `pytest` and grade with `mlprep grade autograd_scalar.py`."""

from __future__ import annotations

import math


class Value:
    """A scalar in a computation graph: ``data`` is its value, ``grad`` is d(output)/d(self)."""

    def __init__(self, data: float):
        self.data = float(data)
        self.grad = 0.0
        raise NotImplementedError("Value: record how each node was made, so backward can walk the graph")

    def __add__(self, other) -> Value:
        raise NotImplementedError("Value.__add__")

    def __radd__(self, other) -> Value:
        raise NotImplementedError("Value.__radd__")

    def __mul__(self, other) -> Value:
        raise NotImplementedError("Value.__mul__")

    def __rmul__(self, other) -> Value:
        raise NotImplementedError("Value.__rmul__")

    def __neg__(self) -> Value:
        raise NotImplementedError("Value.__neg__")

    def __sub__(self, other) -> Value:
        raise NotImplementedError("Value.__sub__")

    def __rsub__(self, other) -> Value:
        raise NotImplementedError("Value.__rsub__")

    def __truediv__(self, other) -> Value:
        raise NotImplementedError("Value.__truediv__")

    def __rtruediv__(self, other) -> Value:
        raise NotImplementedError("Value.__rtruediv__")

    def __pow__(self, k: float) -> Value:
        """self ** k for a constant int or float k."""
        raise NotImplementedError("Value.__pow__")

    def tanh(self) -> Value:
        raise NotImplementedError("Value.tanh")

    def relu(self) -> Value:
        """max(0, x); its derivative is 1 for x > 0 and 0 for x <= 0."""
        raise NotImplementedError("Value.relu")

    def exp(self) -> Value:
        raise NotImplementedError("Value.exp")

    def log(self) -> Value:
        raise NotImplementedError("Value.log")

    def backward(self) -> None:
        """Set self.grad = 1 and fill in d(self)/d(node) for every node self depends on."""
        raise NotImplementedError("Value.backward")


# ----------------------------------------------------------------------------------------
# The grader drives your Value through this function: leave it as it is.
# inputs: the leaves' floats. program: steps like ("mul", 0, 1) or ("add", 2.5, 3); an int is
# the index of an earlier node (leaves first), a float is a constant. ("pow", i, k) raises
# node i to the constant k. backward() runs on the last node.
_STEPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "pow": lambda a, k: a ** k, "neg": lambda a: -a,
    "tanh": lambda a: a.tanh(), "relu": lambda a: a.relu(), "exp": lambda a: a.exp(), "log": lambda a: a.log(),
}


def probe(inputs: list, program: list) -> dict:
    nodes = [Value(x) for x in inputs]
    for op, *args in program:
        if op == "pow":
            args = [nodes[args[0]], args[1]]
        else:
            args = [nodes[a] if isinstance(a, int) else a for a in args]
        nodes.append(_STEPS[op](*args))
    nodes[-1].backward()
    import sys
    return {"data": [float(n.data) for n in nodes], "grad": [float(n.grad) for n in nodes],
            "modules": sorted(name for name in sys.modules if name.split(".")[0] == "torch")}
