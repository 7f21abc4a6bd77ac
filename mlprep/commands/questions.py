"""`mlprep questions`: list, search, show and validate the question banks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mlprep.commands.common import (
    BankOption,
    JsonOption,
    OnlyBankOption,
    Selection,
    load_banks,
    with_selection,
)
from mlprep.commands.views.console import console, err_console, print_json
from mlprep.errors import MlprepError

app = typer.Typer(help="List, search, show and validate the question banks.", no_args_is_help=False)


@app.callback(invoke_without_command=True)
@with_selection
def list_questions(
    ctx: typer.Context,
    selection: Selection,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most this many rows (0: all).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List the questions in the banks, filtered; `validate` and `show` are subcommands."""
    if ctx.invoked_subcommand is not None:
        return
    questions = selection.questions()
    if limit > 0:
        questions = questions[:limit]
    if as_json:
        print_json([q.to_dict() for q in questions])
        return
    if not questions:
        err_console.print("No questions match these filters.")
        return
    table = Table(show_lines=False, header_style="bold")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("topic", style="cyan")
    table.add_column("diff")
    table.add_column("kind")
    table.add_column("question", overflow="fold")
    for q in questions:
        text = q.question.splitlines()[0][:110]
        if q.unanswered:
            text += " [yellow](no answer)[/]"
        table.add_row(q.id, q.topic, q.difficulty_name, q.kind, escape(text) if not q.unanswered else text)
    console.print(table)
    topics = len({q.topic for q in questions})
    console.print(f"{len(questions)} questions in {topics} topics")


@app.command("show")
def show(
    question_id: Annotated[str, typer.Argument(help="The question's id (see `mlprep questions`).")],
    bank: BankOption = None,
    only_bank: OnlyBankOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one question with its answer."""
    from mlprep.commands.views.question import render_question

    for q in load_banks(bank, only_bank):
        if q.id == question_id:
            if as_json:
                print_json(q.to_dict())
            else:
                render_question(console, q, reveal=True)
            return
    raise MlprepError(f"no question with id {question_id!r}; list ids with `mlprep questions`")


@app.command("validate")
def validate_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="Bank files or folders (default: the bundled banks).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Check banks: schema, types, duplicate ids, choices. Exit 1 with file:line errors if any."""
    from mlprep.bank.loader import validate

    questions, problems = validate(paths or None)
    if as_json:
        print_json({"questions": len(questions), "problems": [{"file": p.path, "line": p.line, "message": p.message} for p in problems]})
    else:
        for p in problems:
            console.print(escape(str(p)), soft_wrap=True)
        if problems:
            console.print(f"[red]{len(problems)} problem(s)[/]; {len(questions)} valid questions")
        else:
            console.print(f"[green]OK[/]: {len(questions)} questions, no problems")
    if problems:
        raise typer.Exit(1)
