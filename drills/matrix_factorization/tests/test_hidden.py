"""Hidden tests for matrix_factorization: a per-user ridge regression solved in a plain loop as
the oracle for one half-step, the loss written out, the ALS loop checked step by step (the same
seed restarts the same run, so iteration t + 1 must be the exact update of iteration t), the loss
never increasing, and recovery of a planted low-rank matrix. Unobserved entries hold nan
throughout. Classic mistakes are named when a result equals what they give."""

import ast
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named
from mlprep.drills.scalars import assert_float_close, expect_float

BANNED = {"sklearn", "scipy", "torch"}


def ratings(seed, m=30, n=20, k=3, observed=0.4, noise=0.1):
    rng = np.random.default_rng(seed)
    full = rng.normal(size=(m, k)) @ rng.normal(size=(n, k)).T + noise * rng.normal(size=(m, n))
    mask = rng.random((m, n)) < observed
    return np.where(mask, full, np.nan), mask, full, rng


def oracle_update(R, mask, V, reg, zeros=False, weighted=False):
    """User by user: (V_i^T V_i + reg I) u_i = V_i^T r_i, or a classic mistake."""
    m, k = R.shape[0], V.shape[1]
    U = np.zeros((m, k))
    for i in range(m):
        rated = np.ones(R.shape[1], dtype=bool) if zeros else mask[i]
        r = np.where(mask[i], R[i], 0.0)[rated]
        lam = reg * max(int(mask[i].sum()), 1) if weighted else reg
        U[i] = np.linalg.solve(V[rated].T @ V[rated] + lam * np.eye(k), V[rated].T @ r)
    return U


def oracle_loss(R, mask, U, V, reg, reg_u=True, reg_v=True):
    err = (np.where(mask, R, 0.0) - U @ V.T)[mask]
    return float(np.sum(err**2) + reg * (reg_u * np.sum(U**2) + reg_v * np.sum(V**2)))


def maybe(fn, *args, **kw):
    """A mistake's answer, or None where that mistake has no answer (a singular system)."""
    try:
        return fn(*args, **kw)
    except np.linalg.LinAlgError:
        return None


def update_mistakes(R, mask, V, reg):
    return {
        "a missing rating is not a rating of 0: use only the items each user rated (V_i, r_i)":
            maybe(oracle_update, R, mask, V, reg, zeros=True),
        "the ridge term is reg * I (the loss has reg * |u_i|^2), it is missing from your system":
            maybe(oracle_update, R, mask, V, 0.0),
        "the ridge term is reg * I, not reg times the user's number of ratings": oracle_update(R, mask, V, reg, weighted=True),
    }


def update(solution, R, mask, V, reg, what):
    got = expect_array(solution.als_update(R, mask, V, reg), what, shape=(R.shape[0], V.shape[1]), kinds="f")
    if not np.all(np.isfinite(got)):
        fail(f"{what}: the result holds nan or inf: the unobserved entries of R are nan, never let them into a sum")
    return got


@pytest.mark.parametrize("reg", [0.1, 3.0], ids=["reg 0.1", "reg 3"])
def test_update_matches_ridge_solution(solution, tolerance, reg):
    """als_update solves each user's ridge regression exactly, over the items they rated"""
    R, mask, _, rng = ratings(1)
    V = rng.normal(size=(20, 3))
    got = update(solution, R, mask, V, reg, f"als_update ({reg=})")
    assert_close_or_named(got, oracle_update(R, mask, V, reg), f"als_update ({reg=})", update_mistakes(R, mask, V, reg),
                          **tolerance)


