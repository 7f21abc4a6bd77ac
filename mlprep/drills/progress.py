"""A learner's progress on drills: attempts and runs (in the progress store), hints seen, schedule."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mlprep.drills.catalog import Drill
from mlprep.drills.results import Results
from mlprep.store import DrillRun, open_store

if TYPE_CHECKING:  # the schedule pulls in numpy (through the comparisons): imported when a grade is recorded
    from mlprep.drills.schedule import GradeOutcome


def _now() -> datetime:
    return datetime.now().astimezone()


def check_store() -> None:
    """Open the progress database (creating or migrating it): a broken one fails before any test runs."""
    with open_store():
        pass


def record_grade(drill: Drill, results: Results, now: datetime | None = None) -> GradeOutcome:
    """Log one graded attempt and move the drill's run and schedule on (committed at once)."""
    from mlprep.drills import schedule
    from mlprep.quiz.settings import load_settings

    now = now or _now()
    with open_store() as store:
        store.record_drill_attempt(
            results.drill, results.status.value, results.count_passed, results.count_failed,
            results.count_errors, len(results.tests), results.duration_s,
        )
        seen = int(store.setting(_hint_key(drill), "0") or 0)
        return schedule.after_grade(store, drill, results, now, load_settings(store), seen)


def start_run(drill: Drill, folder: Path, *, again: bool, now: datetime | None = None) -> None:
    """Begin a run in ``folder``: always with ``again`` (an open run is given up), else only when
    no run of this drill is open."""
    from mlprep.drills import schedule
    from mlprep.quiz.settings import load_settings

    now = now or _now()
    with open_store() as store:
        if not again and store.open_drill_run(drill.name) is not None:
            return
        seen = int(store.setting(_hint_key(drill), "0") or 0)
        schedule.start_run(store, drill, folder.resolve(), now, load_settings(store), seen)


def give_up(drill: Drill, now: datetime | None = None) -> bool:
    """End the drill's open run without a pass (rated Again); False when none was open."""
    from mlprep.drills import schedule
    from mlprep.quiz.settings import load_settings

    with open_store() as store:
        return schedule.give_up(store, drill, now or _now(), load_settings(store))


def fresh_attempt(drill: Drill, today: date) -> Path:
    """A blank starter in a fresh workspace folder and a run begun there (an open one given up);
    the learner's file to edit."""
    from mlprep.drills.scaffold import fresh_folder, write_starter

    folder = fresh_folder(drill, today)
    done = write_starter(drill, folder)
    start_run(drill, folder, again=True)
    return done.starter


def history(drill: Drill) -> list[DrillRun]:
    with open_store() as store:
        return store.drill_runs(drill.name)


def attempts() -> dict[str, dict]:
    """Per drill: attempts, best_passed, total, solved, last_at (drills never tried are absent)."""
    with open_store() as store:
        return store.drill_results()


def _hint_key(drill: Drill) -> str:
    return f"drill_hints_seen:{drill.name}"


def hints_seen(drill: Drill) -> int:
    with open_store() as store:
        return int(store.setting(_hint_key(drill), "0") or 0)


def next_hint(drill: Drill) -> tuple[int, int, str] | None:
    """The next unseen hint as (number, total, text), marking it seen; None when all were shown."""
    hints = drill.hints()
    with open_store() as store:
        seen = int(store.setting(_hint_key(drill), "0") or 0)
        if seen >= len(hints):
            return None
        store.set_setting(_hint_key(drill), str(seen + 1))
    return seen + 1, len(hints), hints[seen]
