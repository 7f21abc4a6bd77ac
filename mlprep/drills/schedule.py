"""Drills on a schedule: FSRS reviews of whole drills, rated by how a run went, and mistake cards.

A *run* is one attempt at a drill from a blank starter (``mlprep drill NAME`` or ``--again``),
open until a grade passes or the learner gives up. The rating comes from the run, never from the
learner: passed on the first grade without hints -> Good (Easy when done in under half the drill's
``minutes``); one failed grade first -> Good; passed after hints or several failed grades -> Hard;
given up -> Again. The drill is then a card like any other (id ``drill:<name>``), scheduled by the
same FSRS code as the quiz.

A hidden test that fails with a drill's own words for a mistake (not a generic mismatch) becomes a
card: front, the situation in the drill; back, the rule and the drill's first hint. One card per
mistake; they are retired once the drill is passed in two runs in a row.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from mlprep.bank.schema import Question
from mlprep.drills.catalog import Drill
from mlprep.drills.results import Results, Status
from mlprep.quiz.scheduler import DRILL_PREFIX, Settings, is_due, rate
from mlprep.store import DrillRun, Store

MISTAKE_PREFIX = "mistake:"
MISTAKE_TOPIC = "coding-drills"
EASY_SHARE = 0.5  # a clean pass in under this share of the drill's minutes is Easy


def drill_qid(name: str) -> str:
    return f"{DRILL_PREFIX}{name}"


def _drill_settings(settings: Settings) -> Settings:
    """A drill skips the minutes-long learning steps of cards: a run's rating sets days at once."""
    return dataclasses.replace(settings, learning_steps=(), relearning_steps=())


def run_rating(run: DrillRun, passed: bool, hints_now: int, elapsed: timedelta, minutes: int) -> int:
    """The FSRS rating (1-4) a run earns."""
    if not passed:
        return 1
    hints_used = hints_now - run.hints_before
    failed = run.failed_grades
    if hints_used > 0 or failed >= 2:
        return 2
    if failed == 0 and elapsed <= timedelta(minutes=EASY_SHARE * minutes):
        return 4
    return 3


def start_run(store: Store, drill: Drill, folder: Path, now: datetime, settings: Settings, hints_seen: int) -> int:
    """Open a run in ``folder``; an earlier run left open is given up first (rated Again)."""
    give_up(store, drill, now, settings)
    return store.start_drill_run(drill.name, str(folder), now, hints_seen)


def give_up(store: Store, drill: Drill, now: datetime, settings: Settings) -> bool:
    """End the drill's open run without a pass (Again). False when no run was open."""
    run = store.open_drill_run(drill.name)
    if run is None:
        return False
    with store.write():
        store.end_drill_run(run.id, now, passed=False, rating=1)
        rate(store, drill_qid(drill.name), drill.topic, 1, now, _drill_settings(settings), mode="drill",
             duration_s=(now - run.started_at).total_seconds())
    return True


@dataclass
class Mistake:
    id: str
    test: str
    message: str


def named_mistakes(drill: str, results: Results) -> list[Mistake]:
    """Hidden tests that failed with the drill's own words for a mistake (one per message)."""
    # numpy comes with the comparisons: only once a grade is recorded, not to plan a day
    from mlprep.drills.compare import is_generic

    found: dict[str, Mistake] = {}
    for t in results.tests:
        if t.kind != "hidden" or t.status is not Status.FAIL or t.traceback or not t.message.strip():
            continue
        if is_generic(t.message) or t.message.startswith(("your ", "wrong result")):
            continue
        digest = hashlib.sha1(t.message.strip().encode("utf-8")).hexdigest()[:10]
        mid = f"{MISTAKE_PREFIX}{drill}:{digest}"
        found.setdefault(mid, Mistake(mid, t.name, t.message.strip()))
    return list(found.values())


@dataclass
class GradeOutcome:
    """What a grade did to the schedule: the run's rating when it ended, mistake cards made/retired."""

    run_id: int
    rating: int | None = None
    due: datetime | None = None
    new_mistakes: list[Mistake] = field(default_factory=list)
    retired: int = 0


def after_grade(store: Store, drill: Drill, results: Results, now: datetime, settings: Settings,
                hints_seen: int) -> GradeOutcome:
    """Count a grade in the drill's open run (opening one if none is), record named mistakes, and
    on a pass end the run, rate the drill and retire its mistakes after a second pass in a row."""
    passed = results.status is Status.PASS
    with store.write():
        run = store.open_drill_run(drill.name)
        if run is None:  # graded without `mlprep drill` first: the run starts now
            store.start_drill_run(drill.name, str(Path(results.file).parent), now, hints_seen)
            run = store.open_drill_run(drill.name)
        store.count_drill_grade(run.id, passed)
        outcome = GradeOutcome(run.id)
        for m in named_mistakes(drill.name, results) if not passed else []:
            if store.add_drill_mistake(m.id, drill.name, m.test, m.message, now):
                outcome.new_mistakes.append(m)
        if not passed:
            return outcome
        run = store.open_drill_run(drill.name)
        rating = run_rating(run, True, hints_seen, now - run.started_at, drill.minutes)
        earlier = [r for r in store.drill_runs(drill.name) if r.ended_at is not None]
        store.end_drill_run(run.id, now, passed=True, rating=rating)
        rated = rate(store, drill_qid(drill.name), drill.topic, rating, now, _drill_settings(settings), mode="drill",
                     duration_s=(now - run.started_at).total_seconds())
        outcome.rating, outcome.due = rating, rated.card.due if rated.card else None
        if earlier and earlier[-1].passed:
            outcome.retired = store.retire_drill_mistakes(drill.name, now)
    return outcome


def due_drills(store: Store, drills: dict[str, Drill], now: datetime) -> list[Drill]:
    """Drills met before whose review is due now, most overdue first."""
    cards = store.cards()
    due = [(cards[drill_qid(n)].due, d) for n, d in drills.items()
           if drill_qid(n) in cards and not cards[drill_qid(n)].suspended and is_due(cards[drill_qid(n)], now)]
    return [d for _, d in sorted(due, key=lambda x: x[0])]


def mistake_questions(store: Store, drills: dict[str, Drill]) -> list[Question]:
    """The active mistake cards as questions, to be drilled with the rest."""
    questions = []
    for m in store.drill_mistakes():
        drill = drills.get(m["drill"])
        if drill is None:
            continue
        hints = drill.hints()
        back = m["message"] + (f"\n\nHint from the drill: {hints[0]}" if hints else "")
        questions.append(Question(
            id=m["id"], topic=MISTAKE_TOPIC, tags=["from-drill", drill.name], kind="open", difficulty=2,
            question=f"In the drill **{drill.title}**, the test \"{m['test']}\" failed. What is the rule you broke?",
            answer=back, source={"file": f"drills/{drill.name}", "heading": m["test"]}, bank="drill-mistakes",
        ))
    return questions
