"""Topic and tag inference, and the overrides."""

from __future__ import annotations

from conftest import REPO

from mlprep.importer.card import Card
from mlprep.importer.topics import CURATED_TOPIC, TOPIC_KEYWORDS, assign, front_matter_tags, slug


def card(question, answer="", heading=""):
    return Card(question, answer, 1, heading, "qa")


def test_keywords_pick_the_topic_question_first_then_heading_then_answer():
    cards = [
        card("What does top-p sampling keep?", "the nucleus"),
        card("Why divide by sqrt(d)?", "so attention scores stay small", heading="Transformers"),
        card("Implement LR with numpy"),
        card("What is your favourite colour?"),
    ]
    (t1, tags1), (t2, tags2), (t3, tags3), (t4, tags4) = assign(cards, {})
    # themes map onto the curated topics; a narrower theme stays as a tag
    assert (t1, t2, t3) == ("transformers-llm", "transformers-llm", "coding")
    assert (tags1, tags2) == (["sampling"], ["transformers"])
    assert tags3 == []  # "coding" is its topic, so not a tag as well
    assert (t4, tags4) == ("transformers-llm", ["sampling"])  # no keyword: the note's most common theme


def test_front_matter_tags_heading_tag_runner_up_topic_and_flags():
    front = {"tags": ["#interview", "nlp"]}
    ((topic, tags),) = assign(
        [card("What is a KV cache?", heading="Inference tricks")], front, tags=["week1"]
    )
    assert topic == "transformers-llm"
    assert tags == ["interview", "nlp", "inference-tricks", "transformers", "inference-deployment", "week1"]


def test_every_theme_lands_on_a_curated_topic():
    curated = {p.stem for p in (REPO / "questions" / "core").glob("*.yaml")}
    assert {CURATED_TOPIC.get(theme, theme) for theme in TOPIC_KEYWORDS} <= curated


def test_topic_flag_and_front_matter_topic_override_inference():
    c = card("What does top-k sampling keep?")
    assert assign([c], {"topic": "decoding"})[0] == ("transformers-llm", ["decoding"])  # mapped, kept as a tag
    assert assign([c], {"topic": "gardening"})[0][0] == "gardening"  # no curated topic means it
    assert assign([c], {"topic": "decoding"}, topic="llm")[0][0] == "llm"


def test_front_matter_tags_forms_and_slug():
    assert front_matter_tags({"tags": "ml, #cnn  vision"}) == ["ml", "cnn", "vision"]
    assert front_matter_tags({"tags": 3}) == []
    assert slug("Machine Learning 🤖 (basics)") == "machine-learning-basics"
