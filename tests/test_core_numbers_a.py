"""Numbers stated in the curated banks (ml-fundamentals, classical-ml, probability-statistics,
optimization, deep-learning) recomputed from scratch.

Each test computes the value with numpy/torch/math and checks it against the number written in
the question's answer or correct choice. For choice questions it also checks that no wrong choice
states the same values, so a swapped `correct` fails too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from mlprep.bank import load_questions
from mlprep.schema import Question

CORE = Path(__file__).resolve().parent.parent / "questions" / "core"
NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?")


@pytest.fixture(scope="module")
def bank() -> dict[str, Question]:
    return {q.id: q for q in load_questions([CORE])}


def numbers(text: str) -> list[float]:
    """Every number written in ``text``, in order (thousands separators allowed)."""
    return [float(m.group().replace(",", "")) for m in NUMBER_RE.finditer(text)]


def states(text: str, expected: list[float], tol: float) -> bool:
    """Whether ``text`` states the ``expected`` values in order (other numbers may sit between)."""
    found = iter(numbers(text))
    return all(any(math.isclose(x, e, rel_tol=0, abs_tol=tol) for x in found) for e in expected)


def check_choice(q: Question, expected: list[float], tol: float, *, only_correct: bool = True) -> None:
    """The correct choice states ``expected``; unless told otherwise, no wrong choice does."""
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), f"{q.id}: correct choice {q.correct!r} != {expected}"
    for wrong in q.choices if only_correct else []:
        if wrong != q.correct:
            assert not states(wrong, expected, tol), f"{q.id}: wrong choice {wrong!r} also states {expected}"


def check_answer(q: Question, expected: list[float], tol: float) -> None:
    assert states(q.answer, expected, tol), f"{q.id}: answer does not state {expected}:\n{q.answer}"


# --- ml-fundamentals ---------------------------------------------------------------------------


def test_confusion_matrix_precision_recall_f1(bank):
    tp, fp, fn, tn = 40, 10, 20, 930
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    q = bank["ml-fundamentals.confusion-matrix-f1"]
    assert str(tp) in q.question and str(tn) in q.question
    check_choice(q, [precision, recall, f1], 5e-4)
    check_answer(q, [(tp + tn) / (tp + fp + fn + tn)], 5e-3)


def test_auc_by_pair_counting_matches_trapezoid(bank):
    pos, neg = np.array([0.9, 0.6, 0.4]), np.array([0.7, 0.3, 0.2, 0.1])
    pairs = (pos[:, None] > neg[None, :]).mean()
    scores = np.concatenate([pos, neg])
    labels = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    order = np.argsort(-scores)
    tpr = np.r_[0, np.cumsum(labels[order]) / len(pos)]
    fpr = np.r_[0, np.cumsum(1 - labels[order]) / len(neg)]
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert math.isclose(pairs, area)
    check_choice(bank["ml-fundamentals.auc-by-hand"], [area], 5e-4)


def test_log_loss_values(bank):
    check_choice(bank["ml-fundamentals.log-loss-value"], [-math.log(0.8)], 5e-4)
    check_answer(bank["ml-fundamentals.log-loss-value"], [-math.log10(0.8), -math.log(0.2)], 5e-4)
    check_answer(bank["ml-fundamentals.log-loss-baseline"], [math.log(2)], 5e-4)


def test_cost_sensitive_threshold(bank):
    c_fp, c_fn = 1, 9
    p = np.linspace(0, 1, 100_001)
    cost_if_positive, cost_if_negative = (1 - p) * c_fp, p * c_fn
    threshold = p[np.argmax(cost_if_positive < cost_if_negative)]
    check_choice(bank["ml-fundamentals.threshold-moving"], [threshold], 1e-4)


def test_accuracy_of_majority_predictor(bank):
    y = np.r_[np.zeros(990), np.ones(10)]
    pred = np.zeros_like(y)
    accuracy, recall = (pred == y).mean(), (pred[y == 1] == 1).mean()
    check_choice(bank["ml-fundamentals.accuracy-paradox"], [100 * accuracy, 100 * recall], 1e-9)


# --- classical-ml ------------------------------------------------------------------------------


def test_least_squares_line(bank):
    x, y = np.array([1.0, 2, 3, 4]), np.array([2.0, 4, 5, 8])
    a, b = np.polyfit(x, y, 1)
    check_choice(bank["classical-ml.fit-line-by-hand"], [a, b], 1e-9)


def test_logistic_odds_ratio(bank):
    q = bank["classical-ml.logistic-odds-ratio"]
    (coef,) = numbers(q.question.split("coefficient")[1])[:1]
    assert "odds" in (q.correct or "")  # a wrong choice applies the same factor to the probability
    check_choice(q, [math.exp(coef)], 5e-3, only_correct=False)


def test_naive_bayes_posterior(bank):
    prior, p_word_spam, p_word_ham = 0.4, 0.5, 0.1
    posterior = prior * p_word_spam / (prior * p_word_spam + (1 - prior) * p_word_ham)
    check_choice(bank["classical-ml.naive-bayes-by-hand"], [posterior], 5e-4)


def entropy_bits(counts: list[int]) -> float:
    p = np.array(counts, dtype=float) / sum(counts)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def test_gini_and_entropy_of_a_node(bank):
    p = np.array([30, 70]) / 100
    q = bank["classical-ml.gini-by-hand"]
    check_choice(q, [1 - (p**2).sum()], 5e-3)
    check_answer(q, [entropy_bits([30, 70])], 5e-3)


def test_information_gain(bank):
    left, right = [40, 10], [10, 40]
    children = sum(sum(c) / 100 * entropy_bits(c) for c in (left, right))
    q = bank["classical-ml.information-gain-by-hand"]
    check_choice(q, [entropy_bits([50, 50]) - children], 5e-4)
    check_answer(q, [entropy_bits(left)], 5e-4)


def test_out_of_bag_fraction(bank):
    rng = np.random.default_rng(0)
    n = 20_000
    unseen = 1 - len(np.unique(rng.integers(0, n, n))) / n
    assert math.isclose(unseen, 1 / math.e, abs_tol=0.01)
    check_choice(bank["classical-ml.oob-fraction"], [100 / math.e], 0.05)


def test_gmm_parameter_count_matches_sklearn_bic(bank):
    from sklearn.mixture import GaussianMixture

    X = np.random.default_rng(0).normal(size=(300, 2))
    gm = GaussianMixture(n_components=3, covariance_type="full", random_state=0).fit(X)
    n = len(X)
    n_params = (gm.bic(X) + 2 * n * gm.score(X)) / math.log(n)
    check_choice(bank["classical-ml.gmm-parameter-count"], [round(n_params)], 1e-9)


def test_pca_explained_variance(bank):
    eigenvalues = np.array([4, 2, 1, 0.5, 0.5])
    rng = np.random.default_rng(0)
    n = 500
    noise = rng.normal(size=(n, 5))
    basis, _ = np.linalg.qr(noise - noise.mean(0))  # centred, orthonormal columns
    rotation, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    X = basis * np.sqrt((n - 1) * eigenvalues) @ rotation.T
    ratio = np.sort(np.linalg.eigvalsh(np.cov(X.T)))[::-1] / np.trace(np.cov(X.T))
    check_choice(bank["classical-ml.pca-explained-variance"], [100 * ratio[:2].sum()], 0.5)
