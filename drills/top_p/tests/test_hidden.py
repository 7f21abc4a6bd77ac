"""Hidden tests for top_p: nucleus membership and frequencies, checked against a numpy oracle."""

import numpy as np
import pytest

from mlprep.drills.compare import assert_frequencies, expect_array, expect_index, fail

N = 20_000


def oracle(logits: np.ndarray, p: float, temperature: float = 1.0) -> np.ndarray:
    """The renormalised nucleus distribution over the whole vocabulary."""
    z = logits / temperature
    probs = np.exp(z - z.max())
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    before = np.cumsum(probs[order]) - probs[order]
    keep = order[before < p]
    out = np.zeros(len(logits))
    out[keep] = probs[keep] / probs[keep].sum()
    return out


def draw(solution, logits, p, temperature=1.0, n=N, seed=0):
    batch = np.tile(np.asarray(logits, dtype=np.float64), (n, 1))
    got = solution.top_p_sample(batch, p=p, temperature=temperature, seed=seed)
    return expect_array(got, f"top_p_sample on a ({n}, {batch.shape[1]}) batch", shape=(n,), kinds="iu").astype(np.int64)


BASE = np.log(np.array([0.4, 0.25, 0.15, 0.1, 0.06, 0.04]))


@pytest.mark.parametrize("p", [0.5, 0.7, 0.9], ids=["p=0.5", "p=0.7", "p=0.9"])
def test_frequencies(solution, p):
    """sampling frequencies match the renormalised nucleus"""
    assert_frequencies(draw(solution, BASE, p), oracle(BASE, p), f"p = {p}")


def test_p_one_keeps_everything(solution):
    """p = 1.0 samples from the full distribution"""
    assert_frequencies(draw(solution, BASE, 1.0), oracle(BASE, 1.0), "p = 1.0")


def test_tiny_p_is_greedy(solution):
    """a tiny p keeps only the most likely token of each row"""
    logits = np.random.default_rng(3).normal(size=(128, 40)) * 2
    got = expect_array(solution.top_p_sample(logits, p=1e-9, seed=0), "p = 1e-9 on a batch", shape=(128,), kinds="iu")
    wrong = np.flatnonzero(got != logits.argmax(-1))
    if wrong.size:
        fail(f"p = 1e-9: row {wrong[0]} gave token {got[wrong[0]]}, not its most likely token")


def test_nucleus_boundary(solution):
    """the nucleus stops at the first token that reaches p (and includes it)"""
    draws = draw(solution, BASE, 0.66, n=8000)
    seen = set(draws.tolist())
    if seen != {0, 1, 2}:
        fail(f"p = 0.66 over probabilities 0.4, 0.25, 0.15, ...: expected tokens {{0, 1, 2}} to be drawn, got {sorted(seen)}")


def test_temperature(solution):
    """temperature is applied before the nucleus is chosen"""
    for t in (0.5, 2.0):
        assert_frequencies(draw(solution, BASE, 0.8, temperature=t), oracle(BASE, 0.8, t), f"p = 0.8, temperature {t}")


def test_large_logits(solution):
    """large logits (around 1000) neither overflow nor break the distribution"""
    logits = np.array([1000.0, 999.5, 999.0, 990.0, 0.0])
    assert_frequencies(draw(solution, logits, 0.9), oracle(logits, 0.9), "logits near 1000")


def test_batched_rows_have_their_own_nucleus(solution):
    """batched input: each row gets its own nucleus"""
    rows = np.stack([BASE, BASE[::-1], np.zeros(6)])
    batch = np.repeat(rows, 4000, axis=0)
    got = expect_array(solution.top_p_sample(batch, p=0.5, seed=4), "a (12000, 6) batch", shape=(12000,), kinds="iu")
    for i, row in enumerate(rows):
        assert_frequencies(got[i * 4000:(i + 1) * 4000].astype(np.int64), oracle(row, 0.5), f"row group {i} of a batch")


def test_one_dimensional(solution):
    """1-D logits give one integer index from the nucleus"""
    index = expect_index(solution.top_p_sample(BASE, p=0.5, seed=9), "top_p_sample on 1-D logits")
    if index not in (0, 1):
        fail(f"p = 0.5 on 1-D logits gave token {index}, outside the nucleus {{0, 1}}")
