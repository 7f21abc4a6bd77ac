"""Hidden tests for speculative_decoding: closed forms for the acceptance probabilities and for the
distribution of every emitted token, checked by chi-square tests with fixed seeds over many rows;
the distributions that classic mistakes produce are computed too, so a failure can name the mistake."""

import numpy as np
import pytest

from mlprep.drills.compare import assert_frequencies, chi_square_p, expect_array, fail

N = 20_000
ALPHA = 1e-4


def call(solution, draft, q, p, what, seed=0, greedy=False):
    n, k = draft.shape
    got = solution.speculative_verify(draft, q, p, seed=seed, greedy=greedy)
    got = expect_array(got, what, shape=(n, k + 1), kinds="iu").astype(np.int64)
    if (got >= q.shape[-1]).any() or (got < -1).any():
        fail(f"{what}: token {int(got[(got >= q.shape[-1]) | (got < -1)][0])} is outside 0..V-1 (and not the -1 padding)")
    emitted = (got >= 0).sum(axis=1)
    pad_ok = np.array([(row[:m] >= 0).all() and (row[m:] == -1).all() for row, m in zip(got, emitted)])
    if not pad_ok.all():
        r = int(np.flatnonzero(~pad_ok)[0])
        fail(f"{what}: row {r} is {got[r].tolist()}: the emitted tokens come first, then -1 padding")
    if (emitted == 0).any():
        fail(f"{what}: row {int(np.flatnonzero(emitted == 0)[0])} emitted nothing; every step emits at least one token")
    return got, emitted


def sample_drafts(q, seed):
    """The judge draws the draft tokens from q (one row of q per step)."""
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(q, axis=-1)
    u = rng.random(q.shape[:-1] + (1,))
    return np.minimum((cdf <= u * cdf[..., -1:]).sum(-1), q.shape[-1] - 1)


def tile(dist, n=N):
    return np.repeat(np.asarray(dist, dtype=np.float64)[None], n, axis=0)


def first_token_mistakes(p0, q0):
    """Distribution of the first emitted token under classic mistakes (p0, q0 one position)."""
    overlap = np.minimum(p0, q0)
    alpha = overlap.sum()
    res = np.maximum(p0 - q0, 0)
    inv = q0 * np.minimum(1.0, np.divide(q0, p0, out=np.full_like(p0, np.inf), where=p0 > 0))
    beta = inv.sum()
    res_q = np.maximum(q0 - p0, 0)
    return {
        "after a rejection, draw from the residual max(0, p - q) normalised, not from p itself":
            overlap + (1 - alpha) * p0,
        "after a rejection, draw from the residual max(0, p - q), not from the draft distribution q":
            overlap + (1 - alpha) * q0,
        "accept with probability min(1, p(x) / q(x)) (target over draft), not q(x) / p(x)":
            inv + (1 - beta) * (res / res.sum() if res.sum() > 0 else p0),
        "the residual is max(0, p - q), not max(0, q - p)": overlap + (1 - alpha) * (res_q / res_q.sum()),
        "drafts were never rejected: accept with probability min(1, p(x) / q(x))": q0,
    }


def assert_token_distribution(tokens, probs, what, named):
    """assert_frequencies, but when it fails try the mistakes' distributions and name the one that fits."""
    counts = np.bincount(tokens, minlength=len(probs))
    if chi_square_p(counts, probs) >= ALPHA and not tokens[probs[tokens] == 0].size:
        return
    for message, alt in named.items():
        if chi_square_p(counts, alt) >= ALPHA and not tokens[alt[tokens] <= 0].size:
            fail(f"{what}: {message}")
    assert_frequencies(tokens, probs, what, alpha=ALPHA)


def length_probs(p, q):
    """P(a step emits j + 1 tokens), j = 0..k, from the acceptance probabilities alpha_i = sum min(p_i, q_i)."""
    alphas = np.minimum(p[:-1], q).sum(-1)
    keep = np.concatenate([[1.0], np.cumprod(alphas)])
    return keep * np.concatenate([1 - alphas, [1.0]])


