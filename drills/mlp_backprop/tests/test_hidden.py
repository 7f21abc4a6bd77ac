"""Hidden tests for mlp_backprop: the exact loss and gradients (checked themselves against
central finite differences), the L2 penalty, ReLU at 0, batch size 1 and large logits."""

import numpy as np
import pytest

from mlprep.drills.compare import describe, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close

NAMES = ("W1", "b1", "W2", "b2")


def make(seed, n, d, h, c, scale=1.0):
    """Random data and parameters; hidden unit 0 is dead on every row (a large negative bias)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, c, size=n)
    p = {"W1": rng.normal(size=(d, h)) / np.sqrt(d), "b1": rng.normal(size=h) * 0.1,
         "W2": rng.normal(size=(h, c)) * scale, "b2": rng.normal(size=c) * 0.1}
    p["b1"][0] = -50.0
    return X, y, p


def oracle(X, y, p, l2=0.0, mask=True, penalise_bias=False, half=True, mean=True, minus_one=True):
    """Loss and gradients, with switches that reproduce classic mistakes."""
    n, c = len(y), p["W2"].shape[1]
    z = X @ p["W1"] + p["b1"]
    a = np.where(z > 0, z, 0.0)
    logits = a @ p["W2"] + p["b2"]
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
    onehot = np.eye(c)[y]
    nll = lse - np.einsum("ic,ic->i", onehot, logits)
    k = 0.5 if half else 1.0
    penalised = NAMES if penalise_bias else ("W1", "W2")
    loss = (nll.mean() if mean else nll.sum()) + k * l2 * sum(np.sum(p[name] ** 2) for name in penalised)
    probs = np.exp(logits - lse[:, None])
    g_logits = (probs - (onehot if minus_one else 0.0)) / (n if mean else 1)
    g_a = g_logits @ p["W2"].T
    g_z = g_a * (z > 0) if mask else g_a
    grads = {"W2": np.einsum("ih,ic->hc", a, g_logits), "b2": g_logits.sum(axis=0),
             "W1": np.einsum("id,ih->dh", X, g_z), "b1": g_z.sum(axis=0)}
    for name in penalised:
        grads[name] = grads[name] + 2 * k * l2 * p[name]
    return float(loss), grads


def finite_differences(X, y, p, l2):
    """Central differences of the oracle's loss, one parameter entry at a time."""
    out = {}
    for name in NAMES:
        g = np.zeros_like(p[name])
        for idx in np.ndindex(p[name].shape):
            h = 1e-6
            up = {k: v.copy() for k, v in p.items()}
            down = {k: v.copy() for k, v in p.items()}
            up[name][idx] += h
            down[name][idx] -= h
            g[idx] = (oracle(X, y, up, l2)[0] - oracle(X, y, down, l2)[0]) / (2 * h)
        out[name] = g
    return out


def call(solution, X, y, p, l2=None):
    extra = {} if l2 is None else {"l2": l2}
    got = solution.mlp_loss_and_grads(X, y, p["W1"], p["b1"], p["W2"], p["b2"], **extra)
    if type(got) is not tuple or len(got) != 2:
        fail(f"mlp_loss_and_grads must return a tuple (loss, grads); got {describe(got)}")
    loss, grads = got
    if type(grads) is not dict or set(grads) != set(NAMES):
        keys = sorted(grads) if type(grads) is dict else describe(grads)
        fail(f"grads must be a dict with exactly the keys W1, b1, W2, b2; got {keys}")
    return loss, grads


def check_grads(grads, X, y, p, l2, what, tolerance):
    """Each gradient against the exact one, naming the classic mistakes, then against finite differences."""
    _, exact = oracle(X, y, p, l2)
    wrong = {
        "the gradients are N times too large: the loss is a mean over rows, so divide dlogits by N":
            oracle(X, y, p, l2, mean=False)[1],
        "dlogits is softmax - one_hot(y): subtract 1 at each row's true class": oracle(X, y, p, l2, minus_one=False)[1],
        "the gradient must go through the ReLU's derivative: multiply by (z > 0) on the way back":
            oracle(X, y, p, l2, mask=False)[1],
    }
    if l2:
        wrong["the biases are not penalised: add l2 * W to dW1 and dW2 only"] = oracle(X, y, p, l2, penalise_bias=True)[1]
        wrong["the penalty is (l2/2)(|W1|^2 + |W2|^2), whose gradient is l2 * W, not 2 * l2 * W"] = oracle(X, y, p, l2, half=False)[1]
    for name in NAMES:
        assert_close_or_named(grads[name], exact[name], f"{what}: d loss / d {name}",
                              {message: alt[name] for message, alt in wrong.items()}, **tolerance)


@pytest.fixture(scope="module")
def small():
    X, y, p = make(0, 6, 4, 5, 3)
    # the oracle checks itself: exact gradients equal central finite differences
    _, exact = oracle(X, y, p, 0.3)
    fd = finite_differences(X, y, p, 0.3)
    for name in NAMES:
        assert np.allclose(exact[name], fd[name], rtol=1e-6, atol=1e-8), name
    return X, y, p


