"""Hidden tests for dropout: exact properties (every output is 0 or x / (1 - p); eval and p = 0
are the identity; p = 1 gives zeros; seeds repeat) and statistical ones on large arrays drawn
with fixed seeds (the fraction dropped, the mean, independence across rows and columns).

Statistical tolerances: with n independent elements the number dropped is Binomial(n, p), with
standard deviation sqrt(n p (1 - p)); a correct solution lands more than 5 standard deviations
away with probability about 6e-7 per check, whatever random stream it uses, while every mistake
named here is off by hundreds of standard deviations."""

import math

import numpy as np
import pytest

from mlprep.drills.compare import assert_close, describe, expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named

Z = 5.0  # standard errors allowed


def call(solution, x, p, what, **kw):
    got = solution.dropout(x, p, **kw)
    return expect_array(got, what, shape=x.shape, kinds="f")


def check_values(got, x, p, what):
    """Every element is either 0 or x / (1 - p)."""
    kept = got != 0
    scaled = x / (1 - p)
    if not np.isfinite(got).all():
        fail(f"{what}: the output has inf or nan")
    wrong = kept & ~np.isclose(got, scaled, rtol=1e-12, atol=0)
    if wrong.any():
        i = tuple(int(k) for k in np.argwhere(wrong)[0])
        g, v = got[i], x[i]
        if np.isclose(g, v, rtol=1e-12):
            fail(f"{what}: kept values must be scaled by 1 / (1 - p) (inverted dropout); yours are left as they were")
        if np.isclose(g, v * (1 - p), rtol=1e-12):
            fail(f"{what}: kept values must be divided by (1 - p), not multiplied by it")
        if np.isclose(g, v / p, rtol=1e-12):
            fail(f"{what}: kept values are scaled by 1 / (1 - p), where p is the probability of dropping; yours use 1 / p")
        fail(f"{what}: at {list(i)} the output is {g:.8g}; it must be 0 (dropped) or x / (1 - p) = {scaled[i]:.8g}")


@pytest.mark.parametrize("p", [0.1, 0.3, 0.8], ids=["p = 0.1", "p = 0.3", "p = 0.8"])
def test_drop_fraction(solution, p):
    """the fraction of dropped elements is p, and each kept one is x / (1 - p)"""
    x = np.random.default_rng(1).uniform(0.5, 2.0, size=(400, 500))  # no zeros, so 0 means dropped
    got = call(solution, x, p, f"dropout with p = {p}", seed=11)
    check_values(got, x, p, f"dropout with p = {p}")
    n = x.size
    dropped = int((got == 0).sum())
    sd = math.sqrt(n * p * (1 - p))
    if abs(dropped - n * p) > Z * sd:
        frac = dropped / n
        hint = ""
        if abs(frac - (1 - p)) < 0.01:
            hint = ": p is the probability of dropping an element, not of keeping it"
        fail(f"dropout with p = {p} dropped {frac:.4f} of {n} elements; expected {p} "
             f"(allowed: within {Z * sd / n:.4f}){hint}")


@pytest.mark.parametrize("p", [0.25, 0.6], ids=["p = 0.25", "p = 0.6"])
def test_expectation_preserved(solution, p):
    """the mean of the output matches the mean of the input"""
    x = np.random.default_rng(2).normal(1.0, 0.5, size=(300, 400))
    got = call(solution, x, p, f"dropout with p = {p}", seed=12)
    # mean of n independent x_i * B_i / (1 - p): its standard error is sqrt(p / (1 - p) * mean(x^2) / n)
    se = math.sqrt(p / (1 - p) * np.mean(x * x) / x.size)
    if abs(got.mean() - x.mean()) > Z * se:
        ratio = got.mean() / x.mean()
        hint = ""
        if abs(ratio - (1 - p)) < 0.02:
            hint = ": scale the kept values by 1 / (1 - p) so that the expectation is preserved"
        fail(f"dropout with p = {p}: the output's mean is {got.mean():.5f}, the input's {x.mean():.5f} "
             f"(allowed: within {Z * se:.5f}){hint}")


