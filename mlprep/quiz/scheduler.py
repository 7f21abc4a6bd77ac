"""Spaced repetition on top of the ``fsrs`` package: ratings, leeches, bury, suspend, undo.

Every function takes ``now`` (timezone-aware), so tests run on a fake clock. "Today" is the
calendar day of ``now`` in ``now``'s own timezone: the CLI passes local time, tests pass UTC.
Cram sessions log their ratings with ``cram=True`` and leave the FSRS state alone.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import fsrs

from mlprep.store import CardRow, Store

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
DRILL_PREFIX = "drill:"  # a coding drill is scheduled as a card with this id prefix (mlprep.drills.schedule)
_DEFAULT_SCHEDULER = fsrs.Scheduler()


@dataclass
class Settings:
    retention: float = 0.9  # desired probability of recalling a card when it comes due
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    new_per_day: int = 20  # new cards introduced per day
    reviews_per_day: int = 200  # reviews of seen cards per day
    leech_lapses: int = 8  # lapses (Again on a learned card) before a card is a leech
    interview_date: date | None = None  # when set, every card is seen and reviewed before it
    fuzz: bool = True  # FSRS interval fuzzing (tests turn it off)
    parameters: tuple[float, ...] | None = None  # FSRS weights fitted by `mlprep optimize`; None: fsrs's defaults

    def __post_init__(self) -> None:
        if not 0.7 <= self.retention <= 0.99:
            raise ValueError(f"desired retention {self.retention} must be between 0.7 and 0.99")
        if self.parameters is not None and len(self.parameters) != len(fsrs.scheduler.DEFAULT_PARAMETERS):
            raise ValueError(f"FSRS needs {len(fsrs.scheduler.DEFAULT_PARAMETERS)} parameters, "
                             f"got {len(self.parameters)}")

    @property
    def fsrs_parameters(self) -> tuple[float, ...]:
        return self.parameters or tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


@dataclass
class DailyTargets:
    new: int
    reviews: int
    days_to_interview: int | None = None


def _utc(now: datetime) -> datetime:
    """fsrs only takes UTC datetimes."""
    return now.astimezone(timezone.utc)


def day_start(now: datetime) -> datetime:
    return datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)


def tomorrow(now: datetime) -> datetime:
    return day_start(now) + timedelta(days=1)


def days_to_interview(settings: Settings, now: datetime) -> int | None:
    if settings.interview_date is None:
        return None
    days = (settings.interview_date - now.date()).days
    return days if days > 0 else None


def fsrs_scheduler(settings: Settings, now: datetime) -> fsrs.Scheduler:
    days = days_to_interview(settings, now)
    return fsrs.Scheduler(
        parameters=settings.fsrs_parameters,
        desired_retention=settings.retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        # Before an interview, no interval may carry a card past the day itself.
        maximum_interval=max(1, days) if days else 36500,
        enable_fuzzing=settings.fuzz,
    )


def daily_targets(settings: Settings, now: datetime, unseen: int) -> DailyTargets:
    """New and review targets for today; an interview date raises the new-card target so that
    every unseen card is met at least a day before it."""
    new = settings.new_per_day
    days = days_to_interview(settings, now)
    if days is not None and unseen:
        new = max(new, math.ceil(unseen / max(1, days - 1)))
    return DailyTargets(new=new, reviews=settings.reviews_per_day, days_to_interview=days)


def new_card(qid: str, topic: str, now: datetime) -> CardRow:
    card = fsrs.Card(card_id=card_id(qid), due=_utc(now))
    return CardRow(qid=qid, state=card.to_json(), due=now, topic=topic)


def parse_sm2(entry: str) -> tuple[date, int, int] | None:
    """``2024-01-01,3,250`` (due date, interval in days, ease in percent: the
    obsidian-spaced-repetition plugin's schedule) as values, or None if it does not parse."""
    parts = [p.strip() for p in entry.strip().lstrip("!").split(",")]
    if len(parts) != 3:
        return None
    try:
        due, interval, ease = date.fromisoformat(parts[0]), int(parts[1]), int(parts[2])
    except ValueError:
        return None
    return (due, interval, ease) if interval >= 1 and 100 <= ease <= 1000 else None


def card_from_sm2(qid: str, topic: str, due: date, interval: int, ease: int, now: datetime) -> CardRow:
    """A card already in review, carried over from an SM-2 schedule: due as it was, stability the
    interval (FSRS sets the interval to the stability at 90% retention), difficulty from the ease
    (250%, the default, is the middle: 5; 130% is 9.8; 350% and more is 1)."""
    card_id = int(hashlib.sha1(qid.encode("utf-8")).hexdigest()[:12], 16)
    due_at = datetime.combine(due, time(0), tzinfo=now.tzinfo or timezone.utc)
    card = fsrs.Card(
        card_id=card_id,
        state=fsrs.State.Review,
        stability=float(interval),
        difficulty=min(10.0, max(1.0, 5.0 - (ease - 250) / 25)),
        due=_utc(due_at),
        last_review=_utc(due_at - timedelta(days=interval)),
    )
    return CardRow(qid=qid, state=card.to_json(), due=due_at, topic=topic)


def seed_schedules(store: Store, schedules: list[tuple[str, str, str]], now: datetime) -> int:
    """Give cards never seen here the schedule their note carried (``(qid, topic, entry)``);
    a card with any history keeps its own. Returns how many were seeded."""
    known = store.cards()
    seeded = 0
    for qid, topic, entry in schedules:
        parsed = parse_sm2(entry)
        if parsed is None or qid in known:
            continue
        store.save_card(card_from_sm2(qid, topic, *parsed, now))
        known[qid] = None  # type: ignore[assignment]
        seeded += 1
    return seeded


def fsrs_card(row: CardRow) -> fsrs.Card:
    return fsrs.Card.from_json(row.state)


def fsrs_state(row: CardRow | None) -> int | None:
    """The FSRS state (1 learning, 2 review, 3 relearning) of a seen card; None for a new one."""
    return None if row is None else int(json.loads(row.state)["state"])  # cheaper than a full Card


def stability(row: CardRow) -> float:
    return fsrs_card(row).stability or 0.0


def retrievability(row: CardRow, now: datetime, parameters: tuple[float, ...] | None = None) -> float:
    """Estimated probability of recalling the card at ``now`` (0..1), with these FSRS parameters."""
    scheduler = fsrs.Scheduler(parameters=parameters) if parameters else _DEFAULT_SCHEDULER
    return scheduler.get_card_retrievability(fsrs_card(row), _utc(now))


def card_id(qid: str) -> int:
    """The FSRS card id of a question: stable, from its id."""
    return int(hashlib.sha1(qid.encode("utf-8")).hexdigest()[:12], 16)


def is_available(row: CardRow | None, now: datetime) -> bool:
    """Neither suspended nor buried."""
    if row is None:
        return True
    return not row.suspended and not (row.buried_until and row.buried_until > now)


def is_due(row: CardRow, now: datetime) -> bool:
    """A seen card is due if it falls due before tomorrow (learning steps: once their time is up)."""
    if fsrs_state(row) == int(fsrs.State.Review):
        return row.due < tomorrow(now)
    return row.due <= now


@dataclass
class Rated:
    review_id: int
    card: CardRow | None  # the new state; None for a cram rating
    became_leech: bool = False


def rate(
    store: Store,
    qid: str,
    topic: str,
    rating: int,
    now: datetime,
    settings: Settings,
    *,
    mode: str = "flash",
    cram: bool = False,
    duration_s: float | None = None,
    typed_score: int | None = None,
) -> Rated:
    """Record a rating (1-4), committed at once. Outside cram it moves the card through FSRS,
    and the lapse that reaches ``settings.leech_lapses`` marks the card a leech and suspends it."""
    if rating not in RATINGS:
        raise ValueError(f"rating must be 1-4, got {rating}")
    with store.write():  # read and write the card under one lock: another session may be rating too
        return _rate(store, qid, topic, rating, now, settings, mode, cram, duration_s, typed_score)


def _rate(store: Store, qid: str, topic: str, rating: int, now: datetime, settings: Settings,
          mode: str, cram: bool, duration_s: float | None, typed_score: int | None) -> Rated:
    before = store.card(qid)
    state_before = fsrs_state(before)
    if cram:
        rid = store.record_review(qid, at=now, rating=rating, mode=mode, cram=True, duration_s=duration_s,
                                  typed_score=typed_score, state_before=state_before)
        return Rated(rid, None)
    row = before or new_card(qid, topic, now)
    card, _ = fsrs_scheduler(settings, now).review_card(fsrs_card(row), fsrs.Rating(rating), _utc(now))
    after = CardRow(qid=qid, state=card.to_json(), due=card.due, topic=topic or row.topic,
                    suspended=row.suspended, buried_until=None, leech=row.leech)
    lapse = rating == 1 and state_before == int(fsrs.State.Review)
    became_leech = lapse and not row.leech and store.lapses(qid) + 1 >= settings.leech_lapses
    if became_leech:
        after.leech = after.suspended = True
    rid = store.record_review(qid, at=now, rating=rating, mode=mode, cram=False, duration_s=duration_s,
                              typed_score=typed_score, state_before=state_before, card_after=after)
    return Rated(rid, after, became_leech)


def _update(store: Store, qid: str, topic: str, now: datetime, **changes: object) -> CardRow:
    """Change a card's flags (creating its record for a card never rated) under one lock."""
    with store.write():
        row = store.card(qid) or new_card(qid, topic, now)
        for key, value in changes.items():
            setattr(row, key, value)
        store.save_card(row)
    return row


def bury(store: Store, qid: str, topic: str, now: datetime) -> CardRow:
    """Hide the card until tomorrow."""
    return _update(store, qid, topic, now, buried_until=tomorrow(now))


def suspend(store: Store, qid: str, topic: str, now: datetime) -> CardRow:
    """Take the card out of every session until it is unsuspended."""
    return _update(store, qid, topic, now, suspended=True)


def undo(store: Store, review_id: int) -> str:
    """Undo a rating: the review is marked undone and the card state restored. Returns its id."""
    return store.undo_review(review_id)


def restore(store: Store, qid: str, before: CardRow | None) -> None:
    """Put a card's record back as it was (undo of bury or suspend); None: it had no record."""
    store.restore_card(qid, before)
