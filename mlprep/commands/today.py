"""`mlprep today`: the day's session — due reviews, then due drills, then new cards.

In a terminal it runs the session; otherwise (a pipe, a script, cron) it prints the plan as text, or
as JSON with ``--json``, and exits. Stopping at any point loses nothing: ratings are committed as
they are given, and a drill's run stays open in its folder until it passes or is given up.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from mlprep.commands.common import JsonOption, Selection, with_selection
from mlprep.commands.views.console import console, err_console, print_json

POLL_S = 0.3


def _now() -> datetime:
    return datetime.now().astimezone()


@with_selection
def today(
    selection: Selection,
    as_json: JsonOption = False,
    plan_only: Annotated[bool, typer.Option("--plan", help="Print the plan and exit, even in a terminal.")] = False,
) -> None:
    """The day's session: due reviews, then due drills (edit, save, graded), then new cards."""
    from mlprep.drills.catalog import catalog
    from mlprep.quiz.settings import load_settings
    from mlprep.quiz.today import plan_day
    from mlprep.store import open_store

    questions = selection.questions()
    drills = catalog()
    with open_store() as store:
        settings = load_settings(store)
        day = plan_day(store, questions, drills, settings, _now())
    if as_json:
        print_json(day.as_json())
        return
    if plan_only or not sys.stdin.isatty():
        _print_plan(day)
        return
    _run_day(day, settings)


def _print_plan(day) -> None:
    from collections import Counter

    if day.notice:
        console.print(day.notice)
    if day.empty:
        console.print("Nothing due today: no reviews, no drills, no new cards left. More: `mlprep quiz --cram`.")
        return
    topics = Counter(q.topic for q in day.reviews.questions)
    detail = ", ".join(f"{n} {t}" for t, n in topics.most_common(4))
    console.print(f"[bold]1. Reviews:[/] {len(day.reviews.questions)} card(s) due" + (f" ({detail})" if detail else ""))
    console.print(f"[bold]2. Drills:[/] {len(day.drills)} due")
    for d in day.drills:
        where = f" — continue in {escape(str(d.folder))}" if d.folder else ""
        console.print(f"   {escape(d.drill.name)}: {escape(d.drill.title)} (~{d.drill.minutes} min){where}")
    console.print(f"[bold]3. New cards:[/] {len(day.new.questions)}"
                  + (f", {len(day.mistakes)} from your drill mistakes" if day.mistakes else ""))
    console.print("[dim]Run `mlprep today` in a terminal to go through it.[/]")


def _quiz(plan, settings) -> str:
    from mlprep.commands.views.keys import Keys
    from mlprep.commands.views.quiz_screen import TerminalQuiz
    from mlprep.quiz.session import Session
    from mlprep.store import open_store

    if not plan.questions:
        return "done"
    with open_store() as store:
        session = Session(store, plan, settings, _now)
        outcome = TerminalQuiz(session, console, Keys()).run()
        console.print(f"Rated {len(session.given)} card(s). Progress is saved.")
    return outcome


def _run_day(day, settings) -> None:
    _print_plan(day)
    if day.empty:
        return
    stopped = "Stopped; run `mlprep today` again to carry on where you left off."
    if _quiz(day.reviews, settings) == "quit":
        err_console.print(stopped)
        return
    for due in day.drills:
        if not _drill(due):
            err_console.print(stopped)
            return
    if _quiz(day.new, settings) == "quit":
        err_console.print(stopped)
        return
    console.print("[bold green]Done for today.[/]")


def _drill(due) -> bool:
    """One due drill: a fresh folder (or the open run's), then grade on every save until it passes.
    Keys: h the next hint, n give up and move on (rated Again), q stop for now. False on q."""
    from rich.markdown import Markdown

    from mlprep.commands.drills import grade_once
    from mlprep.commands.views.keys import CTRL_C, CTRL_D, Keys
    from mlprep.drills import progress
    from mlprep.fileio import Watched

    drill = due.drill
    folder = due.folder
    if folder is not None and (folder / f"{drill.module}.py").is_file():
        file = folder / f"{drill.module}.py"
    else:
        file = progress.fresh_attempt(drill, date.today())
    console.rule(f"drill: {drill.name}")
    console.print(Markdown(drill.prompt))
    console.print(f"Edit [bold]{escape(str(file))}[/]; every save is graded. "
                  "[dim]h hint · n give up and move on · q stop for now[/]", soft_wrap=True)
    keys = Keys()
    watched = Watched(file)
    while True:
        try:
            key = keys.key_within(POLL_S)
        except KeyboardInterrupt:
            key = "q"
        if key in ("q", CTRL_C, CTRL_D):
            return False
        if key == "n":
            progress.give_up(drill)
            console.print(f"[yellow]{escape(drill.name)} given up for today[/] (rated Again; it comes back soon).")
            return True
        if key == "h":
            nxt = progress.next_hint(drill)
            console.print(Markdown(f"**Hint {nxt[0]} of {nxt[1]}:** {nxt[2]}") if nxt else "No more hints.")
        if watched.changed():
            time.sleep(0.05)  # let the editor finish writing
            console.rule(time.strftime("%H:%M:%S"))
            if grade_once(Path(file), drill, None, False) == 0:
                return True