def test_update_items_by_transposing(solution, tolerance):
    """als_update(R.T, mask.T, U, reg) updates the items; a row with no rating gets zeros"""
    R, mask, _, rng = ratings(2, m=25, n=15, k=4)
    mask[3] = False  # user 3 rated nothing
    mask[:, 7] = False  # item 7 was rated by nobody
    R = np.where(mask, R, np.nan)
    U, V = rng.normal(size=(25, 4)), rng.normal(size=(15, 4))
    got_u = update(solution, R, mask, V, 0.5, "als_update on users (user 3 rated nothing)")
    if not np.all(got_u[3] == 0.0):
        fail(f"als_update: a user with no rating must get the zero vector, got {got_u[3].round(4).tolist()}")
    assert_close_or_named(got_u, oracle_update(R, mask, V, 0.5), "als_update on users", update_mistakes(R, mask, V, 0.5),
                          **tolerance)
    got_v = update(solution, R.T, mask.T, U, 0.5, "als_update on items (item 7 rated by nobody)")
    assert_close_or_named(got_v, oracle_update(R.T, mask.T, U, 0.5), "als_update on items",
                          update_mistakes(R.T, mask.T, U, 0.5), **tolerance)


def test_loss(solution, tolerance):
    """als_loss: squared errors over observed entries plus reg times both factors' squared norms"""
    R, mask, _, rng = ratings(3)
    U, V = rng.normal(size=(30, 3)), rng.normal(size=(20, 3))
    got = expect_float(solution.als_loss(R, mask, U, V, 0.7), "als_loss")
    if not np.isfinite(got):
        fail("als_loss is nan: sum the squared errors over the observed entries only (R is nan elsewhere)")
    n_obs = int(mask.sum())
    data = oracle_loss(R, mask, U, V, 0.0)
    assert_float_close(got, oracle_loss(R, mask, U, V, 0.7), "als_loss (reg 0.7)", {
        "the loss regularises BOTH factors: reg * (|U|^2 + |V|^2)": oracle_loss(R, mask, U, V, 0.7, reg_v=False),
        "the loss regularises both factors; your loss misses reg * |U|^2": oracle_loss(R, mask, U, V, 0.7, reg_u=False),
        "the loss has no regularisation term": data,
        "the loss is a plain sum of squared errors, not their mean": data / n_obs + (oracle_loss(R, mask, U, V, 0.7) - data),
        "the loss is the plain sum of squared errors, without a factor 1/2": 0.5 * oracle_loss(R, mask, U, V, 0.7),
    }, **tolerance)


def run(solution, R, mask, rank, reg, n_iters, seed, what):
    got = solution.als(R, mask, rank, reg=reg, n_iters=n_iters, seed=seed)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"{what}: expected (U, V, losses), got {type(got).__name__}")
    U = expect_array(got[0], f"{what}: U", shape=(R.shape[0], rank), kinds="f")
    V = expect_array(got[1], f"{what}: V", shape=(R.shape[1], rank), kinds="f")
    losses = got[2]
    if type(losses) is np.ndarray:
        losses = losses.tolist()
    if type(losses) not in (list, tuple) or len(losses) != n_iters + 1:
        fail(f"{what}: losses must be a list of n_iters + 1 = {n_iters + 1} floats, got "
             f"{len(losses) if type(losses) in (list, tuple) else type(losses).__name__}")
    return U, V, [expect_float(x, f"{what}: a loss") for x in losses]


