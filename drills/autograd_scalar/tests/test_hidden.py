"""Hidden tests for autograd_scalar: values against math, gradients against an independent
forward-mode (dual number) evaluation of the same program and against finite differences."""

import math
import random

import pytest

from mlprep.drills.compare import describe, fail

# -- the judge's own evaluator: forward mode, one tangent per seed ------------------------------


def _operand(nodes, tangents, a):
    return (nodes[a], tangents[a]) if type(a) is int else (float(a), 0.0)


def forward(inputs, program, seed=None):
    """Values of every node and, with ``seed`` = a node index, the tangents d node / d seed
    (the seed treated as a free variable, as reverse mode's grad of an interior node is)."""
    nodes, tangents = [float(x) for x in inputs], [0.0] * len(inputs)
    if seed is not None and seed < len(inputs):
        tangents[seed] = 1.0
    for step in program:
        op = step[0]
        if op == "pow":
            (a, ta), k = _operand(nodes, tangents, step[1]), step[2]
            v, t = a ** k, k * a ** (k - 1) * ta
        elif op in ("add", "sub", "mul", "div"):
            (a, ta), (b, tb) = _operand(nodes, tangents, step[1]), _operand(nodes, tangents, step[2])
            if op == "add":
                v, t = a + b, ta + tb
            elif op == "sub":
                v, t = a - b, ta - tb
            elif op == "mul":
                v, t = a * b, ta * b + a * tb
            else:
                v, t = a / b, ta / b - a * tb / (b * b)
        else:
            a, ta = _operand(nodes, tangents, step[1])
            if op == "neg":
                v, t = -a, -ta
            elif op == "tanh":
                v = math.tanh(a)
                t = (1 - v * v) * ta
            elif op == "relu":
                v, t = max(0.0, a), (ta if a > 0 else 0.0)
            elif op == "exp":
                v = math.exp(a)
                t = v * ta
            else:
                v, t = math.log(a), ta / a
        if seed is not None and len(nodes) == seed:
            t = 1.0
        nodes.append(v)
        tangents.append(t)
    return nodes, tangents


def exact_grads(inputs, program):
    """d(last node)/d(node) for every node."""
    n = len(inputs) + len(program)
    return [forward(inputs, program, seed=j)[1][-1] for j in range(n)]


def run(solution, inputs, program, what):
    got = solution.probe(list(inputs), [tuple(s) for s in program])
    n = len(inputs) + len(program)
    if type(got) is not dict or not {"data", "grad"} <= set(got):
        fail(f"{what}: probe must return the starter's report (leave probe as it is); got {describe(got)}")
    for key in ("data", "grad"):
        if type(got[key]) is not list or len(got[key]) != n or not all(type(v) is float for v in got[key]):
            fail(f"{what}: probe's {key!r} should be {n} floats (leave probe as it is); got {describe(got[key])}")
    return got


def close(a, b, rtol=1e-9, atol=1e-12):
    return math.isfinite(a) and abs(a - b) <= atol + rtol * abs(b)


def check_values(got, inputs, program, what):
    expected, _ = forward(inputs, program)
    for i, (g, e) in enumerate(zip(got["data"], expected)):
        if not close(g, e):
            fail(f"{what}: node {i} holds {g:.10g}, expected {e:.10g}")


def check_grads(got, inputs, program, what, names=None):
    expected = exact_grads(inputs, program)
    for i, (g, e) in enumerate(zip(got["grad"], expected)):
        if not close(g, e):
            name = names[i] if names and i < len(names) else f"node {i}"
            fail(f"{what}: d(out)/d({name}) is {g:.10g}, expected {e:.10g}")


# -- tests ---------------------------------------------------------------------------------------

VALUE_CASES = [
    ("x + y", [1.5, -4.25], [("add", 0, 1)]),
    ("x - y", [1.5, -4.25], [("sub", 0, 1)]),
    ("x * y", [1.5, -4.25], [("mul", 0, 1)]),
    ("x / y", [1.5, -4.25], [("div", 0, 1)]),
    ("-x", [1.5], [("neg", 0)]),
    ("x ** 3", [-1.7], [("pow", 0, 3)]),
    ("x ** 0.5", [2.3], [("pow", 0, 0.5)]),
    ("x ** -2", [0.6], [("pow", 0, -2)]),
    ("x.tanh()", [0.7], [("tanh", 0)]),
    ("x.relu() of a positive x", [0.7], [("relu", 0)]),
    ("x.relu() of a negative x", [-0.7], [("relu", 0)]),
    ("x.exp()", [-1.3], [("exp", 0)]),
    ("x.log()", [0.45], [("log", 0)]),
]


