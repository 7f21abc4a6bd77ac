"""Progress figures computed from a review history built on a fake clock."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from mlprep.bank.schema import Question
from mlprep.commands.stats import heatmap
from mlprep.quiz.scheduler import Settings, rate, suspend
from mlprep.quiz.stats import compute, streak
from mlprep.store import open_store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
S = Settings(fuzz=False)


def days(n: float) -> datetime:
    return NOW + timedelta(days=n)


def test_streak_counts_back_from_today_or_yesterday():
    today = date(2026, 3, 10)
    seen = {today - timedelta(days=i) for i in (0, 1, 2, 4)}
    assert streak(seen, today) == 3
    assert streak(seen - {today}, today) == 2  # not broken before today's session
    assert streak(set(), today) == 0


def test_figures_from_a_history():
    with open_store() as store:
        rate(store, "q-master", "rl", 4, days(-60), S)  # Easy, then Easy again: stability > 100 days
        rate(store, "q-master", "rl", 4, days(-40), S)
        rate(store, "q-lapse", "rl", 4, days(-10), S)  # learned, then forgotten (a lapse) ...
        rate(store, "q-lapse", "rl", 1, days(-2), S)
        rate(store, "q-recall", "nlp", 4, days(-9), S)  # ... and one recalled
        rate(store, "q-recall", "nlp", 3, days(-1), S)
        rate(store, "q-new", "nlp", 3, days(0), S)  # in learning: due in 10 minutes
        rate(store, "q-new", "nlp", 1, days(0) + timedelta(minutes=1), S, cram=True)
        rate(store, "q-gone", "nlp", 3, days(-1), S)
        suspend(store, "q-gone", "nlp", days(-1))
        questions = [Question(id=f"q-{i}", question=f"{i}?", answer="a", topic="rl") for i in range(3)]
        data = compute(store, NOW, questions)
        four_weeks = compute(store, NOW, questions, weeks=4)

    assert data["reviews_total"] == 9 and data["reviews_today"] == 2
    assert data["cards_seen"] == 5
    assert data["retention_30d"] == 0.5  # one Again and one Good on learned cards; cram left out
    assert data["streak_days"] == 3  # days -2, -1, 0
    assert data["due_today"] == 2  # q-new (learning) and q-lapse (relearning); q-gone is suspended
    assert list(data["due_forecast"].values())[0] == 2 and len(data["due_forecast"]) == 7
    assert data["suspended"] == 1
    assert data["topics"]["rl"] == {"cards": 3, "seen": 2, "mastered": 1, "mastery": round(1 / 3, 3)}
    assert data["topics"]["nlp"]["seen"] == 3 and data["topics"]["nlp"]["mastered"] == 1  # q-recall
    assert [h["id"] for h in data["hardest"]] == ["q-lapse"]  # cram Again does not count
    assert data["calendar"][days(-60).date().isoformat()] == 1 and data["calendar"][NOW.date().isoformat()] == 2
    assert days(-60).date().isoformat() not in four_weeks["calendar"]


def test_heatmap_marks_busy_days_and_leaves_the_future_blank():
    today = date(2026, 3, 11)  # a Wednesday
    grid = heatmap({"2026-03-09": 1, "2026-03-10": 8}, today, weeks=2).plain.splitlines()
    assert [line[:3] for line in grid[:7]] == ["Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun"]
    cells = [line[4:].split() for line in grid[:7]]
    assert cells[0] == ["·", "▪"] and cells[1] == ["·", "■"] and cells[2] == ["·", "·"]
    assert cells[3] == ["·"]  # Thursday of this week is still ahead


def _question(qid: str, topic: str):
    return Question(id=qid, question=f"{qid}?", answer="a", topic=topic)


def test_readiness_predicts_recall_on_the_interview_date_per_topic():
    from mlprep.quiz.readiness import readiness, recall_curve
    from mlprep.quiz.scheduler import Settings, rate

    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    questions = [_question("a1", "attention"), _question("a2", "attention"), _question("o1", "optim"),
                 _question("o2", "optim"), _question("o3", "optim")]
    with open_store() as store:
        for qid in ("a1", "a2", "o1"):
            rate(store, qid, "x", 4, now - timedelta(days=3), Settings(fuzz=False))
        cards = store.cards()
    soon = Settings(interview_date=(now + timedelta(days=10)).date())
    later = Settings(interview_date=(now + timedelta(days=40)).date())
    r = readiness(questions, cards, soon, now)
    assert r["days_left"] == 10 and r["date"] == "2026-03-12"
    att, opt = r["topics"]["attention"], r["topics"]["optim"]
    assert att["seen_share"] == 1.0 and opt["seen_share"] == pytest.approx(1 / 3, abs=1e-3)
    assert 0 < att["recall"] < 1 and opt["recall"] == pytest.approx(att["recall"] / 3, abs=1e-3)  # unseen = 0
    assert readiness(questions, cards, later, now)["topics"]["attention"]["recall"] < att["recall"]
    assert opt["reviews_per_day"] > att["reviews_per_day"] > 0  # new cards need their first reviews too
    assert r["overall"]["cards"] == 5
    now_only = readiness(questions, cards, Settings(), now)
    assert now_only["days_left"] is None and now_only["topics"]["attention"]["reviews_per_day"] is None
    curve = recall_curve(questions, cards, soon, now)
    assert len(curve) == 11 and curve[0][0] == "2026-03-02"
    assert all(a[1] >= b[1] for a, b in zip(curve, curve[1:], strict=False))  # forgetting, if nothing is studied


def test_stats_shows_readiness_bars_json_and_plot(cli, tmp_path, monkeypatch):
    bank = tmp_path / "b.yaml"
    bank.write_text("topic: attention\nquestions:\n  - {question: Why scale?, answer: Softmax saturates.}\n"
                    "  - {question: What is a mask?, answer: It hides tokens.}\n", encoding="utf-8")
    assert cli("quiz", "--only-bank", bank, "--interview-date", "2099-01-01", input=" 4q").exit_code == 0
    r = cli("stats", "--only-bank", bank, "--json")
    data = json.loads(r.stdout)
    att = data["readiness"]["topics"]["attention"]
    assert att["seen_share"] == 0.5 and att["reviews_per_day"] is not None and data["readiness"]["days_left"] > 1000
    r = cli("stats", "--only-bank", bank)
    assert "Readiness" in r.output and "all topics" in r.output and "reviews/day" in r.output
    png = tmp_path / "stats.png"
    r = cli("stats", "--only-bank", bank, "--plot", png)
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    r = cli("stats", "--only-bank", bank, "--plot", tmp_path / "again.png")
    assert r.exit_code == 2 and "pip install 'mlprep[plot]'" in r.output


def test_bars_are_drawn_in_eighths():
    from mlprep.commands.stats import bar

    assert bar(0.5, 8) == "████    " and bar(1.0, 4) == "████" and bar(0.0, 3) == "   "
    assert bar(0.5, 1) == "▌" and bar(1 / 8, 1) == "▏"