# one context used by several tests: k = 3 positions, V = 6, q and p disagree in every way
Q3 = np.array([[0.30, 0.30, 0.20, 0.10, 0.10, 0.00],
               [0.05, 0.05, 0.40, 0.40, 0.05, 0.05],
               [0.50, 0.10, 0.10, 0.10, 0.10, 0.10]])
P3 = np.array([[0.10, 0.40, 0.10, 0.05, 0.15, 0.20],   # token 5: q = 0, p > 0 (only via the residual)
               [0.30, 0.00, 0.30, 0.10, 0.20, 0.10],   # token 1: q > 0, p = 0 (never emitted here)
               [0.25, 0.25, 0.10, 0.10, 0.20, 0.10],
               [0.05, 0.05, 0.60, 0.10, 0.10, 0.10]])


@pytest.fixture(scope="module")
def run3(solution):
    q, p = tile(Q3), tile(P3)
    draft = sample_drafts(q, seed=11)
    got, emitted = call(solution, draft, q, p, f"{N} steps of k = 3", seed=5)
    return draft, got, emitted


def test_first_token_is_target_distributed(run3):
    """the first emitted token is distributed as the target's p_0"""
    _, got, _ = run3
    assert_token_distribution(got[:, 0], P3[0], "the first emitted token", first_token_mistakes(P3[0], Q3[0]))


def test_later_tokens_are_target_distributed(run3):
    """the second and third emitted tokens follow p_1 and p_2"""
    _, got, emitted = run3
    for j in (1, 2):
        tokens = got[emitted > j, j]
        assert_token_distribution(tokens, P3[j], f"emitted token {j} (in the {len(tokens)} steps that reach it)",
                                  first_token_mistakes(P3[j], Q3[j]))


def test_accepted_prefix_is_the_draft(run3):
    """all emitted tokens but the last are the draft's, in order"""
    draft, got, emitted = run3
    for j in range(3):
        rows = emitted > j + 1
        bad = np.flatnonzero(rows & (got[:, j] != draft[:, j]))
        if bad.size:
            r = int(bad[0])
            fail(f"step {r}: emitted {got[r].tolist()} for the draft {draft[r].tolist()}: every emitted token but the "
                 "last must be an accepted draft token, in order; after the first rejection stop")


def test_number_of_tokens(run3):
    """the number of emitted tokens follows the acceptance probabilities"""
    _, _, emitted = run3
    probs = length_probs(P3, Q3)
    counts = np.bincount(emitted - 1, minlength=4)
    if chi_square_p(counts, probs) >= ALPHA:
        return
    if counts[3] == 0:
        fail("no step emitted k + 1 tokens: when all k drafts are accepted, emit a bonus token drawn from p_k")
    fail(f"how many tokens a step emits: 1, 2, 3, 4 tokens in {np.round(counts / counts.sum(), 3).tolist()} of the steps, "
         f"expected {np.round(probs, 3).tolist()}: draft i is accepted with probability min(1, p_i(x) / q_i(x)), and a "
         "step stops at its first rejection")


def test_bonus_token(solution):
    """when the draft equals the target, every draft is kept and the bonus token follows p_k"""
    q = tile(P3[:3], 8000)
    p = tile(P3, 8000)
    draft = sample_drafts(q, seed=12)
    got, emitted = call(solution, draft, q, p, "p = q at every draft position", seed=6)
    if (emitted != 4).any():
        r = int(np.flatnonzero(emitted != 4)[0])
        fail(f"p = q: step {r} emitted {got[r].tolist()}; with p = q every draft is accepted (p/q = 1) and a bonus "
             "token follows")
    assert_frequencies(got[:, 3], P3[3], "the bonus token after k accepted drafts")


