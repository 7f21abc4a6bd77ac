"""A learner's progress on drills: attempts (in the progress store) and hints seen."""

from __future__ import annotations

from mlprep.drills.catalog import Drill
from mlprep.drills.results import Results
from mlprep.store import open_store


def record_attempt(results: Results) -> None:
    """Log one graded attempt (committed at once)."""
    with open_store() as store:
        store.record_drill_attempt(
            results.drill, results.status.value, results.count_passed, results.count_failed,
            results.count_errors, len(results.tests), results.duration_s,
        )


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
