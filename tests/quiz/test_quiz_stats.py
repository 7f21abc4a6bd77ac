"""Progress figures computed from a review history built on a fake clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

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
