"""Scheduling and queue selection on a fake clock."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from mlprep.bank.schema import Question
from mlprep.quiz import queue
from mlprep.quiz.scheduler import (
    Settings,
    bury,
    daily_targets,
    fsrs_state,
    is_due,
    rate,
    retrievability,
    suspend,
    undo,
)
from mlprep.store import open_store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
SETTINGS = Settings(fuzz=False)


def q(n: int, topic: str = "t", **kw) -> Question:
    return Question(id=f"q-{n}", question=f"question {n}?", answer=f"answer {n}", topic=topic, **kw)


@pytest.fixture
def store():
    with open_store() as s:
        yield s


def test_good_walks_a_new_card_through_learning_into_review(store):
    first = rate(store, "q-1", "t", 3, T0, SETTINGS)
    assert fsrs_state(first.card) == 1 and first.card.due == T0 + timedelta(minutes=10)
    second = rate(store, "q-1", "t", 3, T0 + timedelta(minutes=10), SETTINGS)
    assert fsrs_state(second.card) == 2
    assert second.card.due >= T0 + timedelta(days=1)
    assert not is_due(second.card, T0 + timedelta(minutes=11))
    assert is_due(second.card, second.card.due)


def test_higher_retention_gives_shorter_intervals(store):
    due = {}
    for retention in (0.8, 0.95):
        qid = f"q-{retention}"
        settings = Settings(retention=retention, fuzz=False)
        rate(store, qid, "t", 3, T0, settings)
        due[retention] = rate(store, qid, "t", 3, T0 + timedelta(minutes=10), settings).card.due
    assert due[0.95] < due[0.8]
    with pytest.raises(ValueError):
        Settings(retention=0.5)


def test_learning_steps_are_configurable(store):
    settings = Settings(learning_steps=(timedelta(minutes=3),), fuzz=False)
    assert rate(store, "q-1", "t", 1, T0, settings).card.due == T0 + timedelta(minutes=3)


def _lapse_once(store, qid: str, now: datetime, settings: Settings):
    """Bring the card to Review state, then forget it once."""
    card = store.card(qid)
    if card is None or fsrs_state(card) != 2:
        rate(store, qid, "t", 4, now, settings)
    return rate(store, qid, "t", 1, now + timedelta(days=30), settings)


def test_eighth_lapse_makes_a_leech_and_suspends_it(store):
    now = T0
    results = []
    for _ in range(8):
        results.append(_lapse_once(store, "q-1", now, SETTINGS))
        now += timedelta(days=60)
    assert [r.became_leech for r in results] == [False] * 7 + [True]
    card = store.card("q-1")
    assert card.leech and card.suspended
    assert store.lapses("q-1") == 8


def test_undo_restores_the_card_and_drops_the_review(store):
    rate(store, "q-1", "t", 3, T0, SETTINGS)
    before = store.card("q-1")
    last = rate(store, "q-1", "t", 1, T0 + timedelta(minutes=10), SETTINGS)
    assert undo(store, last.review_id) == "q-1"
    assert store.card("q-1") == before
    assert len(store.reviews()) == 1


def test_cram_rating_is_logged_without_touching_fsrs(store):
    rate(store, "q-1", "t", 4, T0, SETTINGS)
    before = store.card("q-1")
    result = rate(store, "q-1", "t", 1, T0 + timedelta(hours=1), SETTINGS, cram=True)
    assert result.card is None
    assert store.card("q-1") == before
    assert store.reviews()[-1].cram


def test_bury_hides_until_tomorrow_and_suspend_for_good(store):
    questions = [q(1), q(2), q(3)]
    bury(store, "q-1", "t", T0)
    suspend(store, "q-2", "t", T0)
    plan = queue.today(questions, store.cards(), T0, new_left=10, reviews_left=10)
    assert [x.id for x in plan.questions] == ["q-3"]
    next_day = T0 + timedelta(days=1)
    plan = queue.today(questions, store.cards(), next_day, new_left=10, reviews_left=10)
    assert [x.id for x in plan.questions] == ["q-1", "q-3"]


def test_today_puts_due_reviews_first_and_respects_limits(store):
    questions = [q(i) for i in range(1, 7)]
    for qid in ("q-5", "q-6"):
        rate(store, qid, "t", 4, T0 - timedelta(days=40), SETTINGS)
    rate(store, "q-4", "t", 4, T0 - timedelta(days=1), SETTINGS)  # not due yet
    cards = store.cards()
    plan = queue.today(questions, cards, T0, new_left=2, reviews_left=5)
    assert [x.id for x in plan.questions] == ["q-5", "q-6", "q-1", "q-2"]
    assert plan.due_ids == {"q-5", "q-6"}
    assert [x.id for x in queue.today(questions, cards, T0, new_left=0, reviews_left=1).questions] == ["q-5"]
    assert len(queue.today(questions, cards, T0, new_left=9, reviews_left=9, limit=3).questions) == 3


def test_new_cards_interleave_topics_keeping_bank_order_within_each():
    questions = [q(1, "a"), q(2, "a"), q(3, "a"), q(4, "b"), q(5, "b"), q(6, "c")]
    plan = queue.today(questions, {}, T0, new_left=10, reviews_left=10)
    assert [x.id for x in plan.questions] == ["q-1", "q-4", "q-6", "q-2", "q-5", "q-3"]


def test_unanswered_questions_are_never_asked(store):
    plan = queue.today([q(1, unanswered=True), q(2)], {}, T0, new_left=5, reviews_left=5)
    assert [x.id for x in plan.questions] == ["q-2"]


def test_daily_counts_come_from_the_log(store):
    rate(store, "q-1", "t", 3, T0, SETTINGS)
    rate(store, "q-1", "t", 3, T0 + timedelta(minutes=10), SETTINGS)
    rate(store, "q-2", "t", 3, T0, SETTINGS, cram=True)
    start = T0.replace(hour=0)
    assert store.count_reviews(start, new=True) == 1  # q-1 once; the cram rating does not count
    assert store.count_reviews(start, new=False) == 1


def test_weakest_orders_by_recall_and_cram_takes_everything(store):
    questions = [q(1), q(2), q(3)]
    rate(store, "q-1", "t", 4, T0 - timedelta(days=200), SETTINGS)  # long ago: weakest now
    rate(store, "q-2", "t", 4, T0 - timedelta(days=1), SETTINGS)
    cards = store.cards()
    assert retrievability(cards["q-1"], T0) < retrievability(cards["q-2"], T0)
    plan = queue.weakest(questions, cards, T0, 5)
    assert [x.id for x in plan.questions] == ["q-1", "q-2"] and plan.cram
    plan = queue.cram(questions, cards, T0)
    assert {x.id for x in plan.questions} == {"q-1", "q-2", "q-3"} and plan.cram


def test_mock_interleaves_topics():
    questions = [q(i, "a") for i in range(4)] + [q(10 + i, "b") for i in range(4)]
    plan = queue.mock(questions, {}, T0, random.Random(1))
    topics = [x.topic for x in plan.questions]
    assert all(topics[i] != topics[i + 1] for i in range(len(topics) - 1))
    assert plan.cram


def test_interview_date_raises_new_cards_and_caps_intervals(store):
    settings = Settings(fuzz=False, new_per_day=5, interview_date=date(2026, 3, 12))  # 10 days
    targets = daily_targets(settings, T0, unseen=90)
    assert targets.days_to_interview == 10 and targets.new == 10
    assert daily_targets(Settings(new_per_day=5), T0, unseen=90).new == 5
    for day in (0, 3, 6, 8):
        card = rate(store, "q-1", "t", 4, T0 + timedelta(days=day), settings).card
        assert card.due.date() <= date(2026, 3, 12)
    far = rate(store, "q-2", "t", 4, T0, Settings(fuzz=False)).card
    assert far.due - T0 > timedelta(days=5)


def test_local_time_outside_utc_works_and_days_follow_the_local_calendar(store):
    new_york = timezone(timedelta(hours=-5))
    late = datetime(2026, 3, 2, 23, 30, tzinfo=new_york)  # already 3 March in UTC
    card = rate(store, "q-1", "t", 4, late, SETTINGS).card
    assert fsrs_state(card) == 2 and card.due > late
    assert retrievability(card, late + timedelta(days=3)) < 1.0
    buried = bury(store, "q-2", "t", late)
    assert buried.buried_until == datetime(2026, 3, 3, 0, 0, tzinfo=new_york)
