"""Numbers stated in the LLM banks (llm-inference, post-training, rag-retrieval, llm-evaluation,
pre-training, llm-agents-safety) recomputed from scratch.

Each test computes the value with math/numpy/torch and checks it against the number written in the
question's answer or correct choice. For choice questions it also checks that no wrong choice
states the same values, so a swapped `correct` fails too.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pytest
import torch
from conftest import REPO

from mlprep.bank.loader import load_questions
from mlprep.bank.schema import Question

CORE = REPO / "questions" / "core"
TOPICS = (
    "llm-inference",
    "post-training",
    "rag-retrieval",
    "llm-evaluation",
    "pre-training",
    "llm-agents-safety",
)
NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?")
GiB, KiB = 2**30, 2**10


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    return {q.id: q for q in load_questions([CORE / f"{topic}.yaml" for topic in TOPICS])}


def numbers(text: str) -> list[float]:
    """Every number written in ``text``, in order (thousands separators, also LaTeX's ``{,}``, allowed)."""
    text = text.replace("{,}", ",")
    return [float(m.group().replace(",", "")) for m in NUMBER_RE.finditer(text)]


def states(text: str, expected: list[float], tol: float) -> bool:
    """Whether ``text`` states the ``expected`` values in order (other numbers may sit between)."""
    found = iter(numbers(text))
    return all(any(math.isclose(x, e, rel_tol=0, abs_tol=tol) for x in found) for e in expected)


def check_choice(
    q: Question, expected: list[float], tol: float, *, only_correct: bool = True
) -> None:
    """The correct choice states ``expected``; unless told otherwise, no wrong choice does."""
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), (
        f"{q.id}: correct choice {q.correct!r} != {expected}"
    )
    for wrong in q.choices if only_correct else []:
        if wrong != q.correct:
            assert not states(wrong, expected, tol), (
                f"{q.id}: wrong choice {wrong!r} also states {expected}"
            )


