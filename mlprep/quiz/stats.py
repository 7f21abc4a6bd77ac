"""Progress figures from the store: plain values that `mlprep stats` prints or emits as JSON.

- retention_30d: the share of scheduled reviews of learned cards (FSRS Review state) in the last
  30 days that were recalled (rated Hard, Good or Easy); None without such reviews;
- streak_days: consecutive days with at least one review, ending today (or yesterday, so a
  streak does not look broken before today's session);
- mastery per topic: the share of a topic's cards whose FSRS stability is at least
  ``MASTERED_DAYS`` (the whole topic as in the banks when they are given, else the cards seen).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from mlprep.bank.schema import Question
from mlprep.quiz.readiness import readiness
from mlprep.quiz.scheduler import DRILL_PREFIX, Settings, fsrs_card, is_due, stability, tomorrow
from mlprep.store import Store

MASTERED_DAYS = 21.0
FORECAST_DAYS = 7
CALENDAR_WEEKS = 16
HARDEST = 10


def _local_day(moment: datetime, now: datetime) -> date:
    return moment.astimezone(now.tzinfo).date()


def streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def compute(store: Store, now: datetime, questions: list[Question] | None = None, *, weeks: int = CALENDAR_WEEKS,
            settings: Settings | None = None) -> dict:
    everything, all_reviews = store.cards(), store.reviews()
    cards = {qid: c for qid, c in everything.items() if not qid.startswith(DRILL_PREFIX)}  # cards, not drills
    reviews = [r for r in all_reviews if not r.qid.startswith(DRILL_PREFIX)]
    scheduled = [r for r in reviews if not r.cram]
    today = now.date()
    texts = {q.id: q.question for q in questions or []}

    forecast = {(today + timedelta(days=i)).isoformat(): 0 for i in range(FORECAST_DAYS)}
    seen_ids = {r.qid for r in scheduled}
    for qid, card in cards.items():
        if qid not in seen_ids or card.suspended:
            continue
        day = max(_local_day(card.due, now), today)
        if card.buried_until and card.buried_until > now:
            day = max(day, _local_day(tomorrow(now), now))
        if day.isoformat() in forecast:
            forecast[day.isoformat()] += 1

    since = now - timedelta(days=30)
    learned = [r for r in scheduled if r.state_before == 2 and r.at >= since]
    retention = round(sum(r.rating > 1 for r in learned) / len(learned), 3) if learned else None

    per_day = Counter(_local_day(r.at, now) for r in reviews)
    first = today - timedelta(days=7 * weeks - 1)
    calendar = {d.isoformat(): n for d, n in sorted(per_day.items()) if d >= first}

    return {
        "reviews_total": len(reviews),
        "reviews_today": per_day.get(today, 0),
        "cards_seen": len(seen_ids),
        "due_today": forecast[today.isoformat()],
        "due_forecast": forecast,
        "retention_30d": retention,
        "streak_days": streak(set(per_day), today),
        "suspended": sum(c.suspended for c in cards.values()),
        "leeches": sorted(q for q, c in cards.items() if c.leech),
        "topics": _topics(cards, seen_ids, questions),
        "hardest": _hardest(cards, scheduled, texts),
        "calendar": calendar,
        "drills": store.drill_results(),
        "drill_schedule": _drill_schedule(everything, all_reviews, now),
        "mocks": store.mocks()[-10:],
        "readiness": readiness(questions or [], cards, settings or Settings(), now),
    }


def _drill_schedule(cards, reviews, now: datetime) -> dict:
    """Drills as FSRS cards: how many are due, each one's next review, and the share of due drill
    reviews passed in the last 90 days (a run given up is a lapse)."""
    drills = {qid[len(DRILL_PREFIX):]: c for qid, c in cards.items() if qid.startswith(DRILL_PREFIX)}
    since = now - timedelta(days=90)
    rated = [r for r in reviews if r.qid.startswith(DRILL_PREFIX) and r.state_before == 2 and r.at >= since]
    return {
        "due": sorted(name for name, c in drills.items() if not c.suspended and is_due(c, now)),
        "next": {name: c.due.isoformat() for name, c in sorted(drills.items())},
        "retention_90d": round(sum(r.rating > 1 for r in rated) / len(rated), 3) if rated else None,
    }


def _topics(cards, seen_ids: set[str], questions: list[Question] | None) -> dict[str, dict]:
    totals: Counter[str] = Counter(q.topic for q in questions or [] if not q.unanswered)
    seen: Counter[str] = Counter()
    mastered: Counter[str] = Counter()
    for qid, card in cards.items():
        if qid not in seen_ids:
            continue
        seen[card.topic] += 1
        if stability(card) >= MASTERED_DAYS:
            mastered[card.topic] += 1
    out = {}
    for topic in sorted(set(totals) | set(seen)):
        total = max(totals.get(topic, 0), seen[topic])
        out[topic] = {
            "cards": total,
            "seen": seen[topic],
            "mastered": mastered[topic],
            "mastery": round(mastered[topic] / total, 3) if total else 0.0,
        }
    return out


def _hardest(cards, scheduled, texts: dict[str, str]) -> list[dict]:
    again = Counter(r.qid for r in scheduled if r.rating == 1)
    rows = []
    for qid, n in again.most_common():
        card = cards.get(qid)
        if card is None:
            continue
        rows.append({
            "id": qid,
            "topic": card.topic,
            "again": n,
            "difficulty": round(fsrs_card(card).difficulty or 0.0, 2),
            "leech": card.leech,
            "question": texts.get(qid),
        })
    rows.sort(key=lambda r: (-r["again"], -r["difficulty"]))
    return rows[:HARDEST]


def bank_overview(store: Store, now: datetime) -> list[dict]:
    """One row per bank of the library: name, origin, enabled, cards (asked ones), retired,
    due (seen cards due today), source and last import."""
    from mlprep.bank.library import library
    from mlprep.bank.loader import load_file
    from mlprep.quiz.scheduler import is_available, is_due

    cards = store.cards()
    rows = []
    for bank in library():
        questions, problems = load_file(bank.path, bank.name)
        asked = [q for q in questions if not q.retired and not q.unanswered]
        due = sum(1 for q in asked if q.id in cards and is_available(cards[q.id], now) and is_due(cards[q.id], now))
        entry = bank.entry
        rows.append({
            "name": bank.name,
            "origin": bank.origin,
            "enabled": bank.enabled,
            "cards": len(asked),
            "retired": sum(1 for q in questions if q.retired),
            "due": due,
            "source": entry.source if entry and bank.origin != "bundled" else "",
            "last_import": entry.last_import if entry and bank.origin != "bundled" else "",
            "problems": len(problems),
        })
    return rows
