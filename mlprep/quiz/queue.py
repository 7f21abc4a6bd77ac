"""Which cards a session shows, in which order. Plain values in, plain values out.

- today: due reviews first (most overdue first), then new cards with topics interleaved
  round-robin (bank order within a topic), within the daily limits (minus what was already
  done today);
- cram: every available card whatever its schedule, unseen ones first, then soonest due;
- weakest: the N seen cards with the lowest estimated recall now;
- mock: every available card, topics interleaved round-robin, shuffled within each topic.

Suspended and buried cards never appear; nor do questions whose notes give no answer.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from mlprep.bank.schema import Question
from mlprep.quiz.scheduler import fsrs_state, is_available, is_due, retrievability
from mlprep.store import CardRow


@dataclass
class Plan:
    questions: list[Question]
    due_ids: set[str] = field(default_factory=set)  # which of them are scheduled reviews
    learning_ids: set[str] = field(default_factory=set)  # which due ones are in (re)learning steps
    cram: bool = False


def _usable(questions: list[Question], cards: dict[str, CardRow], now: datetime) -> list[Question]:
    return [q for q in questions if not q.unanswered and is_available(cards.get(q.id), now)]


def _cap(items: list[Question], limit: int | None) -> list[Question]:
    return items if limit is None else items[: max(0, limit)]


def _by_topic(questions: list[Question]) -> dict[str, list[Question]]:
    groups: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        groups[q.topic].append(q)
    return groups


def _round_robin(groups: dict[str, list[Question]], topics: list[str]) -> list[Question]:
    """One card from each topic in turn, keeping each topic's own order."""
    queues = {t: list(reversed(groups[t])) for t in topics}
    mixed: list[Question] = []
    while any(queues.values()):
        for topic in topics:
            if queues[topic]:
                mixed.append(queues[topic].pop())
    return mixed


def today(
    questions: list[Question],
    cards: dict[str, CardRow],
    now: datetime,
    *,
    new_left: int,
    reviews_left: int,
    limit: int | None = None,
) -> Plan:
    pool = _usable(questions, cards, now)
    due = sorted((q for q in pool if q.id in cards and is_due(cards[q.id], now)), key=lambda q: cards[q.id].due)
    new_groups = _by_topic([q for q in pool if q.id not in cards])
    new = _round_robin(new_groups, list(new_groups))
    chosen = _cap(due, reviews_left) + _cap(new, new_left)
    chosen = _cap(chosen, limit)
    due_ids = {q.id for q in chosen if q.id in cards}
    learning = {qid for qid in due_ids if fsrs_state(cards[qid]) in (1, 3)}
    return Plan(chosen, due_ids, learning)


def cram(questions: list[Question], cards: dict[str, CardRow], now: datetime, *, limit: int | None = None) -> Plan:
    pool = _usable(questions, cards, now)
    pool.sort(key=lambda q: (q.id in cards, cards[q.id].due if q.id in cards else now))
    return Plan(_cap(pool, limit), cram=True)


def weakest(questions: list[Question], cards: dict[str, CardRow], now: datetime, n: int,
            parameters: tuple[float, ...] | None = None) -> Plan:
    seen = [q for q in _usable(questions, cards, now) if q.id in cards]
    seen.sort(key=lambda q: retrievability(cards[q.id], now, parameters))
    return Plan(seen[: max(0, n)], cram=True)


def mock(
    questions: list[Question], cards: dict[str, CardRow], now: datetime, rng: random.Random, *, limit: int | None = None
) -> Plan:
    by_topic = _by_topic(_usable(questions, cards, now))
    topics = sorted(by_topic)
    rng.shuffle(topics)
    for items in by_topic.values():
        rng.shuffle(items)
    return Plan(_cap(_round_robin(by_topic, topics), limit), cram=True)