def test_forward(solution, small, tolerance):
    """mlp_forward returns the logits relu(X W1 + b1) W2 + b2"""
    X, _, p = small
    z = X @ p["W1"] + p["b1"]
    expected = np.maximum(z, 0) @ p["W2"] + p["b2"]
    assert_close_or_named(solution.mlp_forward(X, p["W1"], p["b1"], p["W2"], p["b2"]), expected,
                          "mlp_forward on a (6, 4) batch", {
                              "the hidden layer must go through relu before W2": z @ p["W2"] + p["b2"],
                          }, **tolerance)


def test_loss(solution, small, tolerance):
    """the loss is the mean cross-entropy over the rows"""
    X, y, p = small
    loss, _ = call(solution, X, y, p)
    assert_float_close(loss, oracle(X, y, p)[0], "the loss (l2 = 0)", {
        "the cross-entropy must be averaged over the rows, not summed": oracle(X, y, p, mean=False)[0],
    }, **tolerance)


def test_gradients(solution, small, tolerance):
    """every gradient equals the exact one (default l2 = 0)"""
    X, y, p = small
    _, grads = call(solution, X, y, p)
    check_grads(grads, X, y, p, 0.0, "l2 = 0", tolerance)


def test_finite_differences(solution, small):
    """the gradients agree with central finite differences of the loss"""
    X, y, p = small
    _, grads = call(solution, X, y, p, l2=0.3)
    fd = finite_differences(X, y, p, 0.3)
    for name in NAMES:
        g = grads[name]
        if type(g) is not np.ndarray or g.shape != fd[name].shape:
            fail(f"d loss / d {name}: expected an array of shape {fd[name].shape}, got {describe(g)}")
        # truncation ~ h^2 |f'''| and rounding ~ eps |f| / h are both below 1e-8 here
        bad = ~np.isclose(g, fd[name], rtol=1e-6, atol=1e-7)
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            fail(f"d loss / d {name}{list(idx)} is {g[idx]:.8g} but a central finite difference of the loss gives {fd[name][idx]:.8g}")


def test_l2_penalty(solution, small, tolerance):
    """l2 adds (l2/2)(|W1|^2 + |W2|^2) to the loss and l2 * W to the weights' gradients only"""
    X, y, p = small
    loss, grads = call(solution, X, y, p, l2=0.3)
    assert_float_close(loss, oracle(X, y, p, 0.3)[0], "the loss with l2 = 0.3", {
        "the biases are not penalised: the penalty is (l2/2)(|W1|^2 + |W2|^2)": oracle(X, y, p, 0.3, penalise_bias=True)[0],
        "the penalty is (l2/2)(|W1|^2 + |W2|^2): you left out the 1/2": oracle(X, y, p, 0.3, half=False)[0],
    }, **tolerance)
    check_grads(grads, X, y, p, 0.3, "l2 = 0.3", tolerance)


def test_relu_at_zero(solution, tolerance):
    """relu'(0) = 0: a pre-activation of exactly 0 passes no gradient"""
    X, y, p = make(1, 4, 3, 4, 3)
    X[1] = 0.0
    p["b1"][:] = 0.0  # row 1 has z = 0 exactly for every hidden unit
    _, grads = call(solution, X, y, p)
    alt = oracle(X, y, p)[1]
    z_ge = dict(alt)
    g_logits = (np.exp(mlp_logp(X, p)) - np.eye(3)[y]) / len(y)
    z = X @ p["W1"] + p["b1"]
    g_z = (g_logits @ p["W2"].T) * (z >= 0)
    z_ge["W1"], z_ge["b1"] = X.T @ g_z, g_z.sum(axis=0)
    for name in ("b1", "W1"):
        assert_close_or_named(grads[name], alt[name], f"a row with z = 0 exactly: d loss / d {name}", {
            "relu'(0) must be 0: use (z > 0), not (z >= 0), as the mask": z_ge[name],
        }, **tolerance)


def mlp_logp(X, p):
    logits = np.maximum(X @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    s = logits - logits.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def test_single_row(solution, tolerance):
    """a batch of one row, with more classes than hidden units"""
    X, y, p = make(2, 1, 5, 3, 7)
    loss, grads = call(solution, X, y, p, l2=0.05)
    assert_float_close(loss, oracle(X, y, p, 0.05)[0], "the loss of a single row", **tolerance)
    check_grads(grads, X, y, p, 0.05, "a single row", tolerance)


def test_large_logits(solution, tolerance):
    """logits in the hundreds: the loss and gradients stay finite and exact"""
    X, y, p = make(3, 8, 4, 6, 5, scale=300.0)
    loss, grads = call(solution, X, y, p)
    value = loss if type(loss) is float else None
    if value is not None and not np.isfinite(value):
        fail("with logits in the hundreds the loss is inf or nan: subtract each row's maximum before exp "
             "and compute log-softmax as shifted - log(sum(exp(shifted)))")
    for name in NAMES:
        g = grads[name]
        if type(g) is np.ndarray and g.dtype.kind == "f" and not np.isfinite(g).all():
            fail(f"with logits in the hundreds d loss / d {name} has inf or nan: subtract each row's maximum before exp")
    assert_float_close(loss, oracle(X, y, p)[0], "the loss with logits in the hundreds", rtol=1e-9, atol=1e-9)
    check_grads(grads, X, y, p, 0.0, "logits in the hundreds", tolerance)


def test_numpy_only(solution, small):
    """numpy only: the file does not use torch"""
    X, y, p = small
    call(solution, X, y, p)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the backward pass by hand instead of using torch")
