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
from mlprep.console import console, err_console, print_json
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


def list_drills(as_json: JsonOption = False) -> None:
    """List the coding drills with your status (new / attempted / solved) and best result."""
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


def start_drill(
    name: NameArg,
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the starter and examples.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files with fresh copies.")] = False,
) -> None:
    """Show a drill's prompt and write its starter file and public examples (never overwriting)."""
    from rich.markdown import Markdown

    drill = find_drill(name)
    if directory.exists() and not directory.is_dir():
        raise MlprepError("not a folder", path=directory)
    directory.mkdir(parents=True, exist_ok=True)
    targets = {directory / f"{drill.module}.py": drill.starter.read_text(encoding="utf-8")}
    for example in sorted(drill.examples_dir.glob("test_*.py")):
        suffix = example.stem.removeprefix("test_")
        targets[directory / f"test_{drill.name}_{suffix}.py"] = example.read_text(encoding="utf-8")
    console.print(f"[dim]{escape(drill.topic)} · {drill.difficulty} · {drill.framework} · ~{drill.minutes} min[/]")
    console.print(Markdown(drill.prompt))
    for path, text in targets.items():
        if path.exists() and not force:
            console.print(f"kept your [bold]{escape(str(path))}[/] (--force replaces it)")
            continue
        path.write_text(text, encoding="utf-8")
        console.print(f"wrote [bold]{escape(str(path))}[/]")
    starter = next(iter(targets))
    console.print(f"Edit it, run the examples with [bold]pytest {escape(str(directory))}[/], then "
                  f"[bold]mlprep grade {escape(str(starter))}[/].")


def _grade_once(file: Path, drill: Drill, timeout: float | None, as_json: bool) -> int:
    from mlprep.drills import report, runner

    results = runner.run(drill, file, timeout)
    progress.record_attempt(results)
    if as_json:
        print_json(results.as_json())
    else:
        seen, total = progress.hints_seen(drill), len(drill.hints())
        report.render(results, console, (seen + 1, total) if seen < total else None)
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

    if not file.exists():
        raise MlprepError("no such file", path=file)
    read_solution(file)  # a regular file of at most 1 MB, checked before anything reads it
    if watch and as_json:
        raise typer.BadParameter("--watch and --json do not go together", param_hint="--watch")
    drill = drill_for_file(file, drill_name)
    code = _grade_once(file, drill, timeout, as_json)
    if not watch:
        raise typer.Exit(code)
    console.print(f"[dim]watching {escape(str(file))}; Ctrl-C stops[/]")
    stamp = file.stat().st_mtime_ns
    try:
        while True:
            time.sleep(WATCH_POLL_S)
            try:
                now = file.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            if now != stamp:
                stamp = now
                console.rule(time.strftime("%H:%M:%S"))
                code = _grade_once(file, drill, timeout, False)
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
    console.print(Syntax(drill.solution.read_text(encoding="utf-8"), "python", line_numbers=False))
