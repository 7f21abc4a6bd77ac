"""`mlprep drills`, `drill`, `grade`, `hint`, `solution`: the coding-drill commands.

rich's Markdown and Syntax (and the grader) are imported where they are used, so that
`mlprep --help` and the quiz do not pay for them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, err_console, print_json
from mlprep.drills import progress
from mlprep.drills.catalog import Drill, catalog, drill_for_file, find_drill
from mlprep.errors import MlprepError

NameArg = Annotated[str, typer.Argument(help="The drill's name, as listed by `mlprep drills`.", show_default=False)]
WATCH_POLL_S = 0.3
WIDE_TABLE = 110
MAX_WIDTHS = {"title": 44, "topic": 14}
HEADERS = {"difficulty": "level"}


def _status(record: dict | None) -> str:
    if record is None:
        return "new"
    return "solved" if record["solved"] else "attempted"


def list_drills(
    as_json: JsonOption = False,
    history: Annotated[str | None, typer.Option("--history", help="List your attempts (runs) at this drill instead.", show_default=False)] = None,
) -> None:
    """List the coding drills with your status (new / attempted / solved) and best result."""
    if history is not None:
        _history(find_drill(history), as_json)
        return
    drills = catalog()
    done = progress.attempts()
    rows = []
    for d in drills.values():
        rec = done.get(d.name)
        rows.append({"name": d.name, "title": d.title, "topic": d.topic, "difficulty": d.difficulty,
                     "framework": d.framework, "minutes": d.minutes, "status": _status(rec),
                     "attempts": rec["attempts"] if rec else 0,
                     "best": f"{rec['best_passed']}/{rec['total']}" if rec else None})
    if as_json:
        print_json(rows)
        return
    columns = ["name", "title", "topic", "difficulty", "framework", "status", "best"]
    if console.width < WIDE_TABLE:  # a narrow terminal: one line per drill, without the titles
        columns.remove("title")
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    for col in columns:
        table.add_column(HEADERS.get(col, col), no_wrap=True, overflow="ellipsis", max_width=MAX_WIDTHS.get(col))
    style = {"new": "dim", "attempted": "yellow", "solved": "green"}
    for r in rows:
        cells = {**r, "title": escape(r["title"]), "status": f"[{style[r['status']]}]{r['status']}[/]",
                 "best": r["best"] or ""}
        table.add_row(*(str(cells[c]) for c in columns))
    console.print(table)
    console.print("[dim]Start one with `mlprep drill NAME`.[/]")


def _history(drill: Drill, as_json: bool) -> None:
    from mlprep.commands.views import grade_report as report

    runs = progress.history(drill)
    if as_json:
        print_json([{"started_at": r.started_at.isoformat(), "folder": r.folder, "grades": r.grades,
                     "failed_grades": r.failed_grades, "ended_at": r.ended_at.isoformat() if r.ended_at else None,
                     "passed": r.passed, "rating": r.rating} for r in runs])
        return
    if not runs:
        console.print(f"No attempts at {escape(drill.name)} yet. Start one with `mlprep drill {escape(drill.name)}`.")
        return
    report.render_history(drill, runs, console)


def start_drill(
    name: NameArg,
    directory: Annotated[Path | None, typer.Option("--dir", help="Where to write the starter and examples (default: here; with --again a fresh folder under $MLPREP_HOME/workspace).", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files with fresh copies.")] = False,
    again: Annotated[bool, typer.Option("--again", help="Re-do the drill from a blank starter in a fresh folder; earlier attempts are kept (see `mlprep drills --history NAME`).")] = False,
) -> None:
    """Show a drill's prompt and write its starter file and public examples (never overwriting)."""
    from datetime import date

    from rich.markdown import Markdown

    from mlprep.drills.scaffold import fresh_folder, write_starter

    drill = find_drill(name)
    if again:
        directory = fresh_folder(drill, date.today(), directory)
    directory = directory or Path(".")
    done = write_starter(drill, directory, force=force)
    progress.start_run(drill, directory, again=again)
    console.print(f"[dim]{escape(drill.topic)} · {drill.difficulty} · {drill.framework} · ~{drill.minutes} min[/]")
    console.print(Markdown(drill.prompt))
    for path in done.kept:
        console.print(f"kept your [bold]{escape(str(path))}[/] (--force replaces it)")
    for path in done.written:
        console.print(f"wrote [bold]{escape(str(path))}[/]")
    console.print(f"Edit it, run the examples with [bold]pytest {escape(str(directory))}[/], then "
                  f"[bold]mlprep grade {escape(str(done.starter))}[/].")


