"""Readiness for the interview: per topic, what FSRS predicts you will recall on the day.

- ``recall``: the mean predicted recall (FSRS retrievability) of the topic's cards on the
  interview date (now, without one); a card never seen counts as 0, a suspended one too;
- ``seen``: the share of the topic's cards seen at least once;
- ``reviews_per_day``: the reviews a day, from today to the interview, that the schedule needs
  for every card (new ones included) to be at the desired retention on the day: each card's
  schedule is run forward, rated Good each time, intervals capped at the days left, plus a last
  review on the eve when recall on the day would still be short of the target.

Plain values in and out, like ``stats``; the curve for the plot is ``recall_curve``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

import fsrs

from mlprep.bank.schema import Question
from mlprep.quiz.scheduler import Settings, card_id, days_to_interview, fsrs_card
from mlprep.store import CardRow

CURVE_DAYS = 30  # the curve's horizon without an interview date


def _on(day: date, now: datetime) -> datetime:
    """Nine in the morning of ``day`` in ``now``'s timezone: when the interview is assumed to be."""
    return datetime.combine(day, time(9), tzinfo=now.tzinfo).astimezone(timezone.utc)


def _scheduler(settings: Settings, days: int) -> fsrs.Scheduler:
    return fsrs.Scheduler(parameters=settings.fsrs_parameters, desired_retention=settings.retention,
                          maximum_interval=max(1, days), enable_fuzzing=False)


def _reviews_until(card: fsrs.Card, scheduler: fsrs.Scheduler, start: datetime, end: datetime,
                   target: float) -> int:
    count = 0
    if card.last_review is None:  # a new card: its first review today
        card, _ = scheduler.review_card(card, fsrs.Rating.Good, start)
        count += 1
    at = max(card.due, start)
    while at < end:
        card, _ = scheduler.review_card(card, fsrs.Rating.Good, at)
        count += 1
        at = max(card.due, at + timedelta(minutes=1))
    if scheduler.get_card_retrievability(card, end) < target:
        count += 1  # one more, the day before
    return count


def readiness(questions: list[Question], cards: dict[str, CardRow], settings: Settings, now: datetime) -> dict:
    """Per topic: recall on the day, share seen, reviews a day needed; and the whole."""
    days = days_to_interview(settings, now)
    target_day = settings.interview_date if days else now.date()
    end = _on(target_day, now) if days else now.astimezone(timezone.utc)
    scheduler = _scheduler(settings, days or 1)
    start = now.astimezone(timezone.utc)
    topics: dict[str, dict] = defaultdict(lambda: {"cards": 0, "seen": 0, "recall_sum": 0.0, "reviews": 0})
    for q in questions:
        if q.unanswered:
            continue
        t = topics[q.topic]
        t["cards"] += 1
        row = cards.get(q.id)
        seen = row is not None and fsrs_card(row).last_review is not None
        if seen:
            t["seen"] += 1
            if not row.suspended:
                t["recall_sum"] += scheduler.get_card_retrievability(fsrs_card(row), end)
        if days and not (row is not None and row.suspended):
            card = fsrs_card(row) if seen else fsrs.Card(card_id=card_id(q.id), due=start)
            t["reviews"] += _reviews_until(card, scheduler, start, end, settings.retention)
    out = {}
    total = {"cards": 0, "seen": 0, "recall_sum": 0.0, "reviews": 0}
    for name in sorted(topics):
        t = topics[name]
        for key in total:
            total[key] += t[key]
        out[name] = _row(t, days)
    return {
        "date": target_day.isoformat(),
        "days_left": days,
        "target_retention": settings.retention,
        "topics": out,
        "overall": _row(total, days),
    }


def _row(t: dict, days: int | None) -> dict:
    n = t["cards"]
    return {
        "cards": n,
        "seen_share": round(t["seen"] / n, 3) if n else 0.0,
        "recall": round(t["recall_sum"] / n, 3) if n else 0.0,
        "reviews_per_day": round(t["reviews"] / days, 1) if days else None,
    }


def recall_curve(questions: list[Question], cards: dict[str, CardRow], settings: Settings, now: datetime
                 ) -> list[tuple[str, float]]:
    """Mean predicted recall of all cards (unseen ones 0) on each day from today to the interview
    (or ``CURVE_DAYS``), if nothing more were studied."""
    days = days_to_interview(settings, now) or CURVE_DAYS
    scheduler = _scheduler(settings, days)
    answerable = [q for q in questions if not q.unanswered]
    seen = [fsrs_card(cards[q.id]) for q in answerable
            if q.id in cards and not cards[q.id].suspended and fsrs_card(cards[q.id]).last_review is not None]
    curve = []
    for d in range(days + 1):
        day = now.date() + timedelta(days=d)
        at = _on(day, now)
        total = sum(scheduler.get_card_retrievability(c, at) for c in seen)
        curve.append((day.isoformat(), round(total / len(answerable), 4) if answerable else 0.0))
    return curve
