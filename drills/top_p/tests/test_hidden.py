"""Hidden tests for top_p: nucleus membership and frequencies, checked against a numpy oracle.

The prompt sets no rule for ties among equal probabilities, so the oracle accepts any choice of
which tied tokens fill the last places of the nucleus (it reads the choice off the draws), as long
as the nucleus has the right size and the right frequencies.
"""

import numpy as np
import pytest

from mlprep.drills.compare import assert_frequencies, chi_square_p, expect_array, expect_index, fail

N = 20_000
ALPHA = 1e-4


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) / temperature
    probs = np.exp(z - z.max())
    return probs / probs.sum()


def nucleus_size(probs: np.ndarray, p: float) -> int:
    ranked = np.sort(probs)[::-1]
    return int(np.sum(np.cumsum(ranked) - ranked < p))


def oracle(logits: np.ndarray, p: float, temperature: float = 1.0, drawn=None, select_from=None) -> np.ndarray:
    """The renormalised nucleus distribution over the whole vocabulary.

    Tokens tied with the last kept token may fill the nucleus in any order: the ones seen in
    ``drawn`` are preferred. ``select_from`` (probabilities) chooses the nucleus from a different
    distribution than the one sampled (to reproduce a mistake).
    """
    probs = softmax(logits, temperature)
    chooser = probs if select_from is None else select_from
    k = nucleus_size(chooser, p)
    last = np.sort(chooser)[::-1][k - 1]
    tied = np.isclose(chooser, last, rtol=1e-12, atol=0.0)
    above = (chooser > last) & ~tied
    seen = np.zeros(len(probs), dtype=bool)
    if drawn is not None:
        seen[np.unique(drawn)] = True
    candidates = np.concatenate([np.flatnonzero(tied & seen), np.flatnonzero(tied & ~seen)])
    keep = above.copy()
    keep[candidates[: k - int(above.sum())]] = True
    out = np.where(keep, probs, 0.0)
    return out / out.sum()


def assert_nucleus(draws, logits, p, what, temperature=1.0, mistakes=None):
    """Draws follow the nucleus distribution; when they follow a known mistake instead, name it."""
    expected = oracle(logits, p, temperature, draws)
    counts = np.bincount(draws, minlength=len(expected))
    right = np.all(expected[draws] > 0) and chi_square_p(counts, expected) >= ALPHA
    if not right:
        for message, alt in (mistakes or {}).items():
            if np.all(alt[draws] > 0) and chi_square_p(counts, alt) >= ALPHA:
                fail(f"{what}: {message}")
    assert_frequencies(draws, expected, what)


def draw(solution, logits, p, temperature=1.0, n=N, seed=0):
    batch = np.tile(np.asarray(logits, dtype=np.float64), (n, 1))
    got = solution.top_p_sample(batch, p=p, temperature=temperature, seed=seed)
    return expect_array(got, f"top_p_sample on a ({n}, {batch.shape[1]}) batch", shape=(n,), kinds="iu").astype(np.int64)


BASE = np.log(np.array([0.4, 0.25, 0.15, 0.1, 0.06, 0.04]))


# p values sit strictly between cumulative sums (0.4, 0.65, 0.8, 0.9, ...) so that rounding
# cannot move the boundary; the exact-boundary case has its own test with exact sums.
@pytest.mark.parametrize("p", [0.5, 0.7, 0.85], ids=["p=0.5", "p=0.7", "p=0.85"])
def test_frequencies(solution, p):
    """sampling frequencies match the renormalised nucleus"""
    assert_nucleus(draw(solution, BASE, p), BASE, p, f"p = {p}")


def test_p_one_keeps_everything(solution):
    """p = 1.0 samples from the full distribution"""
    assert_nucleus(draw(solution, BASE, 1.0), BASE, 1.0, "p = 1.0")


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


@pytest.mark.parametrize("n_tokens,p,size", [(4, 0.5, 2), (8, 0.75, 6)], ids=["4 tokens, p=0.5", "8 tokens, p=0.75"])
def test_cumulative_exactly_p(solution, n_tokens, p, size):
    """when the cumulative probability lands exactly on p, that token ends the nucleus"""
    draws = draw(solution, np.zeros(n_tokens), p, n=6000, seed=2)
    distinct = len(set(draws.tolist()))
    if distinct > size:
        fail(f"p = {p} over {n_tokens} equal probabilities (1/{n_tokens} each, exact in floating point): "
             f"{distinct} different tokens were drawn; the nucleus stops at the first token where the cumulative "
             f"probability reaches p (it equals p after {size} tokens), so it holds {size}")
    assert_nucleus(draws, np.zeros(n_tokens), p, f"p = {p} over {n_tokens} equal probabilities")


def test_ties_any_order(solution):
    """tokens tied at the edge of the nucleus may be kept in any order"""
    logits = np.log(np.array([0.1, 0.3, 0.2, 0.3, 0.1]))
    draws = draw(solution, logits, 0.25, n=4000, seed=5)
    seen = sorted(set(draws.tolist()))
    if len(seen) != 1 or seen[0] not in (1, 3):
        fail(f"p = 0.25 over probabilities [0.1, 0.3, 0.2, 0.3, 0.1]: the nucleus is one of the two tokens of "
             f"probability 0.3 (either may be chosen), always the same one; got tokens {seen}")


@pytest.mark.parametrize("t", [0.5, 2.0], ids=["T=0.5", "T=2"])
def test_temperature(solution, t):
    """temperature divides the logits, before the nucleus is chosen"""
    p = 0.8
    mistakes = {
        "multiplied the logits by the temperature instead of dividing": oracle(BASE, p, 1 / t),
        "the nucleus was chosen before applying the temperature (divide the logits by it first, then choose)":
            oracle(BASE, p, t, select_from=softmax(BASE)),
        "the temperature was not applied": oracle(BASE, p, 1.0),
    }
    assert_nucleus(draw(solution, BASE, p, temperature=t), BASE, p, f"p = {p}, temperature {t}", t, mistakes)


def test_large_logits(solution):
    """large logits (around 1000) neither overflow nor break the distribution"""
    logits = np.array([1000.0, 999.5, 999.0, 990.0, 0.0])
    assert_nucleus(draw(solution, logits, 0.9), logits, 0.9, "logits near 1000")


def test_batched_rows_have_their_own_nucleus(solution):
    """batched input: each row gets its own nucleus"""
    rows = np.stack([BASE, BASE[::-1], np.zeros(6)])
    batch = np.repeat(rows, 4000, axis=0)
    got = expect_array(solution.top_p_sample(batch, p=0.45, seed=4), "a (12000, 6) batch", shape=(12000,), kinds="iu")
    for i, row in enumerate(rows):
        assert_nucleus(got[i * 4000:(i + 1) * 4000].astype(np.int64), row, 0.45, f"row group {i} of a batch")


def test_one_dimensional(solution):
    """1-D logits give one integer index from the nucleus"""
    index = expect_index(solution.top_p_sample(BASE, p=0.5, seed=9), "top_p_sample on 1-D logits")
    if index not in (0, 1):
        fail(f"p = 0.5 on 1-D logits gave token {index}, outside the nucleus {{0, 1}}")