def test_iterations_alternate_exactly(solution, tolerance):
    """each iteration: every user solved exactly for the current V, then every item for the new U"""
    R, mask, _, _ = ratings(4)
    reg, what = 0.3, "als (rank 3, reg 0.3, seed 5)"
    U0, V0, l0 = run(solution, R, mask, 3, reg, 0, 5, f"{what} with n_iters=0")
    rng = np.random.default_rng(5)
    start_u = rng.normal(scale=0.1, size=(30, 3))
    start_v = rng.normal(scale=0.1, size=(20, 3))
    swapped = np.random.default_rng(5)
    v_first = swapped.normal(scale=0.1, size=(20, 3))
    u_second = swapped.normal(scale=0.1, size=(30, 3))
    order = "draw U first, then V, from one np.random.default_rng(seed)"
    assert_close_or_named(U0, start_u, "U with n_iters=0 (the starting point)", {
        order: u_second, "the start has scale 0.1: rng.normal(scale=0.1, size=(m, rank))": start_u * 10,
    }, **tolerance)
    assert_close_or_named(V0, start_v, "V with n_iters=0 (the starting point)", {order: v_first}, **tolerance)
    assert_float_close(l0[0], oracle_loss(R, mask, U0, V0, reg), "losses[0], the loss of the starting point",
                       **tolerance)
    again = run(solution, R, mask, 3, reg, 2, 5, f"{what} with n_iters=2")
    twice = run(solution, R, mask, 3, reg, 2, 5, f"{what} with n_iters=2, again")
    if not (np.array_equal(again[0], twice[0], equal_nan=True) and np.array_equal(again[1], twice[1], equal_nan=True)):
        fail("two calls with the same seed gave different factors: draw the start from np.random.default_rng(seed)")
    U_prev, V_prev = U0, V0
    for t in (1, 2):
        U, V, losses = run(solution, R, mask, 3, reg, t, 5, f"{what} with n_iters={t}")
        want_u = oracle_update(R, mask, V_prev, reg)
        assert_close_or_named(U, want_u, f"U after iteration {t} (the exact update for the V of iteration {t - 1})", {
            "update the users first, then the items": oracle_update(R, mask, oracle_update(R.T, mask.T, U_prev, reg), reg),
        }, **tolerance)
        assert_close_or_named(V, oracle_update(R.T, mask.T, U, reg),
                              f"V after iteration {t} (the exact update for the new U)", {
                                  "the item update needs the ridge term too: regularise both factors":
                                      maybe(oracle_update, R.T, mask.T, U, 0.0),
                                  "update the items with the NEW user factors of the same iteration":
                                      oracle_update(R.T, mask.T, U_prev, reg),
                              }, **tolerance)
        assert_float_close(losses[-1], oracle_loss(R, mask, U, V, reg), f"losses[{t}], the loss after iteration {t}",
                           **tolerance)
        U_prev, V_prev = U, V


def test_loss_never_increases(solution):
    """the recorded loss never goes up"""
    for seed in range(3):
        R, mask, _, _ = ratings(10 + seed, noise=0.5)
        _, _, losses = run(solution, R, mask, 4, 0.05, 15, seed, f"als (rank 4, seed {seed})")
        for t in range(15):
            if losses[t + 1] > losses[t] * (1 + 1e-9) + 1e-12:
                fail(f"als (seed {seed}): the loss went up at iteration {t + 1}, from {losses[t]:.10g} to "
                     f"{losses[t + 1]:.10g}: each half-step must be the exact minimiser for the other factor")


def test_recovers_planted_low_rank(solution):
    """a noise-free rank-3 matrix, half observed: the hidden entries are recovered"""
    R, mask, full, _ = ratings(20, m=60, n=40, k=3, observed=0.5, noise=0.0)
    U, V, losses = run(solution, R, mask, 3, 1e-3, 30, 0, "als (rank 3, reg 1e-3, 30 iterations)")
    pred = U @ V.T
    hidden = float(np.sqrt(np.mean((pred - full)[~mask] ** 2)))
    seen = float(np.sqrt(np.mean((pred - full)[mask] ** 2)))
    if not hidden < 0.05:
        fail(f"U V^T misses the unobserved entries of a noise-free rank-3 matrix: RMSE {hidden:.3f} on them "
             f"(and {seen:.3f} on the observed ones), expected under 0.05")


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
    """numpy only: a working als_update with no scikit-learn, scipy or torch"""
    R, mask, _, rng = ratings(30, m=8, n=6, k=2)
    V = rng.normal(size=(6, 2))
    got = update(solution, R, mask, V, 0.2, "als_update")
    assert_close_or_named(got, oracle_update(R, mask, V, 0.2), "als_update", update_mistakes(R, mask, V, 0.2), **tolerance)
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: write ALS with numpy alone")