def check_answer(q: Question, expected: list[float], tol: float) -> None:
    assert states(q.answer, expected, tol), f"{q.id}: answer does not state {expected}:\n{q.answer}"


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def pass_at_k(n: int, c: int, k: int) -> float:
    """Chen et al. (2021): 1 - C(n-c, k) / C(n, k), computed as a stable product."""
    if n - c < k:
        return 1.0
    return 1.0 - float(np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def test_helpers():
    assert numbers("1,050,624 and 4{,}096 and 0.5 e^{-1}") == [1050624, 4096, 0.5, -1]
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    assert pass_at_k(10, 3, 5) == pytest.approx(1 - math.comb(7, 5) / math.comb(10, 5))


# --- llm-inference -----------------------------------------------------------------------------


def kv_bytes_per_token(layers: int, kv_heads: int, head_dim: int, bytes_per_el: int = 2) -> int:
    return 2 * layers * kv_heads * head_dim * bytes_per_el


def test_attention_score_matrix_memory(bank):
    size = 8192**2 * 32 * 2
    q = bank["llm-inference.attention-matrix-memory"]
    check_choice(q, [size / GiB], 0)
    check_answer(q, [8192, 32, 2, size, 4], 0)


def test_online_softmax_merge_is_exact(bank):
    scores_a, scores_b = np.array([1.0, 2.0]), np.array([3.0])
    m_a, l_a = scores_a.max(), np.exp(scores_a - scores_a.max()).sum()
    m = max(m_a, scores_b.max())
    merged = l_a * math.exp(m_a - m) + np.exp(scores_b - m).sum()
    one_pass = np.exp(np.r_[scores_a, scores_b] - m).sum()
    assert math.isclose(merged, one_pass)
    q = bank["llm-inference.online-softmax-merge"]
    check_choice(q, [m, merged], 5e-3)
    check_answer(q, [l_a, math.exp(-1), merged, l_a + 1], 5e-3)  # l_A + 1: forgetting to rescale


def test_decode_speed_bound_7b(bank):
    seconds = 7e9 * 2 / 3.35e12
    q = bank["llm-inference.decode-speed-bound"]
    check_choice(q, [1 / seconds], 5)
    check_answer(q, [14, 1000 * seconds], 0.05)
    check_answer(q, [1 / seconds], 1)


def test_decode_speed_bound_70b_int4(bank):
    weight_bytes = 70e9 * 0.5
    seconds = weight_bytes / 3.35e12
    check_answer(
        bank["llm-inference.int4-70b-speed"], [weight_bytes / 1e9, 1000 * seconds, 1 / seconds], 0.5
    )


def test_h100_ridge_point(bank):
    ridge = 989e12 / 3.35e12
    check_answer(bank["llm-inference.roofline"], [989, 3.35, ridge], 0.5)
    check_choice(bank["llm-inference.ridge-batch"], [ridge], 10)
    check_answer(bank["llm-inference.ridge-batch"], [ridge], 0.5)


def test_prefill_flops_and_time(bank):
    flops = 2 * 7e9 * 2000
    assert flops == pytest.approx(2.8e13)
    check_answer(bank["llm-inference.prefill-flops"], [2.8, 13, 5, 14, 1000 * flops / 5e14], 0.05)


def test_attention_equals_linear_flops(bank):
    d = 4096
    linear, attention_per_token_of_context = 24 * d * d, 4 * d
    t_equal = linear / attention_per_token_of_context
    assert t_equal == 6 * d
    check_answer(bank["llm-inference.attention-vs-linear-flops"], [t_equal / 1000], 0.05)


def test_kv_cache_llama3_8b(bank):
    per_token = kv_bytes_per_token(32, 8, 128)
    q = bank["llm-inference.kv-cache-gqa-8b"]
    check_choice(q, [per_token / KiB, per_token * 8192 / GiB], 0)
    check_answer(q, [per_token, per_token / KiB, kv_bytes_per_token(32, 32, 128) / KiB], 0)


def test_kv_cache_llama2_70b_batch(bank):
    per_token = kv_bytes_per_token(80, 8, 128)
    tokens = 32 * 4096
    q = bank["llm-inference.kv-cache-70b-batch"]
    check_answer(
        q, [per_token, per_token / KiB, tokens, per_token * tokens, per_token * tokens / GiB], 0
    )
    check_answer(q, [kv_bytes_per_token(80, 64, 128) * tokens / GiB], 0)


def test_concurrent_sequences_in_60_gb(bank):
    per_sequence = kv_bytes_per_token(32, 8, 128) * 4096
    q = bank["llm-inference.max-concurrent-sequences"]
    check_choice(q, [math.floor(60e9 / per_sequence)], 0)
    check_answer(q, [per_sequence / 1e9], 5e-4)
    check_answer(q, [math.floor(60e9 / per_sequence)], 0)


def test_long_context_cache_size(bank):
    size = kv_bytes_per_token(32, 8, 128) * 128 * 1024
    check_answer(bank["llm-inference.long-context-costs"], [size / GiB], 0)


def test_mla_cache_ratio(bank):
    mha, mla = 2 * 128 * 128, 512 + 64
    check_choice(bank["llm-inference.mla-ratio"], [mha, mha / mla], 0.5)
    check_answer(bank["llm-inference.mla"], [mla, mha], 0)


def test_paged_versus_reserved_waste(bank):
    reserved, used, page = 4096, 500, 16
    pages = math.ceil(used / page)
    slots = pages * page
    q = bank["llm-inference.paged-waste"]
    waste_reserved, waste_paged = 100 * (reserved - used) / reserved, 100 * (slots - used) / slots
    check_choice(q, [waste_reserved, waste_paged, slots - used, slots], 0.5)
    check_answer(q, [reserved, used, reserved, waste_reserved, used, page, pages, slots], 0.05)
    check_answer(q, [slots - used, waste_paged], 0.05)


def test_speculative_acceptance_and_residual(bank):
    p, q_draft = np.array([0.5, 0.3, 0.2]), np.array([0.3, 0.5, 0.2])
    accept = np.minimum(p, q_draft).sum()
    excess = np.maximum(p - q_draft, 0)
    # emitted distribution: accepted draft tokens plus resampled ones equals the target
    emitted = q_draft * np.minimum(1, p / q_draft) + (1 - accept) * excess / excess.sum()
    assert np.allclose(emitted, p) and excess.sum() == pytest.approx(1 - accept)
    check_answer(bank["llm-inference.spec-acceptance-prob"], [accept, *excess, emitted[0]], 1e-9)


def test_speculative_expected_tokens_and_speedup(bank):
    alpha, gamma, c = 0.8, 4, 0.05
    tokens = (1 - alpha ** (gamma + 1)) / (1 - alpha)
    # the closed form equals the expectation of (accepted prefix length + 1)
    by_sum = sum(alpha**i for i in range(gamma + 1))
    assert math.isclose(tokens, by_sum)
    q = bank["llm-inference.spec-expected-tokens"]
    check_choice(q, [tokens], 5e-3)
    check_answer(q, [alpha**5, tokens, gamma + 1], 5e-3)
    cost = gamma * c + 1
    check_answer(bank["llm-inference.spec-speedup"], [cost, tokens, tokens / cost], 5e-3 * 2)


def test_fp8_max_values(bank):
    e4m3 = (1 + 6 / 8) * 2 ** (15 - 7)  # exponent field 1111 with mantissa 111 is NaN
    e5m2 = (1 + 3 / 4) * 2 ** (30 - 15)  # exponent 11111 is inf/NaN
    assert e4m3 == torch.finfo(torch.float8_e4m3fn).max
    assert e5m2 == torch.finfo(torch.float8_e5m2).max
    q = bank["llm-inference.fp8-formats"]
    check_choice(q, [e4m3, e5m2], 0)
    check_answer(q, [1.75, 8, e4m3, 1.75, 15, e5m2], 0)


def test_quantised_70b_weights(bank):
    n = 70e9
    bits_grouped = 4 + 16 / 128
    expected = [2 * n / 1e9, n / 1e9, n / 2e9, bits_grouped, n * bits_grouped / 8e9]
    check_answer(bank["llm-inference.quantised-70b-memory"], expected, 0.1)


def test_moe_experts_touched(bank):
    missed = (1 - 8 / 256) ** 64
    check_choice(bank["llm-inference.moe-experts-touched"], [100 * (1 - missed)], 0.5)
    check_answer(bank["llm-inference.moe-experts-touched"], [missed], 5e-3)


def test_rope_wavelengths(bank):
    thetas = 10000.0 ** (-2 * np.arange(64) / 128)
    wavelengths = 2 * np.pi / thetas
    q = bank["llm-inference.rope-wavelengths"]
    assert states(q.correct or "", [wavelengths[0]], 0.05)
    assert states(q.correct or "", [wavelengths[-1]], 500)
    check_answer(q, [wavelengths[-1]], 15)


def test_yarn_attention_factor(bank):
    check_answer(bank["llm-inference.yarn-temperature"], [0.1 * math.log(4) + 1], 5e-4)


# --- post-training -----------------------------------------------------------------------------


def test_bradley_terry_loss(bank):
    q = bank["post-training.bt-loss-value"]
    check_choice(q, [-math.log(sigmoid(0.5))], 5e-4)
    check_answer(q, [-math.log(sigmoid(0.5)), sigmoid(0.5), math.log(2)], 5e-4)


def test_ranking_gives_pairs(bank):
    check_choice(bank["post-training.k-way-comparisons"], [math.comb(9, 2)], 0)


def test_kl_optimal_policy(bank):
    ref, rewards = np.array([0.5, 0.5]), np.array([1.0, 0.0])

    def optimum(beta: float) -> np.ndarray:
        w = ref * np.exp(rewards / beta)
        return w / w.sum()

    # the closed form maximises E[r] - beta * KL: check against a grid search
    beta = 0.5
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    objective = grid * 1.0 - beta * (
        grid * np.log(grid / 0.5) + (1 - grid) * np.log((1 - grid) / 0.5)
    )
    assert abs(grid[objective.argmax()] - optimum(beta)[0]) < 1e-4
    check_answer(
        bank["post-training.optimal-policy-numeric"], [optimum(0.5)[0], optimum(2.0)[0]], 5e-4
    )


def ppo_clip(ratio: float, advantage: float, eps: float = 0.2) -> tuple[float, bool]:
    """The clipped objective and whether its gradient is zero (the clipped branch is active)."""
    unclipped, clipped = ratio * advantage, min(max(ratio, 1 - eps), 1 + eps) * advantage
    return min(unclipped, clipped), clipped < unclipped


def test_ppo_clip_positive_advantage(bank):
    value, no_gradient = ppo_clip(1.5, 1.0)
    assert no_gradient
    q = bank["post-training.ppo-clip"]
    check_choice(q, [value], 1e-9, only_correct=False)
    assert "zero" in (q.correct or "")


def test_ppo_clip_negative_advantage(bank):
    value, no_gradient = ppo_clip(0.5, -1.0)
    assert no_gradient and value == pytest.approx(-0.8)
    _, pushes = ppo_clip(1.5, -1.0)
    assert not pushes
    check_answer(bank["post-training.ppo-clip-negative"], [0.5 * -1.0, 0.5, 0.8, 1.2, value], 1e-9)


def test_k3_kl_estimator(bank):
    ratio = 0.5
    k3 = ratio - math.log(ratio) - 1
    check_answer(bank["post-training.kl-k3"], [ratio, k3], 5e-4)
    # unbiased: the expectation over pi of k3 equals KL(pi || ref)
    pi, ref = np.array([0.6, 0.3, 0.1]), np.array([0.2, 0.5, 0.3])
    expected_k3 = (pi * (ref / pi - np.log(ref / pi) - 1)).sum()
    assert math.isclose(expected_k3, (pi * np.log(pi / ref)).sum())


def test_dpo_losses(bank):
    check_choice(bank["post-training.dpo-initial-loss"], [math.log(2)], 5e-4)
    beta, chosen, rejected = 0.1, 2.0, -1.0
    margin = beta * (chosen - rejected)
    check_answer(
        bank["post-training.dpo-loss-value"],
        [margin, -math.log(sigmoid(margin)), beta * chosen, beta * rejected],
        5e-4,
    )


def test_grpo_advantages(bank):
    r = np.array([1.0, 0, 0, 0])
    population = (r - r.mean()) / r.std()
    sample = (r - r.mean()) / r.std(ddof=1)
    q = bank["post-training.grpo-advantages-numeric"]
    check_choice(q, [population[0], population[1]], 5e-3)
    check_answer(q, [r.mean(), r.std(), population[0], population[1], sample[0], sample[1]], 5e-3)


def test_best_of_n_kl(bank):
    n = 16
    check_choice(bank["post-training.best-of-n-kl"], [math.log(n) - (n - 1) / n], 5e-3)


def test_majority_vote_of_three(bank):
    p = 0.6
    majority = sum(math.comb(3, k) * p**k * (1 - p) ** (3 - k) for k in (2, 3))
    check_answer(bank["post-training.self-consistency"], [p**3, 3 * p**2 * (1 - p), majority], 5e-4)


# --- rag-retrieval -----------------------------------------------------------------------------


def test_chunk_count_with_overlap(bank):
    n, size, overlap = 100_000, 512, 64
    starts = list(range(0, n - size, size - overlap))
    if starts[-1] + size < n:
        starts.append(n - size)  # a last chunk aligned to the end
    q = bank["rag-retrieval.chunk-count"]
    check_choice(q, [len(starts)], 0)
    check_answer(
        q, [size - overlap, len(starts), math.ceil(n / size), 100 * (len(starts) / 196 - 1)], 0.5
    )


def test_distance_from_cosine(bank):
    a = np.array([1.0, 0.0])
    b = np.array([0.8, 0.6])
    check_choice(bank["rag-retrieval.distance-from-cosine"], [float(((a - b) ** 2).sum())], 1e-9)


def test_bm25_term_frequency_saturation(bank):
    k1 = 1.2
    factors = [f * (k1 + 1) / (f + k1) for f in (1, 2, 10)]
    check_choice(bank["rag-retrieval.bm25-saturation"], factors, 5e-4)


def test_bm25_idf(bank):
    def idf(n_docs: int, df: int) -> float:
        return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))

    check_answer(bank["rag-retrieval.bm25-idf"], [idf(1000, 10), idf(1000, 1000)], 5e-4)


