"""`mlprep quiz`, `stats` and `export` through the CLI, driven by keys on stdin (not a TTY)."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlprep.paths import progress_db
from mlprep.store import open_store

BANK = """\
topic: transformers
questions:
  - question: What does softmax do?
    answer: It turns logits into a probability distribution that sums to one.
    keywords: [logits, probability, sums to one]
  - question: Which activation do GPT-2 MLPs use?
    kind: choice
    choices: [ReLU, GELU, tanh]
    correct: GELU
    explanation: GPT-2 uses GELU.
  - question: "Attention scores are scaled by {{c1::1/sqrt(d_k)}}."
    kind: cloze
  - question: What is a sigmoid?
    answer: "$1/(1+e^{-x})$"
    topic: classical
    tags: [activation]
"""


@pytest.fixture
def bank(tmp_path) -> Path:
    path = tmp_path / "bank" / "ml.yaml"
    path.parent.mkdir()
    path.write_text(BANK, encoding="utf-8")
    return path.parent


def reviews() -> list[tuple]:
    with open_store() as store:
        return [(r.rating, r.mode, r.cram, r.typed_score) for r in store.reviews()]


def test_flash_session_from_piped_keys_stores_each_rating(cli, bank):
    r = cli("quiz", "--only-bank", bank, input=" 3 4 1q")
    assert r.exit_code == 0, r.output
    assert "What does softmax do?" in r.output and "left 4: 4 new · 0 learning · 0 due · done 0" in r.output
    assert "Rated 3 card(s): 1 Again, 1 Good, 1 Easy" in r.output
    assert [x[0] for x in reviews()] == [3, 4, 1]


def test_end_of_input_quits_and_keeps_ratings(cli, bank):
    r = cli("quiz", "--only-bank", bank, input=" 2")
    assert r.exit_code == 0
    assert [x[0] for x in reviews()] == [2]


def test_filters_and_limit_choose_the_cards(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--topic", "classical", input=" 3")
    assert "sigmoid" in r.output and "softmax" not in r.output
    r = cli("quiz", "--only-bank", bank, "-n", "1", "--tag", "nothing-has-this", input="")
    assert r.exit_code == 2 and "no question matches" in r.output and "tags that exist: activation" in r.output


@pytest.mark.parametrize("command", ["quiz", "questions", "export"])
def test_a_filter_that_matches_nothing_is_exit_2_with_what_exists(cli, bank, command):
    args = ["--csv", "out.csv"] if command == "export" else []
    r = cli(command, "--only-bank", bank, "--topic", "transformer-s", *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    assert "did you mean transformers?" in r.output and "classical, transformers" in r.output
    r = cli(command, "--topic", "nosuch", *args)  # the bundled banks
    assert r.exit_code == 2 and "topics that exist:" in r.output


def test_type_mode_scores_and_enter_accepts_the_suggestion(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--topic", "transformers", "-n", "1", "--mode", "type",
            input="it maps logits to a probability distribution that sums to one\n\nq")
    assert r.exit_code == 0, r.output
    assert "Your answer scores 100/100" in r.output
    assert reviews() == [(4, "type", False, 100)]


def test_choice_mode_judges_the_pick(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--kind", "choice", "--mode", "choice", input="1\nq")
    assert r.exit_code == 0, r.output
    first = re.search(r"^\s+1\s+(\S+)$", r.output, re.M).group(1)
    right = first == "GELU"
    assert ("right" in r.output) == right and ("wrong" in r.output) != right
    assert reviews() == [(3 if right else 1, "choice", False, 100 if right else 0)]


def test_flash_mode_lets_you_pick_an_option_or_recall_and_reveal(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--kind", "choice", input=" 3")
    assert re.search(r"^\s+\d\s+GELU$", r.output, re.M) and "1-3 choose or Space/Enter" in r.output
    assert "right" not in r.output and "wrong" not in r.output
    assert reviews() == [(3, "flash", False, None)]

    r = cli("quiz", "--only-bank", bank, "--kind", "choice", "--cram", input="1\n")
    first = re.search(r"^\s+1\s+(\S+)$", r.output, re.M).group(1)
    right = first == "GELU"
    assert ("right" in r.output) == right and ("wrong" in r.output) != right
    assert reviews()[-1] == (3 if right else 1, "flash", True, 100 if right else 0)


def test_undo_skip_bury_suspend_keys(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--topic", "transformers", input=" 1us xb q")
    assert r.exit_code == 0, r.output
    assert "undid the last rating" in r.output
    assert reviews() == []
    with open_store() as store:
        cards = store.cards()
    assert len(cards) == 2 and sum(c.suspended for c in cards.values()) == 1
    assert sum(c.buried_until is not None for c in cards.values()) == 1


def test_cram_is_logged_as_cram_and_nothing_due_says_so(cli, bank):
    assert "none was seen yet" in cli("quiz", "--only-bank", bank, "--weakest", "3").output
    assert cli("quiz", "--only-bank", bank, input=" 4 4 4 4").exit_code == 0
    r = cli("quiz", "--only-bank", bank, "--new", "0")
    assert "Nothing due now" in r.output
    r = cli("quiz", "--only-bank", bank, "--cram", "-n", "2", input=" 1 1")
    assert [x[2] for x in reviews()] == [False] * 4 + [True] * 2
    r = cli("quiz", "--only-bank", bank, "--weakest", "1", input=" 3")
    assert reviews()[-1][2] is True


def test_mock_reports_per_topic(cli, bank):
    r = cli("quiz", "--only-bank", bank, "--mock", "30m", input=" 3 1 3 3")
    assert r.exit_code == 0, r.output
    assert "Mock interview report" in r.output and "classical" in r.output and "time left" in r.output
    assert {x[1] for x in reviews()} == {"mock"}


@pytest.mark.parametrize("args", [["--mock", "soon"], ["--mock", "5m", "--cram"], ["--mode", "essay"],
                                  ["--retention", "0.3"], ["--interview-date", "tomorrow"]])
def test_bad_options_exit_2(cli, bank, args):
    assert cli("quiz", "--only-bank", bank, *args, input="q").exit_code == 2


def test_settings_are_remembered(cli, bank):
    cli("quiz", "--only-bank", bank, "--retention", "0.85", "--new", "1", "--interview-date", "2099-01-01", input="q")
    with open_store() as store:
        assert (store.setting("retention"), store.setting("new_per_day")) == ("0.85", "1")
        assert store.setting("interview_date") == "2099-01-01"
    r = cli("quiz", "--only-bank", bank, "--interview-date", "none", input="")
    assert "left 1: 1 new" in r.output  # one new card a day, remembered
    with open_store() as store:
        assert store.setting("interview_date") == ""


def test_corrupt_progress_db_is_one_line_exit_2(cli, bank):
    progress_db().write_bytes(b"garbage" * 100)
    r = cli("quiz", "--only-bank", bank, input="q")
    assert r.exit_code == 2
    assert str(progress_db()) in r.output and "Traceback" not in r.output
    assert progress_db().read_bytes() == b"garbage" * 100


def test_stats_json_reflects_reviews_and_drills(cli, bank):
    cli("quiz", "--only-bank", bank, input=" 3 1 3q")
    with open_store() as store:
        store.record_drill_attempt("softmax", "passed", 4, 0, 0, 4, 0.5)
    r = cli("stats", "--only-bank", bank, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    for key in ("reviews_total", "cards_seen", "due_today", "retention_30d", "streak_days", "topics", "drills"):
        assert key in data
    assert data["reviews_total"] == 3 and data["cards_seen"] == 3 and data["streak_days"] == 1
    assert data["due_today"] == 3  # all still in learning steps
    # new cards interleave topics: transformers, classical, transformers
    assert data["topics"]["transformers"]["cards"] == 3 and data["topics"]["transformers"]["seen"] == 2
    assert data["topics"]["classical"]["cards"] == 1 and data["topics"]["classical"]["seen"] == 1
    assert data["drills"]["softmax"]["solved"] is True
    assert len(data["due_forecast"]) == 7
    assert [h["again"] for h in data["hardest"]] == [1]


def test_stats_text_has_tables_and_calendar(cli, bank):
    cli("quiz", "--only-bank", bank, input=" 1q")
    r = cli("stats", "--only-bank", bank)
    assert r.exit_code == 0, r.output
    for text in ("1 reviews", "Due in the next 7 days", "Mastery per topic", "Hardest cards", "Mon", "less"):
        assert text in r.output


def test_export_csv_tsv_and_anki(cli, bank, tmp_path):
    cli("quiz", "--only-bank", bank, input=" 3q")
    out = tmp_path / "out"
    out.mkdir()
    r = cli("export", "--only-bank", bank, "--csv", out / "c.csv", "--tsv", out / "c.tsv", "--anki", out / "d.apkg",
            "--log", out / "log.csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(open(out / "c.csv", encoding="utf-8")))
    assert len(rows) == 4 and rows[0]["reviews"] == "1" and rows[0]["due"]
    assert list(csv.DictReader(open(out / "c.tsv", encoding="utf-8"), delimiter="\t")) == rows
    log = list(csv.DictReader(open(out / "log.csv", encoding="utf-8")))
    assert [(x["rating"], x["mode"], x["cram"]) for x in log] == [("3", "flash", "0")]
    with zipfile.ZipFile(out / "d.apkg") as z:
        z.extract("collection.anki2", out)
    notes = sqlite3.connect(out / "collection.anki2").execute("SELECT flds, tags FROM notes").fetchall()
    assert len(notes) == 4
    assert any("{{c1::1/sqrt(d_k)}}" in flds for flds, _ in notes)
    assert cli("export", "--only-bank", bank).exit_code == 2


def test_quiz_path_never_imports_torch(bank, mlprep_home):
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "mlprep", "quiz", "--only-bank", str(bank)],
                         input=" 3q", capture_output=True, text=True, check=True,
                         env={**os.environ, "MLPREP_HOME": str(mlprep_home)})
    modules = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line]
    assert "mlprep.quiz.session" in modules  # the quiz really ran
    assert not [m for m in modules if m.split(".")[0] == "torch"]


def test_history_survives_reimporting_edited_notes(cli, bank):
    cli("quiz", "--only-bank", bank, "--topic", "classical", input=" 4")
    edited = BANK.replace("What is a sigmoid?", "What is a  sigmoid ?").replace("$1/(1+e^{-x})$", "The logistic function.")
    (bank / "ml.yaml").write_text(edited, encoding="utf-8")
    r = cli("quiz", "--only-bank", bank, "--topic", "classical", input="q")
    assert "Nothing due now" in r.output  # not asked again as a new card
    data = json.loads(cli("stats", "--only-bank", bank, "--json").stdout)
    assert data["topics"]["classical"] == {"cards": 1, "seen": 1, "mastered": 0, "mastery": 0.0}


def test_unsuspend_brings_cards_back(cli, bank):
    cli("quiz", "--only-bank", bank, "--topic", "classical", input="x")
    with open_store() as store:
        (qid,) = store.cards()
    assert "Nothing due" in cli("quiz", "--only-bank", bank, "--topic", "classical", input="q").output
    r = cli("unsuspend", qid)
    assert r.exit_code == 0 and "Unsuspended 1" in r.output
    assert "sigmoid" in cli("quiz", "--only-bank", bank, "--topic", "classical", input="q").output
    assert cli("unsuspend", qid).exit_code == 2  # no longer suspended
    r = cli("unsuspend")  # no ids: the list of suspended cards
    assert r.exit_code == 0 and "No card is suspended" in r.output
    assert cli("unsuspend", "--all").exit_code == 0


def test_anki_export_without_genanki_is_one_line_exit_2(cli, bank, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)  # import genanki now raises ImportError
    r = cli("export", "--only-bank", bank, "--anki", tmp_path / "d.apkg")
    assert r.exit_code == 2 and "pip install 'mlprep[anki]'" in r.output
    assert not (tmp_path / "d.apkg").exists()


@pytest.mark.parametrize("keys", [" 3 3 3 3 3", " 3xxxx", " 3sbu u", " 3 " + "q"])
def test_keys_after_the_mock_time_is_up_end_in_the_report(cli, bank, monkeypatch, keys):
    from datetime import datetime, timedelta, timezone

    from mlprep.commands import quiz as quiz_command

    ticks = iter(range(10_000))
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(quiz_command, "_now", lambda: start + timedelta(seconds=20 * next(ticks)))
    r = cli("quiz", "--only-bank", bank, "--mock", "1m", input=keys)
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and r.exception is None
    assert "Mock interview report: 1 card(s) answered" in r.output or "Time is up" in r.output
    assert "Mock interview report" in r.output and re.search(r"transformers|classical", r.output)


def test_no_match_names_only_the_filter_that_matches_nothing(cli, bank):
    r = cli("questions", "--only-bank", bank, "--topic", "classical", "--tag", "activaton")
    assert r.exit_code == 2
    assert "--tag activaton: did you mean activation?" in r.output and "--topic" not in r.output
    r = cli("questions", "--only-bank", bank, "--topic", "classical", "--kind", "choice")
    assert r.exit_code == 2 and "match no question together" in r.output
