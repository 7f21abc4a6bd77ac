"""The grading report for the terminal: one line per test, why it failed, totals, the next hint."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from mlprep.drills.catalog import Drill
from mlprep.drills.results import Results, Status
from mlprep.drills.schedule import GradeOutcome
from mlprep.store import DrillRun

MARKS = {Status.PASS: "[green]✓[/]", Status.FAIL: "[red]✗[/]", Status.ERROR: "[bold red]![/]"}
OUTPUT_LINES = 15


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def render(results: Results, console: Console, hint: tuple[int, int] | None = None) -> None:
    """Print ``results``; ``hint`` is (next hint number, hint count) when hints remain."""
    console.print(f"[bold]{escape(results.drill)}[/]  [dim]{escape(results.file)}[/]")
    if results.syntax:
        _syntax(results, console)
    shown: set[str] = set()
    for test in results.tests:
        console.print(f"  {MARKS[test.status]} [dim]{test.kind:<7}[/] {escape(test.name)}", soft_wrap=True)
        if test.status is Status.PASS:
            continue
        detail = test.message + (f"\n{test.traceback}" if test.traceback else "")
        if detail in shown:
            console.print("      [dim](same as above)[/]")
            continue
        shown.add(detail)
        console.print(Text(_indent(test.message), style="red" if test.status is Status.ERROR else "yellow"))
        if test.traceback:
            console.print(Text(_indent(test.traceback), style="dim"))
    if results.output.strip():
        lines = results.output.rstrip().splitlines()
        more = f" (first {OUTPUT_LINES} of {len(lines)} lines)" if len(lines) > OUTPUT_LINES else ""
        console.print(f"[dim]your code printed{more}:[/]")
        console.print(Text(_indent("\n".join(lines[:OUTPUT_LINES]), "  | "), style="dim"))
    ex_pass, ex_total = results.tallies("example")
    hid_pass, hid_total = results.tallies("hidden")
    colour = {Status.PASS: "green", Status.FAIL: "yellow", Status.ERROR: "red"}[results.status]
    console.print(
        f"[bold {colour}]{results.status.value.upper()}[/]  examples {ex_pass}/{ex_total}, "
        f"hidden {hid_pass}/{hid_total}  [dim]({results.duration_s:.1f} s)[/]"
    )
    if results.status is not Status.PASS and hint is not None:
        number, total = hint
        console.print(f"Stuck? [bold]mlprep hint {escape(results.drill)}[/] shows hint {number} of {total}.")


def _syntax(results: Results, console: Console) -> None:
    syn = results.syntax or {}
    where = f"line {syn['line']}" if syn.get("line") else "your file"
    console.print(f"[bold red]Your file does not compile[/] ({where}): {escape(str(syn.get('message')))}")
    if syn.get("text"):
        console.print(Text(f"    {syn['line']} | {syn['text']}"))
        if syn.get("offset"):
            pad = len(f"    {syn['line']} | ") + int(syn["offset"]) - 1
            console.print(Text(" " * pad + "^", style="bold red"))


RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def render_schedule(outcome: GradeOutcome, console: Console) -> None:
    """What the grade did to the drill's schedule and its mistake cards."""
    for m in outcome.new_mistakes:
        console.print(f"[yellow]New card from your mistake:[/] {escape(m.message.splitlines()[0])} "
                      "[dim](it joins your quiz until the drill is passed twice in a row)[/]")
    if outcome.rating is not None:
        when = f"; next review {outcome.due.astimezone():%Y-%m-%d}" if outcome.due else ""
        console.print(f"[green]Run passed:[/] rated {RATING_NAMES[outcome.rating]}{when}.")
    if outcome.retired:
        console.print(f"[dim]Passed twice in a row: {outcome.retired} mistake card(s) retired.[/]")


def render_history(drill: Drill, runs: list[DrillRun], console: Console) -> None:
    """Every run at a drill: when, where, how many grades, how it ended."""
    from rich.table import Table

    table = Table(title=f"Attempts at {escape(drill.name)}", header_style="bold")
    for col in ("started", "folder", "grades", "result", "rating"):
        table.add_column(col, overflow="fold")
    for r in runs:
        result = "open" if r.ended_at is None else ("passed" if r.passed else "given up")
        table.add_row(f"{r.started_at.astimezone():%Y-%m-%d %H:%M}", escape(r.folder), f"{r.grades} ({r.failed_grades} failed)",
                      result, RATING_NAMES.get(r.rating, "-") if r.rating else "-")
    console.print(table)
