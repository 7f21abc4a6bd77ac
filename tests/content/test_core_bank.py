"""The curated bank (questions/core): size, coverage, quality minimums, and note coverage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO
from rapidfuzz import fuzz, process

from mlprep.bank.loader import load_questions, validate
from mlprep.bank.schema import normalise_text

CORE = REPO / "questions" / "core"
NOTES = REPO / "questions" / "notes"


@pytest.fixture(scope="module")
def core():
    return load_questions([CORE])


def test_core_bank_validates():
    questions, problems = validate([CORE])
    assert not problems, "\n".join(map(str, problems[:20]))
    assert questions


def test_size_topics_and_answers(core):
    assert len(core) >= 600
    per_topic = Counter(q.topic for q in core)
    assert len(per_topic) >= 14, per_topic
    thin = {t: n for t, n in per_topic.items() if n < 30}
    assert not thin, f"topics with fewer than 30 questions: {thin}"
    assert all(q.answer.strip() and not q.unanswered for q in core)
    files = {Path(q.bank).name for q in core}
    assert files == set(per_topic), "one file per topic, named after it"


def test_choice_share_keywords_and_difficulty_spread(core):
    choice = [q for q in core if q.kind == "choice"]
    assert len(choice) >= 150
    for q in choice:
        assert len(q.choices) >= 3, f"{q.id}: a choice question needs plausible wrong choices"
    missing = [q.id for q in core if q.kind == "open" and len(q.keywords) < 2]
    assert not missing, f"open questions without keywords: {missing[:10]}"
    spread = Counter(q.difficulty_name for q in core)
    for level in ("easy", "medium", "hard"):
        assert spread[level] >= 0.12 * len(core), spread


def test_choice_answers_are_not_given_away_by_length(core):
    """Picking the longest option must not be a winning strategy (the quiz shuffles positions)."""
    choice = [q for q in core if q.kind == "choice"]
    telling = []
    for q in choice:
        longest_wrong = max(len(c) for c in q.choices if c != q.correct)
        if len(q.correct) > 1.2 * longest_wrong:
            telling.append(f"{q.id} ({len(q.correct)} vs {longest_wrong} chars)")
    assert not telling, f"correct choice far longer than every wrong one: {telling[:10]}"
    longest = [q for q in choice if len(q.correct) >= max(len(c) for c in q.choices)]
    assert len(longest) <= 0.35 * len(choice), f"the correct choice is the longest in {len(longest)} of {len(choice)}"


def test_answers_are_flashcard_sized(core):
    long = [q.id for q in core if q.kind != "case" and len(q.answer.split()) > 170]  # a case: per part, see test_system_design
    assert not long, f"answers longer than a minute's read (move detail to `explanation`): {long}"


def test_no_duplicate_or_near_duplicate_questions(core):
    texts = [normalise_text(q.question) for q in core]
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=92, workers=1)
    pairs = [
        (core[i].id, core[j].id)
        for i in range(len(core))
        for j in range(i + 1, len(core))
        if scores[i][j] >= 92
    ]
    assert not pairs, f"near-duplicate questions: {pairs[:10]}"


def test_every_imported_note_question_has_a_curated_counterpart(core):
    if not NOTES.is_dir() or not any(NOTES.glob("*.yaml")):
        pytest.skip("no imported note banks in questions/notes")
    imported = load_questions([NOTES])
    linked = {sid for q in core for sid in q.see_also}
    unlinked = [f"{q.id} {q.question[:70]!r}" for q in imported if q.id not in linked]
    assert not unlinked, "imported questions with no curated counterpart:\n" + "\n".join(unlinked)
    core_ids = {q.id for q in core}
    imported_ids = {q.id for q in imported}
    dangling = sorted(linked - imported_ids - core_ids)
    assert not dangling, f"see_also ids that do not exist: {dangling[:10]}"


def test_every_open_question_has_a_rubric(core):
    """Typed answers are judged by claims: every open curated question says which (issue 18)."""
    missing = [q.id for q in core if q.kind == "open" and q.rubric is None]
    assert not missing, f"open questions without a rubric: {missing[:10]} ({len(missing)} in all)"
    assert all(q.rubric is None for q in core if q.kind != "open")


# Issue 21's minimums: the 2026 interview's topics, and the system-design cases.
TOPIC_MINIMUMS = {
    "rag-retrieval": 50, "llm-evaluation": 40, "post-training": 50, "llm-agents-safety": 40, "llm-inference": 60,
    "pre-training": 40, "reinforcement-learning": 50, "generative-models": 40, "graph-neural-networks": 25,
    "vision-language": 25, "experimentation": 40, "probability-puzzles": 40, "privacy-fairness": 25, "sql-data": 30,
    "ml-system-design": 50,
}


def test_the_2026_topics_meet_their_minimums(core):
    per_topic = Counter(q.topic for q in core)
    short = {t: (per_topic[t], n) for t, n in TOPIC_MINIMUMS.items() if per_topic[t] < n}
    assert not short, f"topics under their minimum (have, need): {short}"
    cases = [q for q in core if q.kind == "case"]
    assert len(cases) >= 50 and all(q.topic == "ml-system-design" for q in cases)
