"""Planning a quiz session: which cards, in which order, for today / cram / weakest / a mock.

Daily limits are the settings' targets minus what the store says was already done today.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime

from mlprep.bank.schema import Question
from mlprep.quiz import queue
from mlprep.quiz.scheduler import Settings, daily_targets, day_start
from mlprep.store import CardRow, Store


@dataclass
class SessionPlan:
    """The queue to go through, and a line worth telling the learner before it starts (or None)."""

    queue: queue.Plan
    notice: str | None = None


CURATED = "core/"  # banks under questions/core


def ask_covered_once(questions: list[Question]) -> list[Question]:
    """A note card that a curated card covers (lists in ``see_also``) is asked once, through the
    curated card: it leaves the list and its answer rides along under "from your notes"."""
    by_id = {q.id: q for q in questions}
    covered: dict[str, list[str]] = {}
    for q in questions:
        if q.bank.startswith(CURATED):
            notes = [by_id[i] for i in q.see_also if i in by_id and not by_id[i].bank.startswith(CURATED)]
            if notes:
                covered[q.id] = [n.id for n in notes]
    hidden = {i for ids in covered.values() for i in ids}
    out = []
    for q in questions:
        if q.id in hidden and q.id not in covered:
            continue
        if q.id in covered:
            texts = [by_id[i].answer for i in covered[q.id] if by_id[i].answer.strip() and not by_id[i].unanswered]
            q = dataclasses.replace(q, from_notes=texts)
        out.append(q)
    return out


def plan_session(
    store: Store,
    questions: list[Question],
    settings: Settings,
    now: datetime,
    *,
    limit: int | None = None,
    cram: bool = False,
    weakest: int | None = None,
    mock: bool = False,
    rng: random.Random | None = None,
) -> SessionPlan:
    """The session's queue: ``weakest`` N, ``cram``, a ``mock`` mix, or today's due and new cards."""
    questions = ask_covered_once(questions)
    cards = store.cards()
    if weakest:
        return SessionPlan(queue.weakest(questions, cards, now, weakest, settings.parameters))
    if cram:
        return SessionPlan(queue.cram(questions, cards, now, limit=limit))
    if mock:
        return SessionPlan(queue.mock(questions, cards, now, rng or random.Random(), limit=limit))
    unseen = sum(1 for q in questions if q.id not in cards and not q.unanswered)
    targets = daily_targets(settings, now, unseen)
    start = day_start(now)
    plan = queue.today(
        questions, cards, now, limit=limit,
        new_left=targets.new - store.count_reviews(start, new=True),
        reviews_left=targets.reviews - store.count_reviews(start, new=False),
    )
    notice = None
    if targets.days_to_interview:
        notice = f"{targets.days_to_interview} days to the interview: {targets.new} new cards a day"
    return SessionPlan(plan, notice)


def nothing_to_do(questions: list[Question], cards: dict[str, CardRow], now: datetime, cram: bool) -> str:
    """Why a session has no card to show, and what to try instead."""
    if not questions:
        return "No questions match these filters."
    if cram:
        return "No cards to go through: all are suspended or buried, or (for --weakest) none was seen yet."
    upcoming = [cards[q.id].due for q in questions if q.id in cards and not cards[q.id].suspended]
    later = [d for d in upcoming if d > now]
    hint = f" The next card is due {min(later).astimezone():%Y-%m-%d %H:%M}." if later else ""
    return f"Nothing due now and no new cards left for today.{hint} More: --cram, --weakest N or --new N."