def test_reciprocal_rank_fusion(bank):
    a, b = 1 / 61 + 1 / 63, 2 / 62
    assert a > b
    check_choice(bank["rag-retrieval.rrf-numeric"], [a, b], 5e-6)


def test_cross_encoder_flops(bank):
    flops = 2 * 3e8 * 512 * 100
    check_answer(bank["rag-retrieval.cross-encoder-cost"], [flops / 1e13], 0.05)


def test_product_quantisation_memory(bank):
    raw, pq = 10_000_000 * 768 * 4, 10_000_000 * 96
    check_choice(bank["rag-retrieval.pq-memory"], [raw / 1e9, pq / 1e6, raw / pq], 0.05)


def test_ivf_scan_fraction_and_binary_codes(bank):
    check_answer(bank["rag-retrieval.ivf"], [4096, 16, 100 * 16 / 4096], 0.05)
    check_answer(
        bank["rag-retrieval.binary-quantisation"], [1024 * 4, 1024 / 8, 1024 * 4 / (1024 / 8)], 0
    )


def test_mean_reciprocal_rank(bank):
    ranks = [2, 1, 4]

    def mrr(cutoff: int) -> float:
        return sum(1 / r if r <= cutoff else 0 for r in ranks) / len(ranks)

    check_answer(bank["rag-retrieval.mrr"], [mrr(10), mrr(3)], 5e-4)


