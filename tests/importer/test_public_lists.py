"""Other people's question lists (see data/README.md for their sources, licences and hand counts)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mlprep.importer import difficulty
from mlprep.importer.notes import import_note, import_text, is_placeholder
from mlprep.importer.topics import assign, curated_topic, heading_topic

DATA = Path(__file__).parent / "data"


def test_data_science_interviews_theory_matches_the_hand_count():
    note = import_note(DATA / "dsi_theory.md")
    qs = note.questions
    assert len(qs) == 43  # counted by hand
    assert sum(q.unanswered for q in qs) == 11  # "Answer here"
    assert Counter(q.difficulty_name for q in qs) == {"easy": 8, "medium": 32, "hard": 3}
    assert not any(ch in q.question for q in qs for ch in "👶⭐🚀\u200d")
    assert not any("<br" in q.answer for q in qs)
    assert not any("Table of contents" in q.question or "](#" in q.answer for q in qs)
    topics = Counter(q.topic for q in qs)
    assert topics == {"classical-ml": 6 + 9 + 7, "deep-learning": 9, "recommender-systems": 11, "ml-fundamentals": 1}
    forest = next(q for q in qs if q.question == "What is random forest?")
    assert forest.difficulty_name == "easy" and "random-forest" in forest.tags


def test_ml_interview_prep_supervised_matches_the_hand_count():
    qs = import_note(DATA / "kmi_supervised.md").questions
    assert [q.question for q in qs] == [
        "How does logistic regression work? Why not use linear regression for classification?",
        "What is the difference between L1 and L2 regularization in practice?",
        "Explain gradient descent variants",
        "How does a Random Forest handle overfitting compared to a single Decision Tree?",
        "XGBoost vs. Random Forest — when to use which?",
        "Explain the kernel trick in SVMs",
    ]
    assert all(not q.answer.startswith(("**Answer**", "Answer")) for q in qs)
    assert {q.topic for q in qs} == {"classical-ml"}
    assert [t for t in qs[0].tags if t == "linear-models"] == ["linear-models"]


def test_difficulty_markers_and_legends():
    symbols = difficulty.legend("* Legend: 🐢 easy 🐇 medium 🦅 expert\n")
    assert difficulty.take("What is a tree? 🦅", symbols) == ("What is a tree?", 3)
    assert difficulty.take("What is a tree? (easy)", symbols) == ("What is a tree?", 1)
    assert difficulty.take("[Hard] What is a tree?", symbols) == ("What is a tree?", 3)
    assert difficulty.take("What is a tree? (Difficulty: Medium)", symbols) == ("What is a tree?", 2)
    assert difficulty.take("Why is [hard] attention hard?", symbols) == ("Why is [hard] attention hard?", None)
    note = import_text("* Legend: 🐢 easy 🦅 expert\n\n**Why is it so? 🦅**\n\nBecause.\n\n"
                       "**How is it done? 🐢**\n\nLike so.\n", "l.md")
    assert [(q.question, q.difficulty_name) for q in note.questions] == [
        ("Why is it so?", "hard"), ("How is it done?", "easy")]


def test_placeholder_answers_make_the_card_unanswered():
    for text in ("Answer here", "TODO", "TBD.", "*todo*", "Answer here\n\n<br/>"):
        assert is_placeholder(text), text
    assert not is_placeholder("To do this, we split the data.")
    note = import_text("Q: What is MAP@k?\nA: TODO\n\nQ: What is k?\nA: A number.\n", "p.md")
    assert [(q.question, q.unanswered) for q in note.questions] == [("What is MAP@k?", True), ("What is k?", False)]


def test_link_lists_and_contents_are_never_cards():
    note = import_text(
        "# Title\n\nIntro.\n\n## Contents\n\n* [One](#one)\n* [Two](#two)\n\n"
        "## Reading\n\n- [A paper](https://example.com/a)\n- <https://example.com/b>\n\n"
        "## One\n\nQ: What is one?\nA: A number.<br/>\n<br>\n",
        "t.md",
    )
    assert [(q.question, q.answer) for q in note.questions] == [("What is one?", "A number.")]


def test_headings_and_front_matter_topics_map_onto_the_curated_topics():
    for heading, topic in [("Decision trees", "classical-ml"), ("Random forest", "classical-ml"),
                           ("Clustering", "classical-ml"), ("Neural networks", "deep-learning"),
                           ("Neural networks for computer vision", "computer-vision"),
                           ("Behavioral Questions", "behavioral"), ("Write the transformer layer with PyTorch", None)]:
        assert heading_topic(heading) == topic, heading
    assert curated_topic("transformers") == "transformers-llm"
    assert curated_topic("Random Forest") == "classical-ml"
    assert curated_topic("sampling") == "transformers-llm"
    assert curated_topic("gardening") is None
    from mlprep.importer.card import Card

    ((topic, tags),) = assign([Card("What is attention?", "x", 1, "", "qa")], {"topic": "transformers"})
    assert topic == "transformers-llm" and "transformers" in tags
    ((topic, tags),) = assign([Card("What is attention?", "x", 1, "", "qa")], {"topic": "gardening"})
    assert topic == "gardening"
