"""Hidden tests for word2vec_sgns: the loss and the exact gradients written out here (checked by
central finite differences inside the test), a finite-difference check of the learner's own
loss against their own gradients, extreme scores, an SGD step with repeated word ids against a
loop that adds every occurrence, and the noise distribution. Classic mistakes are named when a
result equals what they give."""

import ast
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close, expect_float

BANNED = {"torch", "sklearn", "scipy", "jax", "autograd"}


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # exact and overflow-free


def oracle(v, u_pos, u_neg, mean=True, neg_sign=1.0, pos_minus_one=True, center_negatives=True):
    """(loss, grad_v, grad_pos, grad_neg) of the mean SGNS loss, or of a classic mistake."""
    B = len(v) if mean else 1
    s_pos = np.einsum("bd,bd->b", u_pos, v)
    s_neg = np.einsum("bkd,bd->bk", u_neg, v)
    loss = (np.logaddexp(0.0, -s_pos).sum() + np.logaddexp(0.0, s_neg).sum()) / B
    g_pos = (sigmoid(s_pos) - (1.0 if pos_minus_one else 0.0)) / B
    g_neg = neg_sign * sigmoid(s_neg) / B
    grad_v = g_pos[:, None] * u_pos + (np.einsum("bk,bkd->bd", g_neg, u_neg) if center_negatives else 0.0)
    return float(loss), grad_v, g_pos[:, None] * v, g_neg[:, :, None] * v[:, None, :]


def batch(seed, B=8, K=5, d=16, scale=0.5):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(B, d)) * scale, rng.normal(size=(B, d)) * scale, rng.normal(size=(B, K, d)) * scale


def run(solution, v, u_pos, u_neg, what):
    got = solution.sgns_loss_and_grads(v, u_pos, u_neg)
    if type(got) not in (tuple, list) or len(got) != 4:
        fail(f"{what}: expected (loss, grad_v, grad_u_pos, grad_u_neg), got {type(got).__name__}")
    return (expect_float(got[0], f"{what}: loss"),
            expect_array(got[1], f"{what}: grad_v", shape=v.shape, kinds="f"),
            expect_array(got[2], f"{what}: grad_u_pos", shape=u_pos.shape, kinds="f"),
            expect_array(got[3], f"{what}: grad_u_neg", shape=u_neg.shape, kinds="f"))


def oracle_matches_finite_differences() -> bool:
    """The test's own gradients agree with central finite differences (a check on the drill)."""
    v, up, un = batch(99, B=3, K=2, d=4)
    _, gv, gp, gn = oracle(v, up, un)
    for x, g in ((v, gv), (up, gp), (un, gn)):
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + 1e-6
            hi = oracle(v, up, un)[0]
            x[idx] = old - 1e-6
            lo = oracle(v, up, un)[0]
            x[idx] = old
            if abs((hi - lo) / 2e-6 - g[idx]) > 1e-7:
                return False
    return True


LOSS_MISTAKES = "the loss is the MEAN over the batch, not the sum"


@pytest.mark.parametrize("shape", [(1, 1, 2), (8, 5, 16)], ids=["B=1 K=1 d=2", "B=8 K=5 d=16"])
def test_loss(solution, tolerance, shape):
    """the loss equals -log sigma(u_pos . v) - sum_k log sigma(-u_neg_k . v), averaged over the batch"""
    v, up, un = batch(sum(shape), *shape)
    loss = run(solution, v, up, un, "sgns_loss_and_grads")[0]
    s_pos, s_neg = np.einsum("bd,bd->b", up, v), np.einsum("bkd,bd->bk", un, v)
    assert_float_close(loss, oracle(v, up, un)[0], "loss", {
        LOSS_MISTAKES: oracle(v, up, un, mean=False)[0],
        "a negative's term is -log sigma(-u_neg . v), with a minus sign inside the sigmoid":
            (np.logaddexp(0.0, -s_pos).sum() + np.logaddexp(0.0, -s_neg).sum()) / len(v),
        "the loss misses the negatives' terms -sum_k log sigma(-u_neg_k . v)": np.logaddexp(0.0, -s_pos).mean(),
    }, **tolerance)