def test_independent_elements(solution):
    """elements are dropped independently: each row and column gets its own mask"""
    p = 0.3
    x = np.ones((2000, 40))
    got = call(solution, x, p, "dropout of a (2000, 40) batch", seed=13)
    masks = got == 0
    distinct = len({row.tobytes() for row in masks})
    if distinct < 1900:  # 2^40 possible masks: a correct solution repeats almost none
        fail(f"dropout of a (2000, 40) batch: only {distinct} different row masks; draw one random number "
             "per element (rng.random(x.shape)), not one mask shared by every row")
    per_column = masks.mean(axis=0)
    sd = math.sqrt(p * (1 - p) / x.shape[0])
    worst = int(np.argmax(np.abs(per_column - p)))
    if abs(per_column[worst] - p) > Z * sd:
        fail(f"dropout of a (2000, 40) batch: column {worst} dropped {per_column[worst]:.3f} of its elements, expected {p}")


def test_eval_is_identity(solution):
    """eval mode returns x unchanged, whatever p"""
    x = np.random.default_rng(3).normal(size=(6, 7))
    for p in (0.5, 1.0):
        got = solution.dropout(x, p, training=False, seed=0)
        if type(got) is np.ndarray and got.shape == x.shape and ((got == 0) & (x != 0)).any():
            fail(f"dropout with training=False and p = {p} zeroed some elements: eval mode is the identity, "
                 "no mask is applied")
        mistakes = {"eval mode is the identity: do not multiply by (1 - p); inverted dropout already scaled "
                    "during training": x * (1 - p)}
        if p < 1:
            mistakes["eval mode is the identity: do not divide by (1 - p); that scaling happens only during training"] = x / (1 - p)
        assert_close_or_named(got, x, f"dropout with training=False and p = {p}", mistakes, rtol=0.0, atol=0.0)


def test_default_is_training(solution):
    """training defaults to True"""
    x = np.ones((50, 40))
    got = expect_array(solution.dropout(x, 0.5, seed=5), "dropout(x, 0.5) with the default training", shape=x.shape, kinds="f")
    if np.array_equal(got, x):
        fail("dropout(x, 0.5) returned x unchanged: training=True is the default, so elements must be dropped")
    check_values(got, x, 0.5, "dropout(x, 0.5) with the default training")


def test_p_zero_and_one(solution):
    """p = 0 keeps everything unchanged; p = 1 drops everything (zeros, no nan)"""
    x = np.random.default_rng(4).normal(size=(5, 8))
    assert_close(solution.dropout(x, 0.0, seed=1), x, "dropout with p = 0", rtol=0.0, atol=0.0)
    got = call(solution, x, 1.0, "dropout with p = 1", seed=1)
    if np.isnan(got).any() or np.isinf(got).any():
        fail("dropout with p = 1 returned nan or inf: everything is dropped, so return zeros without dividing by 1 - p = 0")
    if (got != 0).any():
        fail("dropout with p = 1 must drop every element (return zeros)")


def test_seeds(solution):
    """the same seed repeats the output; different seeds give different masks"""
    x = np.random.default_rng(5).normal(size=(30, 30))
    a = call(solution, x, 0.5, "dropout with seed 7", seed=7)
    b = call(solution, x, 0.5, "dropout with seed 7 again", seed=7)
    c = call(solution, x, 0.5, "dropout with seed 8", seed=8)
    if not np.array_equal(a, b):
        fail("dropout with the same seed twice gave different outputs: draw from np.random.default_rng(seed)")
    if np.array_equal(a == 0, c == 0):
        fail("dropout with seeds 7 and 8 gave the same mask: the seed must drive the random draws")


def test_any_shape(solution):
    """any shape works: a 3-D input keeps its shape"""
    x = np.random.default_rng(6).uniform(1, 2, size=(4, 5, 6))
    got = call(solution, x, 0.4, "dropout of a (4, 5, 6) input", seed=3)
    check_values(got, x, 0.4, "dropout of a (4, 5, 6) input")


def test_numpy_only(solution):
    """numpy only: the file does not use torch"""
    solution.dropout(np.ones((3, 3)), 0.5, seed=0)
    modules = solution.loaded_modules()
    if type(modules) is not list:
        fail(f"loaded_modules must return a list (leave it as the starter has it); got {describe(modules)}")
    if modules:
        fail(f"this drill is numpy only: your file loaded {', '.join(map(str, modules[:3]))}; "
             "write the mask yourself instead of using torch")
