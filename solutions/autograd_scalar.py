# mlprep drill: autograd_scalar
"""Reference solution: a scalar reverse-mode autograd engine.

Each Value remembers its parents and a closure that, given this node's grad, adds the local
chain-rule contribution to each parent's grad (+=, because a node can feed several others).
backward() orders the graph so that every node comes after everything that depends on it
(reverse topological order), built with an explicit stack so deep graphs do not hit Python's
recursion limit, then runs the closures in that order.
"""

from __future__ import annotations

import math


class Value:
    """A scalar in a computation graph: ``data`` is its value, ``grad`` is d(output)/d(self)."""

    def __init__(self, data: float, parents: tuple = ()):
        self.data = float(data)
        self.grad = 0.0
        self._parents = parents
        self._backward = lambda: None  # leaves have nothing to pass on

    @staticmethod
    def _wrap(other) -> Value:
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other) -> Value:
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other) -> Value:
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def __pow__(self, k: float) -> Value:
        if isinstance(k, Value):
            raise TypeError("the exponent must be a constant int or float")
        out = Value(self.data ** k, (self,))

        def backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = backward
        return out

    def _unary(self, value: float, local: float) -> Value:
        """A one-input node whose derivative at this point is ``local``."""
        out = Value(value, (self,))

        def backward():
            self.grad += local * out.grad

        out._backward = backward
        return out

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t)

    def relu(self) -> Value:
        return self._unary(max(0.0, self.data), 1.0 if self.data > 0 else 0.0)

    def exp(self) -> Value:
        e = math.exp(self.data)
        return self._unary(e, e)

    def log(self) -> Value:
        return self._unary(math.log(self.data), 1.0 / self.data)

    # everything else in terms of the above
    def __radd__(self, other) -> Value:
        return self + other

    def __rmul__(self, other) -> Value:
        return self * other

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other) -> Value:
        return self + (-self._wrap(other))

    def __rsub__(self, other) -> Value:
        return self._wrap(other) + (-self)

    def __truediv__(self, other) -> Value:
        return self * self._wrap(other) ** -1

    def __rtruediv__(self, other) -> Value:
        return self._wrap(other) * self ** -1

    def backward(self) -> None:
        """Set self.grad = 1 and fill in d(self)/d(node) for every node self depends on."""
        order: list[Value] = []  # topological: every node after its parents
        seen = {id(self)}
        stack = [(self, iter(self._parents))]
        while stack:  # iterative depth-first search, post-order
            node, parents = stack[-1]
            for parent in parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(parent._parents)))
                    break
            else:
                stack.pop()
                order.append(node)
        self.grad = 1.0
        for node in reversed(order):  # each node's grad is complete before it is passed on
            node._backward()


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