def test_gradients(solution, tolerance):
    """the three gradients equal the exact gradients of the mean loss"""
    assert oracle_matches_finite_differences(), "the drill's own gradients are wrong (a bug in the drill)"
    v, up, un = batch(3)
    _, gv, gp, gn = run(solution, v, up, un, "sgns_loss_and_grads")
    _, ev, ep, en = oracle(v, up, un)
    summed = oracle(v, up, un, mean=False)
    flipped = oracle(v, up, un, neg_sign=-1.0)
    no_minus = oracle(v, up, un, pos_minus_one=False)
    assert_close_or_named(gn, en, "grad_u_neg", {
        "grad_u_neg is +sigma(u_neg . v) * v: pushing a negative's score down lowers the loss (sign error)": flipped[3],
        f"{LOSS_MISTAKES} (the gradients must be divided by B)": summed[3],
    }, **tolerance)
    assert_close_or_named(gp, ep, "grad_u_pos", {
        "grad_u_pos is (sigma(u_pos . v) - 1) * v: the derivative of -log sigma(s) is sigma(s) - 1": no_minus[2],
        f"{LOSS_MISTAKES} (the gradients must be divided by B)": summed[2],
    }, **tolerance)
    assert_close_or_named(gv, ev, "grad_v", {
        "grad_v misses the negatives' part, sum_k sigma(u_neg_k . v) * u_neg_k": oracle(v, up, un, center_negatives=False)[1],
        "grad_v has the negatives' part with the wrong sign": flipped[1],
        "grad_v: the true context's part is (sigma(u_pos . v) - 1) * u_pos": no_minus[1],
        f"{LOSS_MISTAKES} (the gradients must be divided by B)": summed[1],
    }, **tolerance)


def test_gradient_check(solution):
    """your gradients agree with central finite differences of your own loss"""
    v, up, un = batch(4, B=4, K=3, d=6)
    loss, gv, gp, gn = run(solution, v, up, un, "sgns_loss_and_grads")
    rng = np.random.default_rng(5)
    for name, x, g, which in (("v", v, gv, 0), ("u_pos", up, gp, 1), ("u_neg", un, gn, 2)):
        for _ in range(2):
            direction = rng.normal(size=x.shape)
            h = 1e-5
            args_hi = [v, up, un]
            args_lo = [v, up, un]
            args_hi[which] = x + h * direction
            args_lo[which] = x - h * direction
            hi = expect_float(solution.sgns_loss_and_grads(*args_hi)[0], "loss")
            lo = expect_float(solution.sgns_loss_and_grads(*args_lo)[0], "loss")
            numeric, analytic = (hi - lo) / (2 * h), float(np.sum(g * direction))
            if not abs(numeric - analytic) <= 1e-6 * max(1.0, abs(numeric)):
                fail(f"gradient check on {name}: along a random direction your loss changes at rate "
                     f"{numeric:.8g} (finite differences) but your grad_{'u_' if name != 'v' else ''}"
                     f"{name.removeprefix('u_')} predicts {analytic:.8g}: the loss and the gradient disagree")


def test_extreme_scores(solution, tolerance):
    """scores of +-1000: the loss stays finite and exact, the gradients have no nan"""
    v = np.array([[10.0, 0.0], [-10.0, 0.0]])
    up = np.array([[-100.0, 0.0], [100.0, 0.0]])  # true pairs scored -1000: loss 1000 each
    un = np.array([[[100.0, 0.0], [-100.0, 0.0]], [[0.0, 5.0], [-100.0, 0.0]]])  # +1000, -1000 / 0, +1000
    loss, gv, gp, gn = run(solution, v, up, un, "sgns_loss_and_grads with scores of +-1000")
    if not all(np.all(np.isfinite(a)) for a in (loss, gv, gp, gn)):
        fail("scores of +-1000 gave inf or nan: write -log sigma(x) as np.logaddexp(0, -x) and use a sigmoid "
             "that does not overflow")
    expected = oracle(v, up, un)
    assert_float_close(loss, expected[0], "loss with scores of +-1000", **tolerance)
    for got, want, name in zip((gv, gp, gn), expected[1:], ("grad_v", "grad_u_pos", "grad_u_neg"), strict=True):
        assert_close_or_named(got, want, f"{name} with scores of +-1000", {}, **tolerance)


def oracle_step(W_in, W_out, centers, contexts, negatives, lr, overwrite=False, loss_after=False, sequential=False):
    W_in, W_out = W_in.copy(), W_out.copy()
    loss, gv, gp, gn = oracle(W_in[centers], W_out[contexts], W_out[negatives])
    if overwrite:  # W[idx] -= g: with repeated ids only one update lands
        W_in[centers] -= lr * gv
        W_out[contexts] -= lr * gp
        W_out[negatives] -= lr * gn
    else:
        for b, c in enumerate(centers):
            W_in[c] -= lr * gv[b]
        if sequential:  # the context gradients recomputed from the updated centre vectors
            _, _, gp, gn = oracle(W_in[centers], W_out[contexts], W_out[negatives])
        for b, o in enumerate(contexts):
            W_out[o] -= lr * gp[b]
        for b, row in enumerate(negatives):
            for k, w in enumerate(row):
                W_out[w] -= lr * gn[b, k]
    if loss_after:
        loss = oracle(W_in[centers], W_out[contexts], W_out[negatives])[0]
    return loss, W_in, W_out