def test_rows_have_their_own_distributions(solution):
    """each row uses its own q and p"""
    qa, pa = np.array([[0.7, 0.2, 0.1, 0.0]]), np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])
    qb, pb = np.array([[0.1, 0.1, 0.1, 0.7]]), np.array([[0.6, 0.3, 0.1, 0.0], [0.0, 0.0, 0.5, 0.5]])
    half = 10_000
    q = np.concatenate([tile(qa, half), tile(qb, half)])
    p = np.concatenate([tile(pa, half), tile(pb, half)])
    draft = sample_drafts(q, seed=13)
    got, _ = call(solution, draft, q, p, "two groups of rows with different distributions", seed=7)
    assert_token_distribution(got[:half, 0], pa[0], "rows 0..9999, first token", first_token_mistakes(pa[0], qa[0]))
    assert_token_distribution(got[half:, 0], pb[0], "rows 10000..19999, first token", first_token_mistakes(pb[0], qb[0]))


def test_impossible_tokens(solution):
    """a draft token the target gives probability 0 is always rejected"""
    q = tile([[0.5, 0.5, 0.0]], 2000)
    p = tile([[0.0, 0.2, 0.8], [1.0, 0.0, 0.0]], 2000)
    draft = np.zeros((2000, 1), dtype=np.int64)  # token 0: q = 0.5, p = 0
    got, emitted = call(solution, draft, q, p, "draft token with p = 0", seed=8)
    if (got[:, 0] == 0).any():
        fail("token 0, whose target probability is 0, was emitted: the draft must be rejected (u < p(x) / q(x) = 0 "
             "never holds) and the replacement drawn from max(0, p - q), where token 0 has weight 0")
    if (emitted != 1).any():
        fail("after a rejection the step must stop, with exactly one token from the residual")
    if (got[:, 0] == 1).any():
        fail("after a rejection, token 1 (p = 0.2 < q = 0.5) was drawn: the residual max(0, p - q) gives it weight 0")


def test_greedy(solution):
    """greedy verification equals greedy decoding with the target alone"""
    rng = np.random.default_rng(14)
    n, k, V = 500, 4, 7
    p = rng.dirichlet(np.ones(V) * 0.5, size=(n, k + 1))
    q = rng.dirichlet(np.ones(V) * 0.5, size=(n, k))
    best = p.argmax(-1)
    # drafts that agree with the target's argmax for a random number of positions, then disagree
    agree = rng.integers(0, k + 1, size=n)
    draft = np.where(np.arange(k)[None, :] < agree[:, None], best[:, :k], (best[:, :k] + 1 + rng.integers(0, V - 1, (n, k))) % V)
    p[:3, 0] = [0.4, 0.4, 0.1, 0.05, 0.05, 0.0, 0.0]  # ties: the lowest id wins
    best = p.argmax(-1)
    draft[:3, 0] = [1, 0, 1]
    want = np.full((n, k + 1), -1)
    for r in range(n):
        for i in range(k + 1):
            want[r, i] = best[r, i]
            if i == k or draft[r, i] != best[r, i]:
                break
    got, _ = call(solution, draft, q, p, "greedy", greedy=True)
    bad = np.flatnonzero((got != want).any(1))
    if bad.size:
        r = int(bad[0])
        fail(f"greedy, step {r}: draft {draft[r].tolist()}, target argmaxes {best[r].tolist()}: expected "
             f"{want[r].tolist()}, got {got[r].tolist()} (accept while the draft equals argmax p_i, lowest id on ties; "
             "then emit argmax p_i and stop)")


def test_seeded(solution):
    """the same seed gives the same tokens"""
    q, p = tile(Q3, 300), tile(P3, 300)
    draft = sample_drafts(q, seed=15)
    a, _ = call(solution, draft, q, p, "seed 3", seed=3)
    b, _ = call(solution, draft, q, p, "seed 3 again", seed=3)
    if not np.array_equal(a, b):
        fail("two calls with seed = 3 gave different tokens: draw every random number from np.random.default_rng(seed)")
