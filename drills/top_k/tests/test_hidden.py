"""Hidden tests for top_k: properties and distributions, checked against a numpy oracle."""

import numpy as np
import pytest

from mlprep.drills.compare import assert_frequencies, chi_square_p, expect_array, expect_index, fail
from mlprep.drills.proxy import SolutionRaised

N = 20_000


def oracle(logits: np.ndarray, k: int, temperature: float) -> np.ndarray:
    """The renormalised top-k distribution over the whole vocabulary."""
    keep = np.argsort(-logits, kind="stable")[:k]
    z = logits[keep] / temperature
    p = np.exp(z - z.max())
    out = np.zeros(len(logits))
    out[keep] = p / p.sum()
    return out


def assert_frequencies_or_named(draws, expected, what, mistakes, alpha=1e-4):
    """assert_frequencies; when the draws fit a known mistake's distribution instead, name the mistake."""
    counts = np.bincount(draws, minlength=len(expected))
    if not (np.all(expected[draws] > 0) and chi_square_p(counts, expected) >= alpha):
        for message, alt in mistakes.items():
            if np.all(alt[draws] > 0) and chi_square_p(counts, alt) >= alpha:
                fail(f"{what}: {message}")
    assert_frequencies(draws, expected, what, alpha)


def draw(solution, logits, k, temperature=1.0, n=N, seed=0):
    batch = np.tile(np.asarray(logits, dtype=np.float64), (n, 1))
    got = solution.top_k_sample(batch, k=k, temperature=temperature, seed=seed)
    return expect_array(got, f"top_k_sample on a ({n}, {batch.shape[1]}) batch", shape=(n,), kinds="iu").astype(np.int64)


def test_greedy_rows(solution):
    """k = 1 always picks each row's largest logit"""
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(64, 30))
    got = expect_array(solution.top_k_sample(logits, k=1, seed=3), "k = 1 on a batch", shape=(64,), kinds="iu")
    wrong = np.flatnonzero(got != logits.argmax(-1))
    if wrong.size:
        fail(f"k = 1: row {wrong[0]} gave index {got[wrong[0]]}, not the largest logit")


def test_never_outside_top_k(solution):
    """only the k most likely tokens are ever sampled"""
    logits = np.random.default_rng(2).normal(size=50) * 3
    draws = draw(solution, logits, k=5, n=5000)
    allowed = set(np.argsort(-logits)[:5].tolist())
    outside = sorted(set(draws.tolist()) - allowed)
    if outside:
        fail(f"k = 5 but token {outside[0]}, outside the top 5, was sampled")


@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0], ids=["T=1", "T=0.5", "T=2"])
def test_frequencies(solution, temperature):
    """sampling frequencies match the renormalised top-k softmax"""
    logits = np.array([2.0, 0.5, 1.5, -1.0, 0.0, 1.0, -0.5, 0.8])
    draws = draw(solution, logits, k=4, temperature=temperature)
    assert_frequencies_or_named(draws, oracle(logits, 4, temperature), f"k = 4, temperature {temperature}", {
        "multiplied the logits by the temperature instead of dividing": oracle(logits, 4, 1 / temperature),
        "the temperature was not applied (divide the logits by it)": oracle(logits, 4, 1.0),
    })


def test_large_logits(solution):
    """large logits (around 1000) neither overflow nor break the distribution"""
    logits = np.array([1000.0, 999.0, 998.0, 500.0, -1000.0])
    draws = draw(solution, logits, k=3)
    assert_frequencies(draws, oracle(logits, 3, 1.0), "logits near 1000")


def test_ties_at_the_boundary(solution):
    """ties at the k-th largest logit never widen the set beyond k tokens"""
    logits = np.array([3.0, 1.0, 1.0, 1.0, 0.0])
    draws = draw(solution, logits, k=2, n=4000)
    seen = set(draws.tolist())
    if not seen <= {0, 1, 2, 3}:
        fail(f"k = 2 with ties: token {sorted(seen - {0, 1, 2, 3})[0]} is below the tied logits")
    if len(seen) > 2:
        fail(f"k = 2 with ties: {len(seen)} different tokens were drawn from one distribution")


def test_k_larger_than_vocabulary(solution):
    """k larger than the vocabulary keeps every token"""
    logits = np.array([0.3, -0.2, 0.1])
    draws = draw(solution, logits, k=10)
    assert_frequencies(draws, oracle(logits, 3, 1.0), "k = 10 with 3 tokens")


def test_k_equal_to_vocabulary(solution):
    """k equal to the vocabulary size keeps every token"""
    logits = np.array([0.3, -0.2, 0.1, 1.0])
    try:
        draws = draw(solution, logits, k=4, n=8000)
    except SolutionRaised as exc:
        fail(f"k = 4 with 4 tokens (k equal to the vocabulary size must keep every token): {exc}")
    assert_frequencies(draws, oracle(logits, 4, 1.0), "k = 4 with 4 tokens")


def test_batched_rows_are_independent(solution):
    """batched input: each row samples from its own logits"""
    logits = np.full((300, 6), -5.0)
    best = np.arange(300) % 6
    logits[np.arange(300), best] = 5.0
    got = expect_array(solution.top_k_sample(logits, k=1, seed=0), "a (300, 6) batch", shape=(300,), kinds="iu")
    if not np.array_equal(got, best):
        row = int(np.flatnonzero(got != best)[0])
        fail(f"row {row} of a batch gave token {got[row]}; that row's top token is {best[row]}")


def test_seed_repeatable(solution):
    """the same seed gives the same draws"""
    logits = np.random.default_rng(5).normal(size=(200, 20))
    a = expect_array(solution.top_k_sample(logits, k=8, seed=11), "seed 11", shape=(200,), kinds="iu")
    b = expect_array(solution.top_k_sample(logits, k=8, seed=11), "seed 11 again", shape=(200,), kinds="iu")
    if not np.array_equal(a, b):
        fail("two calls with seed=11 gave different draws")


def test_one_dimensional(solution):
    """1-D logits give one integer index from the top k"""
    logits = np.array([0.1, 4.0, 3.9, -2.0, 0.0])
    index = expect_index(solution.top_k_sample(logits, k=2, seed=7), "top_k_sample on 1-D logits")
    if index not in (1, 2):
        fail(f"k = 2 on 1-D logits gave token {index}, outside the top 2")


def test_seed_decides_the_draws(solution):
    """the seed decides the draws: another seed gives other draws, and the first seed the same again"""
    logits = np.random.default_rng(6).normal(size=(200, 20))
    calls = [(11, "seed 11"), (12, "seed 12"), (11, "seed 11 after seed 12")]
    a, b, c = (expect_array(solution.top_k_sample(logits, k=8, seed=s), what, shape=(200,), kinds="iu")
               for s, what in calls)
    if np.array_equal(a, b):
        fail("seed=11 and seed=12 gave exactly the same 200 draws: the seed is ignored (or answers are cached)")
    if not np.array_equal(a, c):
        fail("seed=11 gave different draws after a call with seed=12")
