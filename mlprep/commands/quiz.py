"""`mlprep quiz`: today's spaced-repetition session, cram and weakest sessions, mock interviews."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mlprep.commands.common import (
    BankNameOption,
    BankOption,
    DifficultyOption,
    KindOption,
    SearchOption,
    SourceOption,
    TagOption,
    TopicOption,
    make_filter,
    selected_questions,
)
from mlprep.console import console, err_console

if TYPE_CHECKING:
    from mlprep.scheduler import Settings
    from mlprep.store import Store

# Settings remembered in the store once given on the command line.
_REMEMBERED = {"retention": float, "new_per_day": int, "reviews_per_day": int}
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr)?\s*$", re.I)


def parse_duration(text: str) -> timedelta:
    """'30m', '1h', '90s' or a bare number of minutes."""
    m = _DURATION_RE.match(text)
    if not m:
        raise typer.BadParameter(f"{text!r} is not a duration like 30m, 1h or 90s", param_hint="--mock")
    value, unit = float(m.group(1)), (m.group(2) or "m").lower()
    seconds = value * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}[unit]
    if seconds <= 0:
        raise typer.BadParameter("the mock interview needs a positive duration", param_hint="--mock")
    return timedelta(seconds=seconds)


def load_settings(
    store: Store,
    retention: float | None = None,
    new: int | None = None,
    reviews: int | None = None,
    interview_date: str | None = None,
) -> Settings:
    """The scheduler settings kept in the store, updated (and saved) with any given here."""
    from mlprep.scheduler import Settings

    given = {"retention": retention, "new_per_day": new, "reviews_per_day": reviews}
    for key, value in given.items():
        if value is not None:
            store.set_setting(key, str(value))
    if interview_date is not None:
        store.set_setting("interview_date", _parse_date(interview_date))
    values = {}
    for key, kind in _REMEMBERED.items():
        raw = store.setting(key)
        if raw is not None:
            values[key] = kind(raw)
    when = store.setting("interview_date") or ""
    try:
        return Settings(**values, interview_date=date.fromisoformat(when) if when else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _parse_date(text: str) -> str:
    if text.lower() in ("", "none", "off"):
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-12-01 (or 'none')", param_hint="--interview-date") from None


def _now() -> datetime:
    return datetime.now().astimezone()


def quiz(
    limit: Annotated[int | None, typer.Option("-n", "--limit", min=1, help="At most this many different cards (a card rated Again comes back on top).")] = None,
    topic: TopicOption = None,
    tag: TagOption = None,
    difficulty: DifficultyOption = None,
    kind: KindOption = None,
    from_bank: BankNameOption = None,
    source: SourceOption = None,
    search: SearchOption = None,
    bank: BankOption = None,
    mode: Annotated[str, typer.Option("--mode", "-m", help="flash (self-rated), choice (pick an option where the card has choices) or type (type your answer, get a score).")] = "flash",
    mock: Annotated[str | None, typer.Option("--mock", help="A mock interview of this length (e.g. 30m): mixed topics, a clock, a report per topic.")] = None,
    cram: Annotated[bool, typer.Option("--cram", help="Go through the selected cards whatever their schedule; logged as cram, the schedule is not changed.")] = False,
    weakest: Annotated[int | None, typer.Option("--weakest", min=1, help="Cram the N seen cards you are most likely to have forgotten.")] = None,
    new: Annotated[int | None, typer.Option("--new", min=0, help="New cards per day (remembered).")] = None,
    reviews: Annotated[int | None, typer.Option("--reviews", min=0, help="Reviews per day (remembered).")] = None,
    retention: Annotated[float | None, typer.Option("--retention", min=0.7, max=0.99, help="Desired retention, 0.7-0.99 (remembered; default 0.9).")] = None,
    interview_date: Annotated[str | None, typer.Option("--interview-date", help="YYYY-MM-DD: meet every card before it and keep intervals short of it (remembered; 'none' clears).")] = None,
) -> None:
    """Today's session: due reviews first, then new cards. Keys: Space/Enter reveal, 1-4 rate,
    s skip, u undo, b bury, x suspend, q quit. Reads keys from stdin when it is not a terminal."""
    from mlprep.quiz import queue
    from mlprep.quiz.keys import Keys
    from mlprep.quiz.session import MODES, Session
    from mlprep.quiz.terminal import TerminalQuiz
    from mlprep.scheduler import daily_targets, day_start
    from mlprep.store import open_store

    if mode not in MODES:
        raise typer.BadParameter(f"{mode!r} is not one of {', '.join(MODES)}", param_hint="--mode")
    if sum(bool(x) for x in (mock, cram, weakest)) > 1:
        raise typer.BadParameter("use only one of --mock, --cram and --weakest")
    time_limit = parse_duration(mock) if mock else None
    flt = make_filter(topic, tag, difficulty, kind, from_bank, source, search)
    questions = selected_questions(bank, flt)
    now = _now()
    with open_store() as store:
        settings = load_settings(store, retention, new, reviews, interview_date)
        cards = store.cards()
        if weakest:
            plan = queue.weakest(questions, cards, now, weakest)
        elif cram:
            plan = queue.cram(questions, cards, now, limit=limit)
        elif mock:
            plan = queue.mock(questions, cards, now, random.Random(), limit=limit)
        else:
            unseen = sum(1 for q in questions if q.id not in cards and not q.unanswered)
            targets = daily_targets(settings, now, unseen)
            start = day_start(now)
            plan = queue.today(
                questions, cards, now, limit=limit,
                new_left=targets.new - store.count_reviews(start, new=True),
                reviews_left=targets.reviews - store.count_reviews(start, new=False),
            )
            if targets.days_to_interview:
                err_console.print(f"{targets.days_to_interview} days to the interview: {targets.new} new cards a day")
        if not plan.questions:
            err_console.print(_nothing_to_do(questions, cards, now, plan.cram))
            return
        session = Session(store, plan, settings, _now, mode=mode, time_limit=time_limit)
        outcome = TerminalQuiz(session, console, Keys()).run()
        _summary(session, outcome)


def _nothing_to_do(questions, cards, now: datetime, cram: bool) -> str:
    if not questions:
        return "No questions match these filters."
    if cram:
        return "No cards to go through: all are suspended or buried, or (for --weakest) none was seen yet."
    upcoming = [cards[q.id].due for q in questions if q.id in cards and not cards[q.id].suspended]
    later = [d for d in upcoming if d > now]
    hint = f" The next card is due {min(later).astimezone():%Y-%m-%d %H:%M}." if later else ""
    return f"Nothing due now and no new cards left for today.{hint} More: --cram, --weakest N or --new N."


def _summary(session, outcome: str) -> None:
    from mlprep.scheduler import RATINGS

    given = session.given
    if outcome == "time":
        console.print("[bold]Time is up.[/]")
    counts = {name: sum(1 for g in given if g.rating == r) for r, name in RATINGS.items()}
    detail = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    console.print(f"Rated {len(given)} card(s){': ' + detail if detail else ''}. Progress is saved.")
    if session.time_limit is None or not (session.given or session.skipped):
        return
    table = Table(title="Mock interview report", header_style="bold")
    for col in ("topic", "rated", "good or easy", "mean rating", "seconds", "skipped"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for name, t in session.report().items():
        share = "-" if t["good_share"] is None else f"{t['good_share']:.0%}"
        table.add_row(name, str(t["rated"]), share, str(t["mean_rating"] or "-"), str(t["seconds"]), str(t["skipped"]))
    console.print(table)


def unsuspend(
    ids: Annotated[list[str] | None, typer.Argument(help="Question ids to bring back (see `mlprep stats` for leeches).", show_default=False)] = None,
    all_cards: Annotated[bool, typer.Option("--all", help="Unsuspend every suspended card.")] = False,
) -> None:
    """Bring suspended cards (and leeches) back into quiz sessions."""
    from mlprep.errors import MlprepError
    from mlprep.store import open_store

    if not ids and not all_cards:
        raise typer.BadParameter("give question ids, or --all")
    with open_store() as store:
        done = store.unsuspend(None if all_cards else ids)
    missing = sorted(set(ids or []) - set(done))
    if missing:
        raise MlprepError(f"not suspended (or never seen): {', '.join(missing)}; nothing to do for them")
    console.print(f"Unsuspended {len(done)} card(s).")
