"""A mock interview: a timed block of questions, then one coding drill from a blank file, one report.

The time splits between the two rounds (questions first); the report gives per-topic scores, the
drill's result and time, and what to review next, and is kept in the store for `mlprep stats`.
"""

from __future__ import annotations

import random
from datetime import timedelta

from mlprep.drills.catalog import Drill

QUESTION_SHARE = 0.5  # of the whole mock, for the question round
MIN_DRILL_MINUTES = 5


def split_time(total: timedelta, coding: timedelta | None = None) -> tuple[timedelta, timedelta]:
    """(question round, coding round): ``coding`` when given, else half, at least five minutes."""
    if coding is None:
        coding = max(total * (1 - QUESTION_SHARE), min(total, timedelta(minutes=MIN_DRILL_MINUTES)))
    coding = min(coding, total)
    return total - coding, coding


def choose_drill(drills: dict[str, Drill], solved: set[str], minutes: float, rng: random.Random,
                 topics: list[str] | None = None) -> Drill | None:
    """A drill that fits the coding round: matching ``topics`` when given, unsolved ones first."""
    pool = list(drills.values())
    if topics:
        wanted = [t.lower() for t in topics]
        matching = [d for d in pool if any(w in d.topic.lower() or w in d.name for w in wanted)]
        pool = matching or pool
    fitting = [d for d in pool if d.minutes <= max(minutes, 1)] or sorted(pool, key=lambda d: d.minutes)[:3]
    fresh = [d for d in fitting if d.name not in solved]
    choice = fresh or fitting
    return rng.choice(sorted(choice, key=lambda d: d.name)) if choice else None


def build_report(*, minutes: float, topics: dict[str, dict], drill: dict | None, stopped: str) -> dict:
    """The mock's report: per-topic scores, the drill, what to review next (weakest first)."""
    weak = sorted((t for t, r in topics.items() if r.get("good_share") is not None),
                  key=lambda t: (topics[t]["good_share"], t))
    review = [f"topic {t} ({topics[t]['good_share']:.0%} good or easy)" for t in weak[:3]
              if topics[t]["good_share"] < 1]
    if drill and drill.get("status") != "pass":
        review.append(f"drill {drill['name']} (again: mlprep drill {drill['name']} --again)")
    answered = sum(r["rated"] for r in topics.values())
    return {"minutes": minutes, "answered": answered, "topics": topics, "drill": drill,
            "review_next": review, "stopped": stopped}