def test_ndcg_graded(bank):
    got, ideal = dcg([2, 0, 3]), dcg([3, 2, 0])
    binary = dcg([1, 0, 1]) / dcg([1, 1, 0])
    q = bank["rag-retrieval.ndcg"]
    check_choice(q, [got / ideal], 5e-4)
    check_answer(q, [got, ideal, got / ideal, binary], 5e-4)


def test_exact_search_flops(bank):
    check_answer(bank["rag-retrieval.vector-db-choice"], [1e5 * 768 * 2 / 1e8], 0.05)


# --- llm-evaluation ----------------------------------------------------------------------------


def test_pass_at_k_small(bank):
    unbiased = pass_at_k(10, 3, 5)
    plug_in = 1 - (1 - 0.3) ** 5
    # the estimator is unbiased: averaging it over the binomial draw of c gives the true pass@k
    true_p, n, k = 0.3, 10, 5
    mean = sum(
        math.comb(n, c) * true_p**c * (1 - true_p) ** (n - c) * pass_at_k(n, c, k)
        for c in range(n + 1)
    )
    assert math.isclose(mean, 1 - (1 - true_p) ** k)
    q = bank["llm-evaluation.pass-at-k-numeric"]
    check_choice(q, [0.3, unbiased], 5e-4)
    check_answer(q, [math.comb(7, 5), math.comb(10, 5), unbiased, plug_in], 5e-4)


