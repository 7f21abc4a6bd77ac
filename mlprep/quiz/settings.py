"""The learner's quiz settings: kept in the store, updated from the command line, validated here."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from mlprep.errors import MlprepError
from mlprep.quiz.scheduler import Settings
from mlprep.store import Store

# Settings remembered in the store once given on the command line.
REMEMBERED = {"retention": float, "new_per_day": int, "reviews_per_day": int}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr)?\s*$", re.I)


class SettingError(MlprepError):
    """A setting or option value that cannot be used (exit 2)."""


def parse_duration(text: str) -> timedelta:
    """'30m', '1h', '90s' or a bare number of minutes."""
    m = _DURATION_RE.match(text)
    if not m:
        raise SettingError(f"{text!r} is not a duration like 30m, 1h or 90s")
    value, unit = float(m.group(1)), (m.group(2) or "m").lower()
    seconds = value * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}[unit]
    if seconds <= 0:
        raise SettingError(f"{text!r}: a duration must be positive")
    return timedelta(seconds=seconds)


def parse_date(text: str) -> str:
    """An ISO date as text, or '' for 'none'/'off' (clears the interview date)."""
    if text.lower() in ("", "none", "off"):
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise SettingError(f"--interview-date: {text!r} is not a date like 2026-12-01 (or 'none')") from None


def load_settings(
    store: Store,
    retention: float | None = None,
    new: int | None = None,
    reviews: int | None = None,
    interview_date: str | None = None,
) -> Settings:
    """The scheduler settings kept in the store, updated (and saved) with any given here."""
    given = {"retention": retention, "new_per_day": new, "reviews_per_day": reviews}
    for key, value in given.items():
        if value is not None:
            store.set_setting(key, str(value))
    if interview_date is not None:
        store.set_setting("interview_date", parse_date(interview_date))
    values = {}
    for key, kind in REMEMBERED.items():
        raw = store.setting(key)
        if raw is not None:
            values[key] = kind(raw)
    when = store.setting("interview_date") or ""
    try:
        return Settings(**values, interview_date=date.fromisoformat(when) if when else None,
                        parameters=stored_parameters(store))
    except ValueError as exc:
        raise SettingError(str(exc)) from None


PARAMETERS_KEY = "fsrs_parameters"


def stored_parameters(store: Store) -> tuple[float, ...] | None:
    """The FSRS parameters `mlprep optimize` kept, or None (fsrs's defaults)."""
    raw = store.setting(PARAMETERS_KEY)
    if not raw:
        return None
    try:
        values = tuple(float(x) for x in json.loads(raw))
    except (ValueError, TypeError):
        raise SettingError(f"the stored FSRS parameters are not a list of numbers ({raw[:40]}...); "
                           "run `mlprep optimize --reset`") from None
    return values


def save_parameters(store: Store, parameters: tuple[float, ...] | None) -> None:
    """Keep fitted FSRS parameters for every later session (None: back to the defaults)."""
    store.set_setting(PARAMETERS_KEY, json.dumps([round(x, 6) for x in parameters]) if parameters else "")
