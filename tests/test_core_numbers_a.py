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


def check_choice(q: Question, expected: list[float], tol: float) -> None:
    assert q.kind == "choice", q.id
    assert states(q.correct or "", expected, tol), f"{q.id}: correct choice {q.correct!r} != {expected}"
    for wrong in q.choices:
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