def test_pass_at_k_large(bank):
    value = pass_at_k(200, 2, 100)
    assert math.isclose(value, 1 - math.comb(198, 100) / math.comb(200, 100))
    check_answer(bank["llm-evaluation.pass-at-k-large"], [1 - value, value], 5e-4)


def test_pass_hat_k(bank):
    check_choice(bank["llm-evaluation.pass-hat-k"], [0.8**8], 5e-3)
    check_answer(bank["llm-evaluation.pass-hat-k"], [0.8**8, 1 - 0.2**8], 5e-4)


def test_benchmark_confidence_interval(bank):
    se = math.sqrt(0.7 * 0.3 / 1000)
    small = 1.96 * math.sqrt(0.7 * 0.3 / 198)
    check_answer(bank["llm-evaluation.benchmark-error-bars"], [100 * 1.96 * se, 100 * small], 0.5)
    assert states(bank["llm-evaluation.benchmark-error-bars"].answer, [se], 5e-4)


def test_elo_win_probability(bank):
    def win(diff: float) -> float:
        return 1 / (1 + 10 ** (-diff / 400))

    check_choice(bank["llm-evaluation.elo-win-prob"], [win(100)], 5e-3)
    check_answer(bank["llm-evaluation.elo-win-prob"], [win(100), win(200), win(400)], 5e-3)


def test_cohens_kappa(bank):
    # a 2x2 table with 80% agreement and marginals 50/50 for both raters (chance agreement 0.5)
    table = np.array([[40, 10], [10, 40]]) / 100
    p_o = np.trace(table)
    p_e = (table.sum(0) * table.sum(1)).sum()
    check_answer(bank["llm-evaluation.cohens-kappa"], [(p_o - p_e) / (1 - p_e)], 1e-9)


def test_perplexity_and_bits_per_byte(bank):
    check_choice(bank["llm-evaluation.perplexity-from-loss"], [math.exp(2.0)], 5e-3)
    bits = 2.0 / math.log(2)
    check_answer(bank["llm-evaluation.bits-per-byte"], [bits, bits / 4], 5e-4)


def test_exact_match_compounding(bank):
    check_answer(bank["llm-evaluation.exact-match-power"], [0.9**10, 0.95**10], 5e-4)


# --- pre-training ------------------------------------------------------------------------------


def test_jaccard_and_minhash_collision(bank):
    a, b = {"a", "b", "c", "d"}, {"b", "c", "d", "e"}
    jaccard = len(a & b) / len(a | b)
    rng = np.random.default_rng(0)
    universe = sorted(a | b)
    hits = 0
    for _ in range(20_000):  # a random permutation is an ideal min-hash function
        rank = dict(zip(universe, rng.permutation(len(universe)), strict=True))
        hits += min(a, key=rank.get) == min(b, key=rank.get)
    assert abs(hits / 20_000 - jaccard) < 0.02
    check_choice(bank["pre-training.jaccard-example"], [jaccard, jaccard], 1e-9)


