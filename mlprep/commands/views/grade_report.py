"""The grading report for the terminal: one line per test, why it failed, totals, the next hint."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from mlprep.drills.results import Results, Status

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
