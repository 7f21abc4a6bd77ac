"""`mlprep mock DURATION`: a mock interview — questions, then a coding round, one report.

The first half (at least five minutes go to the drill) asks mixed questions on a clock; the rest is
one drill from a blank file, opened in ``$EDITOR`` when set, else watched while you edit it, and
graded when you say done or when time is up. Ctrl-C or the clock always ends in the report, which
is kept in the progress database (`mlprep stats` lists past mocks).
"""

from __future__ import annotations

import os
import random
import shlex
import subprocess
import time
from datetime import date, datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape

from mlprep.commands.common import Selection, with_selection
from mlprep.commands.views.console import console, err_console

POLL_S = 0.3


def _now() -> datetime:
    return datetime.now().astimezone()


@with_selection
def mock(
    duration: Annotated[str, typer.Argument(help="How long, e.g. 45m or 1h (at least 5 minutes go to the drill).")],
    selection: Selection,
    mode: Annotated[str, typer.Option("--mode", "-m", help="How questions are answered: type or choice.")] = "type",
    coding: Annotated[str | None, typer.Option("--coding", help="Time for the coding round (default: half, at least 5 minutes).")] = None,
) -> None:
    """A timed mock interview: a block of questions, then a coding drill, then one report."""
    from mlprep.quiz.mock import split_time
    from mlprep.quiz.settings import parse_duration

    if mode not in ("type", "choice"):
        raise typer.BadParameter(f"{mode!r} is not type or choice", param_hint="--mode")
    total = parse_duration(duration)
    questions_time, coding_time = split_time(total, parse_duration(coding) if coding else None)
    questions = selection.questions()
    started = time.monotonic()
    console.print(f"[bold]Mock interview[/], {total.total_seconds() / 60:.0f} min: questions for "
                  f"{questions_time.total_seconds() / 60:.0f} min, then a drill for {coding_time.total_seconds() / 60:.0f} min.")
    topics, stopped = _question_round(questions, questions_time, mode)
    drill = None
    if stopped != "quit":
        left = total - timedelta(seconds=time.monotonic() - started)
        drill, stopped = _coding_round(selection.values.get("topic"), left)
    _report(total, topics, drill, stopped)


def _question_round(questions, limit: timedelta, mode: str) -> tuple[dict, str]:
    from mlprep.commands.views.keys import Keys
    from mlprep.commands.views.quiz_screen import TerminalQuiz
    from mlprep.quiz.plan import plan_session
    from mlprep.quiz.session import Session
    from mlprep.quiz.settings import load_settings
    from mlprep.store import open_store

    with open_store() as store:
        settings = load_settings(store)
        planned = plan_session(store, questions, settings, _now(), mock=True, rng=random.Random())
        if not planned.queue.questions:
            err_console.print("No questions match these filters; straight to the drill.")
            return {}, "done"
        session = Session(store, planned.queue, settings, _now, mode=mode, time_limit=limit)
        outcome = TerminalQuiz(session, console, Keys()).run()
        return session.report(), outcome


def _coding_round(topics: list[str] | None, left: timedelta) -> tuple[dict | None, str]:
    from rich.markdown import Markdown

    from mlprep.commands.views.keys import CTRL_C, CTRL_D, Keys
    from mlprep.drills import progress
    from mlprep.drills.catalog import catalog
    from mlprep.quiz.mock import choose_drill

    solved = {name for name, r in progress.attempts().items() if r["solved"]}
    drill = choose_drill(catalog(), solved, left.total_seconds() / 60, random.Random(), topics)
    if drill is None:
        return None, "done"
    file = progress.fresh_attempt(drill, date.today())
    console.rule(f"coding round: {drill.name}")
    console.print(Markdown(drill.prompt))
    deadline = time.monotonic() + left.total_seconds()
    began = time.monotonic()
    stopped = "done"
    editor = os.environ.get("EDITOR")
    try:
        if editor:
            console.print(f"Opening {escape(str(file))} in {escape(editor)}; save and quit the editor when done.",
                          soft_wrap=True)
            proc = subprocess.Popen([*shlex.split(editor), str(file)])
            while proc.poll() is None:
                if time.monotonic() >= deadline:
                    proc.terminate()  # what was saved is graded
                    stopped = "time"
                    break
                time.sleep(POLL_S)
        else:
            console.print(f"Write your solution in [bold]{escape(str(file))}[/] and save it. "
                          f"[dim]d done, grade it now · q end the mock · {left.total_seconds() / 60:.0f} min[/]",
                          soft_wrap=True)
            keys = Keys()
            while True:
                if time.monotonic() >= deadline:
                    stopped = "time"
                    break
                key = keys.key_within(POLL_S)
                if key == "d":
                    break
                if key in ("q", CTRL_C, CTRL_D):
                    stopped = "quit"
                    break
    except KeyboardInterrupt:
        stopped = "quit"
    if stopped == "time":
        console.print("[bold]Time is up.[/] Grading what you saved.")
    seconds = time.monotonic() - began
    return _grade(drill, file, seconds), stopped


def _grade(drill, file, seconds: float) -> dict:
    from mlprep.commands.views import grade_report as report
    from mlprep.drills import progress, runner

    results = runner.run(drill, file, None)
    outcome = progress.record_grade(drill, results)
    report.render(results, console, None)
    report.render_schedule(outcome, console)
    return {"name": drill.name, "title": drill.title, "status": results.status.value,
            "passed": results.count_passed, "total": len(results.tests), "seconds": round(seconds, 1),
            "minutes_allowed": drill.minutes, "file": str(file)}


def _report(total: timedelta, topics: dict, drill: dict | None, stopped: str) -> None:
    from rich.table import Table

    from mlprep.quiz.mock import build_report
    from mlprep.store import open_store

    rep = build_report(minutes=round(total.total_seconds() / 60, 1), topics=topics, drill=drill, stopped=stopped)
    with open_store() as store:
        store.record_mock(_now(), rep)
    table = Table(title="Mock interview report", header_style="bold")
    for col in ("topic", "answered", "good or easy", "mean rating", "seconds"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for name, t in topics.items():
        share = "-" if t["good_share"] is None else f"{t['good_share']:.0%}"
        table.add_row(escape(name), str(t["rated"]), share, str(t["mean_rating"] or "-"), str(t["seconds"]))
    console.print(table)
    if drill:
        verdict = "passed" if drill["status"] == "pass" else f"{drill['passed']}/{drill['total']} tests passed"
        console.print(f"Drill [bold]{escape(drill['name'])}[/]: {verdict} in {drill['seconds'] / 60:.1f} min "
                      f"(a prepared candidate: ~{drill['minutes_allowed']} min).")
    if rep["review_next"]:
        console.print("Review next: " + "; ".join(escape(x) for x in rep["review_next"]))
    console.print(f"[dim]{rep['answered']} question(s) answered; the report is saved (see `mlprep stats`).[/]")
