"""Recompute the numbers stated in the curated banks (recsys, inference, NLP, frameworks, MLOps)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from conftest import REPO

from mlprep.bank.loader import load_questions
from mlprep.bank.schema import Question

CORE = REPO / "questions" / "core"
TOPICS = (
    "recommender-systems",
    "inference-deployment",
    "mlops-testing",
    "nlp-speech",
    "frameworks-api",
    "behavioral",
    "computer-vision",
)


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    return {q.id: q for q in load_questions([CORE / f"{topic}.yaml" for topic in TOPICS])}


def stated(q: Question) -> str:
    """Everything a question tells the learner: answer, correct choice and explanation."""
    return "\n".join(part for part in (q.answer, q.correct, q.explanation) if part)


def mentions(text: str, expected: str) -> bool:
    """``expected`` occurs in ``text`` as a whole number: "0.4" is not found inside "0.45" or "10.4"."""
    return re.search(rf"(?<![\d.]){re.escape(expected)}(?!\.?\d)", text) is not None


def check(bank: dict[str, Question], qid: str, expected: str) -> None:
    """The question states ``expected``; a choice question has it as its correct choice."""
    q = bank[qid]
    if q.kind == "choice":
        assert mentions(q.correct, expected), (
            f"{qid}: correct choice {q.correct!r}, computed {expected!r}"
        )
    assert mentions(stated(q), expected), (
        f"{qid}: the bank does not state the computed {expected!r}"
    )


def test_mentions_matches_whole_numbers_only():
    assert mentions("J = 0.4.", "0.4") and mentions("(6, 3)", "(6, 3)")
    assert not mentions("0.45", "0.4") and not mentions("10.4", "0.4") and not mentions("160", "16")


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


# --- recommender systems -------------------------------------------------------------------------


def test_jaccard(bank):
    a, b = {1, 2, 3, 4}, {2, 3, 5}
    check(bank, "recommender-systems.jaccard-example", f"{len(a & b) / len(a | b):.1f}")


def test_cosine(bank):
    a, b = np.array([5, 3, 0]), np.array([4, 0, 2])
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    check(bank, "recommender-systems.cosine-example", f"{cos:.3f}")


def test_pearson(bank):
    r = np.corrcoef([5, 4, 1], [4, 5, 2])[0, 1]
    check(bank, "recommender-systems.pearson-example", f"{r:.3f}")


def test_mf_param_count(bank):
    users, items, dim = 1_000_000, 100_000, 64
    n = (users + items) * dim + users + items + 1
    check(bank, "recommender-systems.mf-param-count", f"{n:,}")


def test_precision_recall_at_k(bank):
    top5 = [1, 0, 1, 0, 0]
    precision, recall = sum(top5) / 5, sum(top5) / 4
    check(bank, "recommender-systems.precision-recall-at-k", f"P@5 = {precision}, R@5 = {recall}")


def test_ndcg_binary(bank):
    ndcg = dcg([1, 0, 1, 0, 0]) / dcg([1, 1, 0, 0, 0])
    check(bank, "recommender-systems.ndcg-binary-example", f"{ndcg:.3f}")


def test_ndcg_graded(bank):
    rel = [3, 2, 3, 0, 1]
    ndcg = dcg([2**r - 1 for r in rel]) / dcg([2**r - 1 for r in sorted(rel, reverse=True)])
    check(bank, "recommender-systems.ndcg-graded-example", f"{ndcg:.3f}")


def test_mrr(bank):
    first_hit = [1, 3, None]
    mrr = sum(1 / r if r else 0.0 for r in first_hit) / len(first_hit)
    check(bank, "recommender-systems.mrr-example", f"{mrr:.3f}")


def test_average_precision(bank):
    rel = [1, 0, 1, 1, 0]
    hits = [sum(rel[: i + 1]) / (i + 1) for i, r in enumerate(rel) if r]
    check(bank, "recommender-systems.average-precision-example", f"{sum(hits) / 3:.3f}")


def test_density(bank):
    density = 50e6 / (1e6 * 1e5)
    check(bank, "recommender-systems.sparsity", f"{density * 100:.2f}%")


def test_implicit_confidence(bank):
    alpha = 40
    check(bank, "recommender-systems.implicit-confidence", f"{1 + alpha * 3} and {1 + alpha * 0}")


def test_association_rule(bank):
    n, bread, butter, both = 1000, 100, 200, 50
    support, confidence = both / n, both / bread
    lift = confidence / (butter / n)
    expected = f"support {support:g}, confidence {confidence:g}, lift {lift:g}"
    check(bank, "recommender-systems.association-rules", expected)


# --- inference and deployment --------------------------------------------------------------------


def test_batching_throughput(bank):
    single, batched = 1 / 0.005, 32 / 0.080
    check(bank, "inference-deployment.latency-vs-throughput", f"{batched:.0f} requests/s")
    check(bank, "inference-deployment.latency-vs-throughput", f"{single:.0f} requests/s")


def test_littles_law(bank):
    check(bank, "inference-deployment.littles-law", f"{200 * 0.050:.0f}")


def test_affine_quantisation_matches_torch(bank):
    import torch
    from torch.ao.quantization.observer import MinMaxObserver

    observer = MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine)
    observer(torch.tensor([-1.0, 3.0]))
    scale, zero_point = (float(t) for t in observer.calculate_qparams())
    restored = float(
        torch.fake_quantize_per_tensor_affine(torch.tensor([1.5]), scale, int(zero_point), 0, 255)
    )
    text = stated(bank["inference-deployment.affine-quantisation"])
    assert f"{scale:.5f}" in text and f"= {zero_point:.0f}$" in text
    assert f"= {round(restored / scale + zero_point)}$" in text
    assert f"{restored:.3f}" in text


def test_weight_memory(bank):
    fp16, int8 = 13e9 * 2 / 1e9, 13e9 * 1 / 1e9
    fits = "fits" if int8 <= 24 else "does not fit"
    assert fp16 > 24
    check(
        bank,
        "inference-deployment.fits-on-gpu",
        f"fp16 {fp16:.0f} GB does not fit; int8 {int8:.0f} GB {fits}",
    )
    check(bank, "inference-deployment.float64-to-float16", f"**{64 * 2 / 8:.0f} GB**")
    check(bank, "inference-deployment.int8-size-ratio", f"{4 // 1}×")


def test_population_stability_index(bank):
    expected, actual = np.array([0.5, 0.5]), np.array([0.7, 0.3])
    psi = float(np.sum((actual - expected) * np.log(actual / expected)))
    check(bank, "inference-deployment.psi-example", f"{psi:.3f}")


def test_amdahl(bank):
    check(bank, "inference-deployment.amdahl", f"{1 / (0.2 + 0.8 / 8):.2f}×")


# --- MLOps and testing ---------------------------------------------------------------------------


def test_raises_block_stops_at_first_exception(bank):
    calls = []

    def is_crisp(fruit):
        calls.append(fruit)
        raise ValueError(fruit)

    with pytest.raises(ValueError):
        is_crisp(fruit=None)
        is_crisp(fruit="pear")
    assert calls == [None]
    assert "second call never runs" in bank["mlops-testing.pytest-raises-bug"].correct


def test_float_sum(bank):
    assert repr(0.1 + 0.2) in bank["mlops-testing.approx"].answer


def test_fairness_ratios(bank):
    rate_a, rate_b = 40 / 100, 20 / 100
    verdict = "fails" if rate_b / rate_a < 0.8 else "passes"
    expected = f"difference {rate_a - rate_b:.2f}, ratio {rate_b / rate_a:g}: {verdict} the four-fifths rule"
    check(bank, "mlops-testing.fairness-metrics", expected)


# --- NLP and speech ------------------------------------------------------------------------------


def test_word2vec_params(bank):
    check(bank, "nlp-speech.word2vec-params", f"{2 * 10_000 * 300:,}")


def test_bert_mask_probability(bank):
    check(bank, "nlp-speech.bert-mask-probability", f"{0.15 * 0.8:.0%}")


def test_clip_loss_matches_torch(bank):
    import torch
    import torch.nn.functional as F

    logits = torch.tensor([[2.0, 0.0], [0.0, 2.0]])
    labels = torch.arange(2)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    check(bank, "nlp-speech.clip-loss-example", f"{float(loss):.3f}")


def test_wav2vec2_feature_encoder_frames(bank):
    import torch

    kernels, strides = (10, 3, 3, 3, 3, 2, 2), (5, 2, 2, 2, 2, 2, 2)
    encoder = torch.nn.Sequential(
        *(torch.nn.Conv1d(1, 1, k, s) for k, s in zip(kernels, strides, strict=True))
    )
    with torch.no_grad():
        frames = encoder(torch.zeros(1, 1, 16_000)).shape[-1]
    receptive = 1 + sum((k - 1) * math.prod(strides[:i]) for i, k in enumerate(kernels))
    text = bank["nlp-speech.wav2vec2-frames"].answer
    assert f"**{frames}** frames" in text
    assert f"= {receptive}$ samples = **{receptive / 16:.0f} ms**" in text
    assert f"= {math.prod(strides)}$ samples ({math.prod(strides) / 16:.0f} ms)" in text


def word_edits(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance over words."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def test_word_error_rate(bank):
    ref, hyp = "the cat sat on the mat".split(), "the cat sit on mat".split()
    check(bank, "nlp-speech.wer", f"{word_edits(ref, hyp) / len(ref):.3f}")


def test_brevity_penalty(bank):
    check(bank, "nlp-speech.brevity-penalty", f"{math.exp(1 - 10 / 8):.3f}")


def test_perplexity(bank):
    probs = np.array([0.5, 0.25, 0.125])
    check(bank, "nlp-speech.perplexity-from-probs", f"{math.exp(-np.log(probs).mean()):.1f}")
    check(bank, "nlp-speech.perplexity-uniform", f"{math.exp(math.log(50_000)):.0f}")


def test_tf_idf(bank):
    check(bank, "nlp-speech.tf-idf", f"{3 / 100 * math.log10(1000 / 10):.2f}")


# --- frameworks and APIs -------------------------------------------------------------------------


def as_list(t) -> str:
    return str([int(v) for v in t.tolist()])


def test_torch_sum_over_dims(bank):
    import torch

    a = torch.tril(torch.ones(3, 3))
    expected = f"sum(a, 0) = {as_list(torch.sum(a, 0))} and sum(a, 1) = {as_list(torch.sum(a, 1))}"
    check(bank, "frameworks-api.torch-sum-dims", expected)
    assert torch.sum(a, 0, keepdim=True).shape == (1, 3)
    assert "`(1, 3)` and `(3, 1)`" in bank["frameworks-api.torch-sum-dims"].answer


def test_einsum_shape(bank):
    import torch

    out = torch.einsum("bhqd,bhkd->bhqk", torch.zeros(2, 8, 10, 64), torch.zeros(2, 8, 12, 64))
    check(bank, "frameworks-api.einsum-shape", str(tuple(out.shape)))


def test_broadcast_shapes(bank):
    check(bank, "frameworks-api.broadcast-shape", str(np.broadcast_shapes((8, 1, 6, 1), (7, 1, 5))))
    check(bank, "frameworks-api.numpy-broadcasting", str((np.ones((3, 1)) + np.arange(4)).shape))
    check(bank, "frameworks-api.numpy-axis", f"shape {np.zeros((100, 5)).mean(axis=0).shape}")


def test_linear_layer_shape(bank):
    import torch

    layer = torch.nn.Linear(20, 30)
    n = sum(p.numel() for p in layer.parameters())
    check(bank, "frameworks-api.linear-shape", f"{tuple(layer.weight.shape)} and {n} parameters")


def test_linear_weight_recovery_recipe(bank):
    import torch

    n = 7
    layer = torch.nn.Linear(n, 30)
    with torch.no_grad():
        b = layer(torch.zeros(1, n))
        w = (layer(torch.eye(n)) - b).T
    assert torch.allclose(w, layer.weight, atol=1e-6)
    assert torch.allclose(b[0], layer.bias, atol=1e-6)
    answer = bank["frameworks-api.linear-weights-hack"].answer
    assert "b = layer(torch.zeros(1, n))" in answer and "W = (layer(torch.eye(n)) - b).T" in answer


def test_leaf_gradient(bank):
    import torch

    w = torch.ones(3, requires_grad=True)
    (w * 2).sum().backward()
    check(bank, "frameworks-api.leaf-grad", f"grad {as_list(w.grad)}")


def test_gather_picks_target_log_probs(bank):
    import torch

    q = bank["frameworks-api.gather"]
    logp = torch.randn(4, 7).log_softmax(-1)
    y = torch.tensor([0, 6, 2, 2])
    expected = logp[torch.arange(4), y]

    def right(expression: str) -> bool:
        try:
            out = eval(expression, {"torch": torch, "logp": logp, "y": y})
        except (RuntimeError, IndexError):
            return False
        return out.shape == expected.shape and torch.equal(out, expected)

    assert [c for c in q.choices if right(c)] == [q.correct]


def test_expand_is_a_view_and_repeat_copies(bank):
    import torch

    x = torch.arange(3.0).reshape(1, 3)
    expanded, repeated = x.expand(4, 3), x.repeat(4, 1)
    assert expanded.stride(0) == 0 and expanded.data_ptr() == x.data_ptr()
    assert repeated.data_ptr() != x.data_ptr()
    assert bank["frameworks-api.expand-vs-repeat"].correct.startswith(
        "expand makes a stride-0 view"
    )


def test_stack_vs_cat(bank):
    import torch

    ts = [torch.zeros(2, 3)] * 3
    cat, stack = torch.cat(ts, dim=0).shape, torch.stack(ts, dim=0).shape
    check(bank, "frameworks-api.stack-vs-cat", f"cat {tuple(cat)}, stack {tuple(stack)}")


def test_argsort(bank):
    check(bank, "frameworks-api.argsort-example", as_list(np.argsort(np.array([30, 10, 20]))))


def test_only_the_correct_indexing_is_a_view(bank):
    q = bank["frameworks-api.views-vs-copies"]
    a = np.arange(20)
    shares = {c: np.shares_memory(a, eval(c, {"np": np, "a": a})) for c in q.choices}
    assert shares == {c: c == q.correct for c in q.choices}


# --- project deep dives (GIoU now in computer-vision) ------------------------------------------------------------


def test_giou_of_disjoint_segments(bank):
    (a0, a1), (b0, b1) = (0, 2), (3, 5)
    inter = max(0, min(a1, b1) - max(a0, b0))
    union = (a1 - a0) + (b1 - b0) - inter
    hull = max(a1, b1) - min(a0, b0)
    check(bank, "computer-vision.giou-segments", f"{inter / union - (hull - union) / hull:.1f}")
