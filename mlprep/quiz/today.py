"""The day's plan: due reviews, then due drills, then new cards, within the daily limits.

Cards come from the banks plus the active mistake cards of drills; drills are due when their FSRS
review is. Everything is recomputed from the store, so a session stopped halfway resumes where it
was: rated cards are no longer due, and a drill whose run is still open goes on in its folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mlprep.bank.schema import Question
from mlprep.drills.catalog import Drill
from mlprep.drills.schedule import due_drills, mistake_questions
from mlprep.quiz.plan import plan_session
from mlprep.quiz.queue import Plan
from mlprep.quiz.scheduler import Settings
from mlprep.store import Store


@dataclass
class DueDrill:
    drill: Drill
    folder: Path | None  # the folder of a run still open from earlier today, else None (a fresh one)


@dataclass
class DayPlan:
    reviews: Plan
    drills: list[DueDrill]
    new: Plan
    notice: str | None = None
    mistakes: list[Question] = field(default_factory=list)

    def as_json(self) -> dict:
        def cards(plan: Plan) -> list[dict]:
            return [{"id": q.id, "topic": q.topic, "question": q.question.splitlines()[0][:120]} for q in plan.questions]

        return {
            "reviews": cards(self.reviews),
            "drills": [{"name": d.drill.name, "title": d.drill.title, "minutes": d.drill.minutes,
                        "folder": str(d.folder) if d.folder else None} for d in self.drills],
            "new": cards(self.new),
            "mistake_cards": [q.id for q in self.mistakes],
            "notice": self.notice,
        }

    @property
    def empty(self) -> bool:
        return not (self.reviews.questions or self.drills or self.new.questions)


def plan_day(store: Store, questions: list[Question], drills: dict[str, Drill], settings: Settings,
             now: datetime) -> DayPlan:
    """Today's reviews (mistake cards included), due drills and new cards."""
    mistakes = mistake_questions(store, drills)
    planned = plan_session(store, questions + mistakes, settings, now)
    queue = planned.queue
    reviews = Plan([q for q in queue.questions if q.id in queue.due_ids], set(queue.due_ids))
    new = Plan([q for q in queue.questions if q.id not in queue.due_ids])
    due = []
    for drill in due_drills(store, drills, now):
        run = store.open_drill_run(drill.name)
        due.append(DueDrill(drill, Path(run.folder) if run is not None else None))
    return DayPlan(reviews, due, new, planned.notice, mistakes)
