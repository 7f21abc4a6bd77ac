"""`mlprep quiz`: today's spaced-repetition session, cram and weakest sessions, mock interviews."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mlprep.commands.common import BankOption, Selection, with_selection
from mlprep.commands.views.console import console, err_console


def _typed_judge(store, spec: str | None):
    """The optional judge of typed answers: ``--judge`` (then remembered), else the remembered one."""
    from mlprep.quiz.llm_judge import load_judge

    if spec is not None:
        store.set_setting("judge", spec)
    return load_judge(store.setting("judge"))


def _now() -> datetime:
    return datetime.now().astimezone()


@with_selection
def quiz(
    selection: Selection,
    limit: Annotated[int | None, typer.Option("-n", "--limit", min=1, help="At most this many different cards (a card rated Again comes back on top).")] = None,
    mode: Annotated[str, typer.Option("--mode", "-m", help="flash (self-rated), choice (pick an option where the card has choices) or type (type your answer, get a score).")] = "flash",
    mock: Annotated[str | None, typer.Option("--mock", help="A mock interview of this length (e.g. 30m): mixed topics, a clock, a report per topic.")] = None,
    cram: Annotated[bool, typer.Option("--cram", help="Go through the selected cards whatever their schedule; logged as cram, the schedule is not changed.")] = False,
    weakest: Annotated[int | None, typer.Option("--weakest", min=1, help="Cram the N seen cards you are most likely to have forgotten.")] = None,
    new: Annotated[int | None, typer.Option("--new", min=0, help="New cards per day (remembered).")] = None,
    reviews: Annotated[int | None, typer.Option("--reviews", min=0, help="Reviews per day (remembered).")] = None,
    retention: Annotated[float | None, typer.Option("--retention", min=0.7, max=0.99, help="Desired retention, 0.7-0.99 (remembered; default 0.9).")] = None,
    interview_date: Annotated[str | None, typer.Option("--interview-date", help="YYYY-MM-DD: meet every card before it and keep intervals short of it (remembered; 'none' clears).")] = None,
    judge: Annotated[str | None, typer.Option("--judge", help="Who judges typed answers: rubric (built in, the default), ollama:MODEL[@URL] (a local ollama server) or llama-cpp:FILE.gguf (remembered).")] = None,
) -> None:
    """Today's session: due reviews first, then new cards. Keys: Space/Enter reveal, 1-4 rate,
    s skip, u undo (any last action), b bury, x suspend, i card id and source, q quit. Reads keys
    from stdin when it is not a terminal."""
    from mlprep.commands.views.keys import Keys
    from mlprep.commands.views.quiz_screen import TerminalQuiz
    from mlprep.quiz.plan import nothing_to_do, plan_session
    from mlprep.quiz.session import MODES, Session
    from mlprep.quiz.settings import load_settings, parse_duration
    from mlprep.store import open_store

    if mode not in MODES:
        raise typer.BadParameter(f"{mode!r} is not one of {', '.join(MODES)}", param_hint="--mode")
    if sum(bool(x) for x in (mock, cram, weakest)) > 1:
        raise typer.BadParameter("use only one of --mock, --cram and --weakest")
    time_limit = parse_duration(mock) if mock else None
    questions = selection.questions()
    now = _now()
    with open_store() as store:
        settings = load_settings(store, retention, new, reviews, interview_date)
        planned = plan_session(store, questions, settings, now, limit=limit, cram=cram, weakest=weakest,
                               mock=bool(mock))
        if planned.notice:
            err_console.print(planned.notice)
        if not planned.queue.questions:
            err_console.print(nothing_to_do(questions, store.cards(), now, planned.queue.cram))
            return
        session = Session(store, planned.queue, settings, _now, mode=mode, time_limit=time_limit,
                          judge=_typed_judge(store, judge) if mode == "type" else None)
        try:
            outcome = TerminalQuiz(session, console, Keys()).run()
        finally:
            session.close()
        _summary(session, outcome)


def _summary(session, outcome: str) -> None:
    from mlprep.quiz.scheduler import RATINGS

    given = session.given
    if outcome == "time":
        console.print("[bold]Time is up.[/]")
    counts = {name: sum(1 for g in given if g.rating == r) for r, name in RATINGS.items()}
    detail = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    console.print(f"Rated {len(given)} card(s){': ' + detail if detail else ''}. Progress is saved.")
    if session.time_limit is None:
        return
    report = session.report()
    table = Table(title=f"Mock interview report: {len(given)} card(s) answered", header_style="bold")
    for col in ("topic", "rated", "score (good or easy)", "mean rating", "seconds", "skipped"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for name, t in report.items():
        share = "-" if t["good_share"] is None else f"{t['good_share']:.0%}"
        table.add_row(escape(name), str(t["rated"]), share, str(t["mean_rating"] or "-"), str(t["seconds"]),
                      str(t["skipped"]))
    if not report:
        table.add_row("(no card answered)", "0", "-", "-", "0", "0")
    console.print(table)


def unsuspend(
    ids: Annotated[list[str] | None, typer.Argument(help="Question ids to bring back; none: list the suspended cards (`i` in the quiz shows a card's id).", show_default=False)] = None,
    all_cards: Annotated[bool, typer.Option("--all", help="Unsuspend every suspended card.")] = False,
    bank: BankOption = None,
) -> None:
    """Bring suspended cards (and leeches) back into quiz sessions; with no ids, list them."""
    from mlprep.errors import MlprepError
    from mlprep.store import open_store

    if not ids and not all_cards:
        _list_suspended(bank)
        return
    with open_store() as store:
        done = store.unsuspend(None if all_cards else ids)
    missing = sorted(set(ids or []) - set(done))
    if missing:
        raise MlprepError(f"not suspended (or never seen): {', '.join(missing)}; "
                          "`mlprep unsuspend` with no ids lists the suspended cards")
    console.print(f"Unsuspended {len(done)} card(s).")


def _list_suspended(bank) -> None:
    from mlprep.bank.loader import load_questions
    from mlprep.store import open_store

    with open_store() as store:
        rows = store.suspended()
    if not rows:
        console.print("No card is suspended.")
        return
    texts = {q.id: q.question for q in load_questions(bank or None)}
    table = Table(title=f"{len(rows)} suspended card(s): `mlprep unsuspend ID...` or `--all` brings them back",
                  header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("topic")
    table.add_column("question", overflow="fold")
    for row in rows:
        text = texts.get(row.qid, "(not in the current banks)").strip().splitlines()[0]
        table.add_row(escape(row.qid) + (" (leech)" if row.leech else ""), escape(row.topic), escape(text))
    console.print(table)
