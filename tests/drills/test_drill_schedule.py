"""Drills on a schedule: ratings from how a run went (fake clock), mistake cards, --again, --history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from mlprep.drills import schedule
from mlprep.drills.catalog import find_drill
from mlprep.drills.results import Results, Status, TestResult
from mlprep.paths import content_dir, progress_db
from mlprep.quiz.scheduler import Settings
from mlprep.store import open_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
SETTINGS = Settings(fuzz=False)
NAMED = "scores: you divided by d instead of sqrt(d)"
GENERIC = "out: 3 of 8 values differ; the largest error is at [1]: expected 0.5, got 0.2 (tolerance 1e-06)"


def results(passed: bool, *messages: str) -> Results:
    tests = [TestResult("example one", "example", Status.PASS)]
    if passed:
        tests.append(TestResult("hidden one", "hidden", Status.PASS))
    for i, m in enumerate(messages):
        tests.append(TestResult(f"hidden check {i}", "hidden", Status.FAIL, m))
    return Results("attention", "/tmp/attention.py", tests)


@pytest.fixture
def drill():
    return find_drill("attention")


def _run(store, drill, grades, *, hints=0, minutes_taken=10, start=T0):
    """Start a run at ``start``, grade it ``grades`` times (bools), return the last outcome."""
    schedule.start_run(store, drill, content_dir("drills"), start, SETTINGS, hints_seen=0)
    outcome = None
    for i, ok in enumerate(grades):
        at = start + timedelta(minutes=minutes_taken * (i + 1) / len(grades))
        outcome = schedule.after_grade(store, drill, results(ok, *(() if ok else (NAMED,))), at, SETTINGS, hints)
    return outcome


@pytest.mark.parametrize(("grades", "hints", "minutes", "rating"), [
    ([True], 0, 40, 3),          # first grade, no hints: Good
    ([True], 0, 5, 4),           # ... and well under the drill's minutes: Easy
    ([False, True], 0, 40, 3),   # one failed grade first: still Good
    ([False, False, True], 0, 40, 2),  # several failed grades: Hard
    ([True], 1, 5, 2),           # a hint during the run: Hard
])
def test_the_rating_comes_from_the_run(drill, grades, hints, minutes, rating):
    with open_store() as store:
        outcome = _run(store, drill, grades, hints=hints, minutes_taken=minutes)
        assert outcome.rating == rating
        card = store.card(schedule.drill_qid("attention"))
        assert card is not None and card.due > T0
        review = store.reviews()[-1]
        assert (review.qid, review.rating, review.mode) == ("drill:attention", rating, "drill")


def test_a_run_given_up_is_again_and_a_new_run_gives_up_the_old(drill):
    with open_store() as store:
        schedule.start_run(store, drill, content_dir("drills"), T0, SETTINGS, 0)
        schedule.after_grade(store, drill, results(False, GENERIC), T0 + timedelta(minutes=5), SETTINGS, 0)
        schedule.start_run(store, drill, content_dir("drills"), T0 + timedelta(hours=1), SETTINGS, 0)
        runs = store.drill_runs("attention")
        assert [(r.passed, r.rating) for r in runs] == [(False, 1), (None, None)]
        assert store.reviews()[-1].rating == 1


def test_a_named_mistake_becomes_one_card_and_retires_after_two_passes_in_a_row(drill):
    with open_store() as store:
        _run(store, drill, [False, False], start=T0)  # the named mistake twice: one card
        assert [m["message"] for m in store.drill_mistakes()] == [NAMED]
        cards = schedule.mistake_questions(store, {"attention": drill})
        assert len(cards) == 1 and cards[0].tags == ["from-drill", "attention"]
        assert NAMED in cards[0].answer and "Hint from the drill" in cards[0].answer
        _run(store, drill, [False, True], start=T0 + timedelta(days=1))  # passed once: still active
        assert len(store.drill_mistakes()) == 1
        outcome = _run(store, drill, [True], start=T0 + timedelta(days=5))  # twice in a row: retired
        assert outcome.retired == 1 and store.drill_mistakes() == []


def test_generic_mismatches_and_crashes_make_no_card(drill):
    with open_store() as store:
        crash = Results("attention", "/tmp/a.py", [TestResult("h", "hidden", Status.FAIL, "your code raised", "Traceback")])
        schedule.after_grade(store, drill, results(False, GENERIC), T0, SETTINGS, 0)
        schedule.after_grade(store, drill, crash, T0, SETTINGS, 0)
        assert store.drill_mistakes(active_only=False) == []


def test_due_drills_come_back_when_their_review_is_due(drill):
    with open_store() as store:
        outcome = _run(store, drill, [True], minutes_taken=40)
        drills = {"attention": drill}
        assert schedule.due_drills(store, drills, T0 + timedelta(hours=1)) == []
        assert schedule.due_drills(store, drills, outcome.due + timedelta(days=1)) == [drill]


# -- through the CLI --------------------------------------------------------------------------------


def test_again_writes_a_fresh_folder_and_history_lists_the_runs(cli, mlprep_home):
    first = cli("drill", "top_k", "--again")
    assert first.exit_code == 0, first.output
    second = cli("drill", "top_k", "--again")
    folders = sorted((mlprep_home / "workspace" / "top_k").iterdir())
    assert len(folders) == 2 and all((f / "top_k.py").is_file() for f in folders)
    assert folders[1].name.endswith("-2")
    assert second.exit_code == 0
    (folders[1] / "top_k.py").write_text((content_dir("solutions") / "top_k.py").read_text())
    graded = cli("grade", folders[1] / "top_k.py")
    assert graded.exit_code == 0 and "Run passed: rated" in graded.output
    history = json.loads(cli("drills", "--history", "top_k", "--json").stdout)
    assert [(r["passed"], r["rating"]) for r in history] == [(False, 1), (True, history[1]["rating"])]
    assert history[1]["grades"] == 1 and history[1]["folder"] == str(folders[1].resolve())
    table = cli("drills", "--history", "top_k")
    assert "given up" in table.output and "passed" in table.output


def test_again_into_a_used_folder_is_refused(cli, tmp_path):
    assert cli("drill", "top_k", "--dir", tmp_path).exit_code == 0
    r = cli("drill", "top_k", "--again", "--dir", tmp_path)
    assert r.exit_code == 2 and "already holds top_k.py" in r.output


def test_grade_checks_the_progress_database_before_running_tests(cli, mlprep_home, tmp_path):
    progress_db().write_bytes(b"not sqlite at all" * 50)
    r = cli("grade", content_dir("solutions") / "top_k.py", "--json")
    assert r.exit_code == 2 and "not a usable progress database" in r.output
    assert r.stdout == ""  # no verdict printed and then lost