@pytest.mark.parametrize("what,inputs,program", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_operation(solution, what, inputs, program):
    """each operation: its value and its gradient"""
    got = run(solution, inputs, program, what)
    expected, _ = forward(inputs, program)
    if not close(got["data"][-1], expected[-1]):
        fail(f"{what} at x = {inputs[0]}: the value is {got['data'][-1]:.10g}, expected {expected[-1]:.10g}")
    grads = exact_grads(inputs, program)
    x = inputs[0]
    hints = {
        "x.tanh()": ("tanh's derivative is 1 - tanh(x)**2 (the output squared), not 1 - x**2", 1 - x * x),
        "x ** 3": ("d(x**k)/dx = k * x**(k-1)", 3 * x ** 3),
        "x ** -2": ("d(x**k)/dx = k * x**(k-1)", -2 * x ** -2),
        "x ** 0.5": ("d(x**k)/dx = k * x**(k-1)", 0.5 * x ** 0.5),
    }
    if len(inputs) == 2 and not close(got["grad"][1], grads[1]):
        fail(f"{what} at x = {inputs[0]}, y = {inputs[1]}: d(out)/dy is {got['grad'][1]:.10g}, expected {grads[1]:.10g}")
    if not close(got["grad"][0], grads[0]):
        message, wrong = hints.get(what, (None, None))
        if message and close(got["grad"][0], wrong):
            fail(f"{what} at x = {x}: {message}")
        fail(f"{what} at x = {x}: d(out)/dx is {got['grad'][0]:.10g}, expected {grads[0]:.10g}")
    if got["grad"][-1] != 1.0:
        fail(f"{what}: backward() must set the output's own grad to 1.0; it holds {got['grad'][-1]!r}")


@pytest.mark.parametrize("x", [0.0, -2.0], ids=["x = 0", "x < 0"])
def test_relu_flat_side(solution, x):
    """relu's gradient is 0 for x <= 0"""
    got = run(solution, [x], [("relu", 0), ("mul", 1, 3.0)], "3 * relu(x)")
    if got["data"][1] != 0.0:
        fail(f"relu({x}) should be 0.0, got {got['data'][1]!r}")
    if got["grad"][0] != 0.0:
        fail(f"relu at x = {x}: the gradient must be 0 for x <= 0 (PyTorch's convention at 0); got {got['grad'][0]!r}")


def test_constants_on_either_side(solution):
    """numbers on either side: c + x, c * x, c - x, c / x and x - c, x / c"""
    cases = [("2.5 + x", ("add", 2.5, 0)), ("2.5 * x", ("mul", 2.5, 0)), ("2.5 - x", ("sub", 2.5, 0)),
             ("2.5 / x", ("div", 2.5, 0)), ("x - 2.5", ("sub", 0, 2.5)), ("x / 2.5", ("div", 0, 2.5))]
    x = 1.25
    for what, step in cases:
        got = run(solution, [x], [step], what)
        expected, _ = forward([x], [step])
        grad = exact_grads([x], [step])[0]
        if not close(got["data"][1], expected[1]):
            flipped = step[0] in ("sub", "div") and type(step[1]) is float
            extra = " (the constant is on the left: __rsub__ / __rtruediv__ compute other - self and other / self)" if flipped else ""
            fail(f"{what} with x = {x}: the value is {got['data'][1]:.10g}, expected {expected[1]:.10g}{extra}")
        if not close(got["grad"][0], grad):
            fail(f"{what} with x = {x}: d(out)/dx is {got['grad'][0]:.10g}, expected {grad:.10g}")


@pytest.mark.parametrize("what,program", [
    ("x * x", [("mul", 0, 0)]),
    ("x + x", [("add", 0, 0)]),
    ("(x * y) * x", [("mul", 0, 1), ("mul", 2, 0)]),
], ids=["x * x", "x + x", "(x * y) * x"])
def test_reuse_accumulates(solution, what, program):
    """a Value used more than once receives the sum of all its contributions"""
    inputs = [3.0, -0.5]
    got = run(solution, inputs, program, what)
    expected = exact_grads(inputs, program)[0]
    g = got["grad"][0]
    if not close(g, expected):
        more = " (a node's grad must be accumulated with +=, not overwritten with =)" if close(2 * g, expected) else ""
        fail(f"{what} with x = 3, y = -0.5: d(out)/dx is {g:.10g}, expected {expected:.10g}: "
             f"each use of x adds its own contribution{more}")


def test_topological_order(solution):
    """shared sub-expressions: each node passes its gradient on once, when it is complete"""
    # a = x * y; b = a + x; c = a * b; d = c + b; out = tanh(d / 4): a and b feed several nodes
    inputs = [0.8, -1.1]
    program = [("mul", 0, 1), ("add", 2, 0), ("mul", 2, 3), ("add", 4, 3), ("div", 5, 4.0), ("tanh", 6)]
    got = run(solution, inputs, program, "a graph with shared sub-expressions")
    check_values(got, inputs, program, "a graph with shared sub-expressions")
    expected = exact_grads(inputs, program)
    names = ["x", "y", "a = x*y", "b = a + x", "c = a*b", "d = c + b", "d / 4", "out"]
    for i in range(len(expected)):
        if not close(got["grad"][i], expected[i]):
            fail(f"a graph where a = x*y and b = a + x are each used twice: d(out)/d({names[i]}) is "
                 f"{got['grad'][i]:.10g}, expected {expected[i]:.10g}. Visit the nodes in reverse topological "
                 "order, so each node's grad is complete before it is passed on, and pass it on exactly once")


def test_interior_and_unused_nodes(solution):
    """after backward every node holds d(out)/d(node); nodes out does not depend on keep 0"""
    inputs = [1.3, 0.4, 2.0]  # z (the third leaf) is never used by the output
    # nodes: x, y, z, x*x, exp(y), x*x*exp(y), z*2 (a dead end), log(x*x*exp(y))
    program = [("mul", 0, 0), ("exp", 1), ("mul", 3, 4), ("mul", 2, 2.0), ("log", 5)]
    got = run(solution, inputs, program, "log(x*x * exp(y)) with an unused z")
    names = ["x", "y", "z", "x*x", "exp(y)", "x*x*exp(y)", "2*z (unused)", "out"]
    for i in (2, 6):
        if got["grad"][i] != 0.0:
            fail(f"log(x*x * exp(y)): {names[i]} does not feed the output, so its grad must stay 0.0; got {got['grad'][i]!r}")
    check_grads(got, inputs, program, "log(x*x * exp(y)) with an unused z", names)


def random_program(rng: random.Random, n_inputs: int, n_steps: int):
    """A random expression that stays where every operation is smooth and well-conditioned."""
    inputs = [rng.uniform(-1.5, 1.5) for _ in range(n_inputs)]
    program: list = []
    values = list(inputs)
    while len(program) < n_steps:
        i, j = rng.randrange(len(values)), rng.randrange(len(values))
        a, b = values[i], values[j]
        op = rng.choice(["add", "sub", "mul", "div", "pow", "tanh", "relu", "exp", "log", "neg", "addc", "mulc"])
        if op == "div" and abs(b) < 0.5 or op == "log" and a < 0.2 or op == "exp" and abs(a) > 3:
            continue
        if op == "relu" and abs(a) < 0.05 or abs(a) > 20 or abs(b) > 20:
            continue
        if op == "pow":
            k = rng.choice([2, 3, -1, 0.5, 1.5])
            if (k < 0 and abs(a) < 0.5) or (k != int(k) and a < 0.2):
                continue
            step = ("pow", i, k)
        elif op == "addc":
            step = ("add", round(rng.uniform(-2, 2), 3), i)
        elif op == "mulc":
            step = ("mul", i, round(rng.uniform(-2, 2), 3))
        elif op in ("add", "sub", "mul", "div"):
            step = (op, i, j)
        else:
            step = (op, i)
        program.append(step)
        values = forward(inputs, program)[0]
    # finish by summing every node built so far, so the whole graph reaches the output
    total = n_inputs
    for node in range(n_inputs + 1, n_inputs + n_steps):
        program.append(("add", total, node))
        total = len(program) + n_inputs - 1
    return inputs, program


@pytest.mark.parametrize("seed", [2, 4, 7], ids=["expression 2", "expression 4", "expression 7"])
def test_random_expressions(solution, seed):
    """random expressions: gradients equal the exact derivatives and central finite differences"""
    inputs, program = random_program(random.Random(seed), 3, 25)
    what = f"random expression {seed} ({len(program)} steps)"
    got = run(solution, inputs, program, what)
    check_values(got, inputs, program, what)
    exact = exact_grads(inputs, program)
    for i in range(len(inputs)):
        # central difference: truncation ~ h^2 |f'''| ~ 1e-12, rounding ~ eps |f| / h ~ 1e-10 here,
        # so 1e-6 (relative, plus 1e-6 absolute) separates them safely from any real mistake
        h = 1e-6
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        fd = (forward(up, program)[0][-1] - forward(down, program)[0][-1]) / (2 * h)
        g = got["grad"][i]
        if not close(g, fd, rtol=1e-6, atol=1e-6):
            fail(f"{what}: d(out)/d(input {i}) is {g:.10g} but a central finite difference gives {fd:.10g}")
        if not close(g, exact[i]):
            fail(f"{what}: d(out)/d(input {i}) is {g:.10g}, expected {exact[i]:.10g}")


def test_deep_chain(solution):
    """backward works on a chain of 5,000 operations (deeper than the recursion limit)"""
    program = []
    for i in range(2500):
        node = 1 + 2 * i  # the leaf is node 0
        program += [("mul", node - 1, 1.0), ("add", node, 0.001)]
    got = run(solution, [0.5], program, "a chain of 5,000 operations")
    if not close(got["data"][-1], 0.5 + 2.5, rtol=1e-9):
        fail(f"a chain of 5,000 operations: the output is {got['data'][-1]!r}, expected 3.0")
    if not close(got["grad"][0], 1.0):
        fail(f"a chain of 5,000 operations: d(out)/dx is {got['grad'][0]!r}, expected 1.0")


def test_no_torch(solution):
    """plain Python: the file does not use torch"""
    got = run(solution, [0.3, 0.9], [("mul", 0, 1), ("exp", 2)], "x * y then exp")
    modules = got.get("modules")
    if type(modules) is not list:
        fail(f"probe must report the loaded modules (leave probe as it is); got {describe(modules)}")
    if modules:
        fail(f"this drill is plain Python: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the graph and the chain rule yourself instead of using torch")
