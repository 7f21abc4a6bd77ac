"""An answer ends where any other card syntax begins; `--check` flags lines absorbed anyway."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlprep.importer.extract import extract
from mlprep.importer.markdown import scan

DATA = Path(__file__).parent / "data"


def cards(text: str):
    return extract(scan(text)).cards


def test_the_mixed_syntax_note_gives_its_twelve_cards():
    text = (DATA / "mixed_syntax.md").read_text(encoding="utf-8")
    assert 45 <= len(text.splitlines()) <= 55
    found = [(c.line, c.question, c.answer) for c in cards(text)]
    assert [(line, q) for line, q, _ in found] == [
        (3, "What does batch normalisation normalise?"),
        (7, "Dropout rate"),
        (8, "Bias term"),
        (8, "the constant added before the activation"),
        (9, "Which optimiser keeps two moment estimates?"),
        (13, "Why warm up the learning rate?"),
        (19, "What does a ReLU output for negative inputs?"),
        (20, "What is a logit?"),
        (21, "What is label smoothing?"),
        (24, "What does weight tying share?"),
        (27, "The softmax of a vector is invariant to {{c1::adding a constant}} to every entry."),
        (35, "What does L2 regularisation add to the loss?"),
    ]
    answers = {q: a for _, q, a in found}
    assert answers["What does batch normalisation normalise?"] == (
        "Each feature over the mini-batch, then it\napplies a learned scale and shift.\n"
        "Layer norm normalises over the features instead."
    )
    assert answers["Which optimiser keeps two moment estimates?"] == (
        "Adam: the mean and the uncentred variance of the gradients."
    )
    assert answers["Why warm up the learning rate?"].endswith("so small steps avoid divergence.")
    assert answers["What does weight tying share?"] == "The input embedding matrix and the output projection."


def test_the_mixed_syntax_note_through_the_cli(cli):
    r = cli("import", "--check", DATA / "mixed_syntax.md", "--json")
    assert r.exit_code == 0, r.output
    (note,) = json.loads(r.stdout)["notes"]
    assert len(note["cards"]) == 12


QA = "Q: What is the answer?\nA: Forty-two.\n"


@pytest.mark.parametrize(
    "follow, question",
    [
        ("Capital of France::Paris\n", "Capital of France"),
        ("Q1::A1\n", "Q1"),
        ("Left side:::right side\n", "Left side"),
        ("Which side?\n?\nThe left one.\n", "Which side?"),
        ("Which sides?\n??\nBoth.\n", "Which sides?"),
        ("Q: A second question?\nA: Yes.\n", "A second question?"),
        ("| Question | Answer |\n|---|---|\n| In a table? | Yes. |\n", "In a table?"),
        ("<details><summary>Hidden?</summary>Yes.</details>\n", "Hidden?"),
        ("> [!question] In a callout?\n> Yes.\n", "In a callout?"),
        ("\nA ==cloze== paragraph.\n", "A {{c1::cloze}} paragraph."),
        ("<!--SR:!2024-01-01,3,250-->\nWhat the schedule ends?\n?\nThe card above.\n", "What the schedule ends?"),
        ("# A heading\n\nSome text.\n", "Explain: A heading"),
    ],
)
def test_an_answer_ends_where_other_card_syntax_begins(follow, question):
    found = cards(QA + follow)
    assert found[0].question == "What is the answer?" and found[0].answer == "Forty-two."
    assert question in [c.question for c in found[1:]]


def test_a_deeper_heading_stays_in_the_answer_and_a_note_callout_too():
    (card,) = cards("## Part\n\nQ: Why?\nA: Because.\n### Details\nMore.\n> [!note] Aside\n> Still the answer.\n")
    assert card.answer == "Because.\n### Details\nMore.\n*Aside*\nStill the answer."


def test_back_to_back_question_mark_cards_in_one_paragraph_stay_apart():
    found = cards("Front one\n?\nBack one\nFront two\n?\nBack two\n")
    assert [(c.question, c.answer) for c in found] == [("Front one", "Back one"), ("Front two", "Back two")]


def test_check_lists_lines_absorbed_into_an_answer_that_look_like_card_syntax(cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text("Q: What does Adam keep?\nA: Two ==moments== per parameter,\nnot `a::b` code.\n", encoding="utf-8")
    r = cli("import", "--check", note, "--json")
    (doc,) = json.loads(r.stdout)["notes"]
    assert [w["line"] for w in doc["skipped"]] == [2]
    assert "looks like card syntax" in doc["skipped"][0]["message"]
    r = cli("import", "--check", note)
    assert "looks like card syntax" in r.output


def test_check_flags_an_answer_over_1500_characters(cli, tmp_path):
    note = tmp_path / "long.md"
    long_answer = "A long answer sentence that goes on. " * 45  # about 1,665 characters
    note.write_text(f"Q: What is short?\nA: Short.\n\nQ: What is long?\nA: {long_answer}\n", encoding="utf-8")
    r = cli("import", "--check", note, "--json")
    (doc,) = json.loads(r.stdout)["notes"]
    flagged = [w for w in doc["skipped"] if "long answer" in w["message"]]
    assert [w["line"] for w in flagged] == [4] and "1,6" in flagged[0]["message"]
    r = cli("import", "--check", note)
    assert "long answer" in r.output and "over 1,500" in r.output


def test_the_users_notes_long_answers_are_flagged(cli, notes_dir):
    r = cli("import", "--check", *sorted(notes_dir.glob("*.txt")), "--json")
    flagged = [w for n in json.loads(r.stdout)["notes"] for w in n["skipped"] if "long answer" in w["message"]]
    assert len(flagged) >= 10