def test_lsh_s_curve(bank):
    def candidate(s: float, b: int = 20, r: int = 5) -> float:
        return 1 - (1 - s**r) ** b

    threshold = (1 / 20) ** (1 / 5)
    check_answer(
        bank["pre-training.minhash-lsh"], [candidate(0.8), candidate(0.5), threshold], 5e-3
    )


def test_bpe_first_merge(bank):
    words = Counter("low low low lower lowest".split())
    pairs: Counter[tuple[str, str]] = Counter()
    for word, freq in words.items():
        for pair in zip(word, word[1:], strict=False):
            pairs[pair] += freq
    top = max(pairs.values())
    assert {p for p, n in pairs.items() if n == top} == {("l", "o"), ("o", "w")}
    assert states(bank["pre-training.bpe-training"].answer, [top, 3], 0)


def test_untied_embedding_parameters(bank):
    one = 128_256 * 4_096
    q = bank["pre-training.embedding-params"]
    check_choice(q, [2 * one / 1e9], 5e-3)
    check_answer(q, [one, 2 * one / 1e9, 100 * 2 * one / 8.03e9], 0.5)


def test_attention_share_of_training_flops(bank):
    layers, d, n = 32, 4096, 6.5e9

    def extra(ctx: int) -> float:
        return 2 * layers * ctx * d / (2 * n)

    q = bank["pre-training.attention-flops-correction"]
    check_choice(q, [100 * extra(4096), 100 * extra(32768)], 0.5)
    check_answer(
        q, [2 * layers * 4096 * d / 1e9, 2 * n / 1e10, 100 * extra(4096), 100 * extra(32768)], 0.1
    )


def test_chinchilla_allocation(bank):
    n = math.sqrt(1e24 / 120)
    q = bank["pre-training.chinchilla-allocation"]
    check_answer(q, [n / 1e10, 10, 20 * n / 1e12, 12], 0.05)
    check_answer(q, [n / 1e9], 0.5)


def test_chinchilla_vs_gopher(bank):
    chinchilla, gopher = 6 * 70e9 * 1.4e12, 6 * 280e9 * 300e9
    check_answer(
        bank["pre-training.chinchilla-vs-gopher"], [chinchilla / 1e23, gopher / 1e23], 0.05
    )

    def loss(n: float, d: float) -> float:
        return 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28

    check_answer(
        bank["pre-training.chinchilla-loss-fit"], [loss(70e9, 1.4e12), loss(280e9, 300e9)], 5e-3
    )


def test_llama3_tokens_per_parameter(bank):
    ratio = 15e12 / 8e9
    check_choice(bank["pre-training.overtraining"], [ratio, ratio / 20], 0.5)


def test_moe_training_compute(bank):
    active, total = 6 * 37e9 * 14.8e12, 6 * 671e9 * 14.8e12
    check_choice(bank["pre-training.moe-compute"], [active / 1e24, 24], 0.05)
    check_answer(
        bank["pre-training.moe-compute"], [active / 1e24, total / 1e25, total / active], 0.2
    )


def test_bf16_swallows_small_updates(bank):
    one = torch.tensor(1.0, dtype=torch.bfloat16)
    assert one + torch.tensor(0.001, dtype=torch.bfloat16) == one
    assert torch.finfo(torch.bfloat16).eps == 2**-7
    check_answer(bank["pre-training.bf16-master-weights"], [2**-7, 1.0, 0.001, 1.0], 1e-9)


def test_gpt2_vocabulary_size(bank):
    q = bank["pre-training.gpt2-vocab-cloze"]
    assert states(q.question, [256 + 50_000 + 1, 256, 50_000], 0)


def test_z_loss_value(bank):
    check_answer(bank["pre-training.z-loss"], [1e-4 * 10**2], 1e-12)


# --- llm-agents-safety -------------------------------------------------------------------------


def test_compounding_agent_errors(bank):
    q = bank["llm-agents-safety.compounding-errors"]
    check_choice(q, [100 * 0.95**20], 0.5)
    check_answer(q, [0.95**20], 5e-4)
    check_answer(q, [100 * 0.99**20], 0.5)


def test_agent_context_growth(bank):
    total = sum(1000 * i for i in range(1, 21))
    check_answer(bank["llm-agents-safety.context-growth-cost"], [sum(range(1, 21)), total], 0)
