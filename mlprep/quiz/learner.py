"""A simulated learner whose memory follows its own FSRS parameters, for tests and benchmarks.

The learner studies cards on the schedule an FSRS scheduler with the *default* parameters gives
(as mlprep would before ``mlprep optimize``); whether each review is recalled is drawn from the
learner's *true* retrievability, computed with ``true_parameters`` from the same history. So the
review log it returns is what a person who forgets faster (or slower) than the defaults would
leave behind, and an optimizer fitted on it should beat the defaults on later reviews.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import fsrs

# Forgets much faster than the defaults: a quarter of their initial stabilities, slower growth.
FAST_FORGETTER = (0.06, 0.3, 0.6, 2.0, *fsrs.scheduler.DEFAULT_PARAMETERS[4:8], 1.2,
                  *fsrs.scheduler.DEFAULT_PARAMETERS[9:])


@dataclass
class SimReview:
    card_id: int
    at: datetime
    rating: int
    duration_s: float


def simulate(
    n_reviews: int,
    *,
    true_parameters: tuple[float, ...] = FAST_FORGETTER,
    new_per_day: int = 20,
    start: datetime = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc),
    seed: int = 0,
) -> list[SimReview]:
    """About ``n_reviews`` reviews, oldest first: ``new_per_day`` new cards a day, every due card
    reviewed on its day (at a random hour), Again when forgotten, else mostly Good."""
    rng = random.Random(seed)
    schedule = fsrs.Scheduler(enable_fuzzing=False)
    truth = fsrs.Scheduler(parameters=true_parameters, enable_fuzzing=False)
    cards: list[tuple[fsrs.Card, fsrs.Card]] = []  # (as scheduled, as remembered)
    log: list[SimReview] = []
    day = 0
    while len(log) < n_reviews:
        today = start + timedelta(days=day)
        for _ in range(new_per_day):
            cid = len(cards) + 1
            cards.append((fsrs.Card(card_id=cid, due=today), fsrs.Card(card_id=cid, due=today)))
        end = today + timedelta(days=1)
        for i, (shown, memory) in enumerate(cards):
            while shown.due < end and len(log) < n_reviews:
                at = max(shown.due, today) + timedelta(minutes=rng.randint(0, 600))
                if memory.last_review is None:
                    rating = rng.choices([1, 2, 3, 4], weights=[0.3, 0.15, 0.45, 0.1])[0]
                else:
                    recalled = rng.random() < truth.get_card_retrievability(memory, at)
                    rating = rng.choices([2, 3, 4], weights=[0.15, 0.75, 0.1])[0] if recalled else 1
                shown, _ = schedule.review_card(shown, fsrs.Rating(rating), at)
                memory, _ = truth.review_card(memory, fsrs.Rating(rating), at)
                cards[i] = (shown, memory)
                log.append(SimReview(shown.card_id, at, rating, rng.uniform(4, 20)))
                if shown.due >= end:
                    break
        day += 1
    log.sort(key=lambda r: r.at)
    return log
