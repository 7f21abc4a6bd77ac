"""Our importer on the obsidian-spaced-repetition parser's published cases (default settings).

The cases and why some differ on purpose are in ``peer_cases.py``; the README lists the
differences for users.
"""

from __future__ import annotations

import pytest
from peer_cases import CASES, DIFFERS

from mlprep.importer.notes import import_text

PLUGIN_ONLY_ORIGINS = ("explain",)  # section cards: ours alone


def ours(text: str) -> list[tuple]:
    note = import_text(text, "case.md")
    found = []
    for q in note.questions:
        if q.question.startswith("Explain: "):
            continue
        line = q.source["line"]
        found.append((line, "cloze", q.question) if q.kind == "cloze" else (line, q.question, q.answer))
    return found


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_peer_case(name, text, expected):
    assert ours(text) == expected


@pytest.mark.parametrize("name, text, expected", DIFFERS, ids=[c[0] for c in DIFFERS])
def test_deliberate_difference(name, text, expected):
    assert ours(text) == expected


def test_every_published_default_case_is_ported():
    assert len(CASES) + len(DIFFERS) >= 70


def test_plugin_schedules_become_fsrs_review_state(cli, tmp_path):
    import json as _json

    from mlprep.quiz.scheduler import fsrs_state, stability
    from mlprep.store import open_store

    note = tmp_path / "deck.md"
    note.write_text(
        "Gradient::partial derivatives\n<!--SR:!2024-01-01,3,250-->\n\n"
        "Logit:::raw score <!--SR:!2024-02-01,10,130!2024-03-01,20,300-->\n\n"
        "Fresh card::no schedule\n\nBroken::schedule <!--SR:!not-a-date,3,250-->\n",
        encoding="utf-8",
    )
    r = cli("import", note, "--json")
    assert r.exit_code == 0, r.output
    assert _json.loads(r.stdout)["schedules_imported"] == 3
    ids = {q["question"]: q["id"] for q in _json.loads(cli("questions", "--json", "--from-bank", "deck").stdout)}
    with open_store() as store:
        cards = store.cards()
    gradient = cards[ids["Gradient"]]
    assert fsrs_state(gradient) == 2 and gradient.due.date().isoformat() == "2024-01-01"
    assert stability(gradient) == 3.0
    forward, backward = cards[ids["Logit"]], cards[ids["raw score"]]
    assert forward.due.date().isoformat() == "2024-02-01" and backward.due.date().isoformat() == "2024-03-01"
    assert _json.loads(forward.state)["difficulty"] > _json.loads(backward.state)["difficulty"]
    assert ids["Fresh card"] not in cards and ids["Broken"] not in cards
    # a card seen here keeps its own schedule on re-import
    r = cli("quiz", "--from-bank", "deck", "-n", "1", input=" 4q")
    assert r.exit_code == 0, r.output
    with open_store() as store:
        before = store.cards()
    cli("import", note)
    with open_store() as store:
        assert store.cards() == before