def check_step(solution, tolerance, W_in, W_out, centers, contexts, negatives, lr, what):
    got = solution.sgns_step(W_in, W_out, centers, contexts, negatives, lr)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"{what}: expected (loss, new_W_in, new_W_out), got {type(got).__name__}")
    loss, new_in, new_out = oracle_step(W_in, W_out, centers, contexts, negatives, lr)
    args = (W_in, W_out, centers, contexts, negatives, lr)
    assert_float_close(got[0], loss, f"{what}: loss", {
        "return the loss BEFORE the update": oracle_step(*args, loss_after=True)[0],
    }, **tolerance)
    overwrite = oracle_step(*args, overwrite=True)
    sequential = oracle_step(*args, sequential=True)
    for i, (want, name) in enumerate(((new_in, "new W_in"), (new_out, "new W_out"))):
        assert_close_or_named(got[1 + i], want, f"{what}: {name}", {
            "a word id that appears several times in the batch must receive every occurrence's update: "
            "W[ids] -= g keeps only one of them (use np.add.at)": overwrite[1 + i],
            "compute every gradient from the old tables before updating either one": sequential[1 + i],
        }, **tolerance)


def test_step(solution, tolerance):
    """one SGD step equals the exact update (all ids distinct)"""
    rng = np.random.default_rng(6)
    W_in, W_out = rng.normal(size=(30, 8)) * 0.3, rng.normal(size=(30, 8)) * 0.3
    ids = rng.permutation(30)
    check_step(solution, tolerance, W_in, W_out, ids[:4], ids[4:8], ids[8:20].reshape(4, 3), 0.5,
               "sgns_step with distinct word ids")


def test_step_repeated_words(solution, tolerance):
    """repeated word ids: every occurrence adds its gradient"""
    rng = np.random.default_rng(7)
    W_in, W_out = rng.normal(size=(12, 6)) * 0.5, rng.normal(size=(12, 6)) * 0.5
    centers = np.array([2, 5, 2, 2, 9])  # word 2 is the centre three times
    contexts = np.array([3, 3, 7, 1, 3])  # word 3 the context three times
    negatives = np.array([[4, 4, 7], [1, 4, 0], [7, 8, 8], [0, 3, 4], [6, 6, 6]])  # repeats, and 3 and 7 as negatives
    check_step(solution, tolerance, W_in, W_out, centers, contexts, negatives, 0.3,
               "sgns_step with repeated word ids")


def test_steps_lower_the_loss(solution):
    """repeated small steps on one batch lower its loss"""
    rng = np.random.default_rng(8)
    W_in, W_out = rng.normal(size=(20, 5)) * 0.5, rng.normal(size=(20, 5)) * 0.5
    centers, contexts, negatives = rng.integers(0, 20, 6), rng.integers(0, 20, 6), rng.integers(0, 20, (6, 4))
    losses = []
    for _ in range(10):
        got = solution.sgns_step(W_in, W_out, centers, contexts, negatives, 0.2)
        if type(got) not in (tuple, list) or len(got) != 3:
            fail(f"sgns_step: expected (loss, new_W_in, new_W_out), got {type(got).__name__}")
        losses.append(expect_float(got[0], "sgns_step: loss"))
        W_in = expect_array(got[1], "sgns_step: new W_in", shape=(20, 5), kinds="f")
        W_out = expect_array(got[2], "sgns_step: new W_out", shape=(20, 5), kinds="f")
    if not losses[-1] < losses[0]:
        fail(f"ten SGD steps did not lower the loss ({losses[0]:.4f} -> {losses[-1]:.4f}): step against the "
             "gradient, W -= lr * grad")


@pytest.mark.parametrize("power", [0.75, 1.0, 0.0], ids=["power 0.75 (default)", "power 1", "power 0"])
def test_noise_distribution(solution, tolerance, power):
    """probabilities proportional to count ** power; unseen words get 0"""
    counts = np.array([100, 0, 7, 1, 0, 42, 3])
    weights = np.where(counts > 0, counts.astype(float) ** power, 0.0)
    expected = weights / weights.sum()
    got = solution.noise_distribution(counts) if power == 0.75 else solution.noise_distribution(counts, power=power)
    got = expect_array(got, f"noise_distribution (power {power})", shape=(7,), kinds="f")
    if power == 0.0 and np.all(got[counts == 0] > 0):
        fail("noise_distribution with power 0: 0 ** 0 is 1 in numpy, but a word with count 0 must get probability 0")
    plain = counts / counts.sum()
    assert_close_or_named(got, expected, f"noise_distribution (power {power})", {
        "raise the counts to the power (0.75 by default) before normalising": plain,
    } if power != 1.0 else {}, **tolerance)


def imported_banned(source: str) -> set[str]:
    """Banned top-level modules the source imports (or names in a string, as for __import__)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & BANNED
    return found


def test_numpy_only(solution, tolerance):
    """numpy only: hand-written gradients, no torch autograd, scikit-learn or scipy"""
    v, up, un = batch(9, B=2, K=2, d=3)
    _, gv, _, _ = run(solution, v, up, un, "sgns_loss_and_grads")
    assert_close_or_named(gv, oracle(v, up, un)[1], "grad_v", {}, **tolerance)
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: derive the gradients by hand, with numpy alone")