def grade_once(file: Path, drill: Drill, timeout: float | None, as_json: bool) -> int:
    from mlprep.commands.views import grade_report as report
    from mlprep.drills import runner

    progress.check_store()  # a broken progress database fails now, not after every test ran
    results = runner.run(drill, file, timeout)
    outcome = progress.record_grade(drill, results)
    if as_json:
        print_json(results.as_json())
    else:
        seen, total = progress.hints_seen(drill), len(drill.hints())
        report.render(results, console, (seen + 1, total) if seen < total else None)
        report.render_schedule(outcome, console)
    return 0 if results.status.value == "pass" else 1


def grade(
    file: Annotated[Path, typer.Argument(help="Your solution file.", show_default=False)],
    drill_name: Annotated[str | None, typer.Option("--drill", help="The drill, if the file's first line does not say.")] = None,
    as_json: JsonOption = False,
    watch: Annotated[bool, typer.Option("--watch", help="Grade again every time the file is saved (Ctrl-C stops).")] = False,
    timeout: Annotated[float | None, typer.Option("--timeout", min=0.1, help="Seconds each test may run (default: the drill's).")] = None,
) -> None:
    """Grade your solution against the drill's examples and hidden tests, in a sandbox."""
    from mlprep.drills.runner import read_solution

    if file.is_dir():
        raise MlprepError("is a folder; give the solution file inside it, e.g. mlprep grade top_k.py", path=file)
    if not file.exists():
        raise MlprepError("no such file", path=file)
    read_solution(file)  # a regular file of at most 1 MB, checked before anything reads it
    if watch and as_json:
        raise typer.BadParameter("--watch and --json do not go together", param_hint="--watch")
    drill = drill_for_file(file, drill_name)
    code = grade_once(file, drill, timeout, as_json)
    if not watch:
        raise typer.Exit(code)
    from mlprep.fileio import Watched

    console.print(f"[dim]watching {escape(str(file))}; Ctrl-C stops[/]")
    watched = Watched(file)
    try:
        while True:
            time.sleep(WATCH_POLL_S)
            if watched.changed():
                console.rule(time.strftime("%H:%M:%S"))
                code = grade_once(file, drill, timeout, False)
                console.print(f"[dim]watching {escape(str(file))}; Ctrl-C stops[/]")
    except KeyboardInterrupt:
        raise typer.Exit(code) from None


def hint(name: NameArg) -> None:
    """Show the drill's next hint (one more each time you ask)."""
    from rich.markdown import Markdown

    drill = find_drill(name)
    nxt = progress.next_hint(drill)
    if nxt is None:
        console.print(f"No more hints for {escape(drill.name)}. The reference solution: "
                      f"[bold]mlprep solution {escape(drill.name)}[/]")
        return
    number, total, text = nxt
    console.print(f"[bold]Hint {number} of {total}[/]")
    console.print(Markdown(text))


def solution(
    name: NameArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Show it even if you have not attempted the drill.")] = False,
) -> None:
    """Show the drill's reference solution (asks first if you have not attempted it)."""
    from rich.syntax import Syntax

    drill = find_drill(name)
    if not yes and drill.name not in progress.attempts():
        if not sys.stdin.isatty():
            raise MlprepError(f"you have not attempted {drill.name} yet; pass --yes to see the solution anyway")
        if not typer.confirm(f"You have not attempted {drill.name} yet. Show the solution anyway?", default=False):
            err_console.print("Not shown.")
            raise typer.Exit(1)
    source = drill.solution.read_text(encoding="utf-8")
    if not sys.stdout.isatty():  # `mlprep solution X > file.py`: the code exactly, never wrapped or styled
        sys.stdout.write(source)
        return
    console.print(Syntax(source, "python", line_numbers=False))
