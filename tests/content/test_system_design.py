"""The ML system-design cases (questions/core/ml-system-design.yaml): size, shape and a copy-paste guard."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from conftest import REPO
from rapidfuzz import fuzz

from mlprep.bank.loader import load_questions, validate
from mlprep.bank.schema import CASE_PARTS

BANK = REPO / "questions" / "core" / "ml-system-design.yaml"


@pytest.fixture(scope="module")
def cases():
    return [q for q in load_questions([BANK]) if q.kind == "case"]


def test_bank_validates_and_holds_only_cases():
    questions, problems = validate([BANK])
    assert not problems, "\n".join(map(str, problems[:20]))
    assert questions and all(q.kind == "case" and q.topic == "ml-system-design" for q in questions)


def test_enough_cases_with_unique_ids(cases):
    assert len(cases) >= 52
    ids = Counter(q.id for q in cases)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    assert all(q.id.startswith("ml-system-design.") for q in cases)


def test_parts_are_a_subsequence_of_the_canonical_order(cases):
    bad = []
    for q in cases:
        names = [p.part for p in q.parts]
        positions = [CASE_PARTS.index(n) if n in CASE_PARTS else -1 for n in names]
        if len(names) < 5 or -1 in positions or positions != sorted(set(positions)):
            bad.append(f"{q.id}: {names}")
    assert not bad, "parts must be >= 5 canonical names, in order, no repeats:\n" + "\n".join(bad)


def test_part_answers_are_present_and_short(cases):
    empty = [q.id for q in cases for p in q.parts if not p.answer.strip()]
    assert not empty, f"empty part answers: {empty}"
    long = [f"{q.id} / {p.part} ({len(p.answer.split())} words)" for q in cases for p in q.parts
            if len(p.answer.split()) > 120]
    assert not long, "part answers over 120 words:\n" + "\n".join(long)


def test_difficulty_spread(cases):
    spread = Counter(q.difficulty_name for q in cases)
    for level in ("easy", "medium", "hard"):
        assert spread[level] >= 0.12 * len(cases), spread


def test_no_copy_pasted_part_answers(cases):
    by_part = defaultdict(list)
    for q in cases:
        for p in q.parts:
            by_part[p.part].append((q.id, " ".join(p.answer.lower().split())))
    close = []
    for part, answers in by_part.items():
        for i in range(len(answers)):
            for j in range(i + 1, len(answers)):
                score = fuzz.ratio(answers[i][1], answers[j][1])
                if score >= 85:
                    close.append(f"{part}: {answers[i][0]} ~ {answers[j][0]} ({score:.0f})")
    assert not close, "near-identical part answers across cases:\n" + "\n".join(close)


def test_questions_are_distinct(cases):
    texts = [" ".join(q.question.lower().split()) for q in cases]
    close = [(cases[i].id, cases[j].id) for i in range(len(texts)) for j in range(i + 1, len(texts))
             if fuzz.ratio(texts[i], texts[j]) >= 85]
    assert not close, f"near-identical case questions: {close}"
