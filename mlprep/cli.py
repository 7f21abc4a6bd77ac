"""The typer app: global options and the one place where domain errors become exit codes.

Each command group lives in its own module under ``mlprep/commands``; none imports torch at
module level, so ``mlprep --help`` and the quiz stay fast.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
import typer.core
from rich.markup import escape

from mlprep import __version__
from mlprep.commands import banks as banks_cmd
from mlprep.commands import doctor as doctor_cmd
from mlprep.commands import drills as drills_cmd
from mlprep.commands import explore as explore_cmd
from mlprep.commands import export as export_cmd
from mlprep.commands import gpt as gpt_cmd
from mlprep.commands import importer as importer_cmd
from mlprep.commands import mock as mock_cmd
from mlprep.commands import optimize as optimize_cmd
from mlprep.commands import questions as questions_cmd
from mlprep.commands import quiz as quiz_cmd
from mlprep.commands import stats as stats_cmd
from mlprep.commands import today as today_cmd
from mlprep.errors import MlprepError


class _Group(typer.core.TyperGroup):
    """The root group: the one boundary where MlprepError becomes one line on stderr and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MlprepError as exc:
            if os.environ.get("MLPREP_DEBUG"):
                raise
            from mlprep.commands.views.console import err_console

            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="mlprep",
    help="Practise machine-learning interviews in the terminal: quiz, drills, and a reference GPT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mlprep {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Practise machine-learning interviews in the terminal: quiz, drills, and a reference GPT."""


# In the order a learner meets them: the quiz, the banks, the drills, then the GPT.
app.command("today")(today_cmd.today)
app.command("quiz")(quiz_cmd.quiz)
app.command("mock")(mock_cmd.mock)
app.command("stats")(stats_cmd.stats)
app.command("export")(export_cmd.export)
app.command("unsuspend")(quiz_cmd.unsuspend)
app.command("optimize")(optimize_cmd.optimize)
app.add_typer(questions_cmd.app, name="questions")
app.command("import")(importer_cmd.import_notes)
app.add_typer(banks_cmd.app, name="banks")
app.command("drills")(drills_cmd.list_drills)
app.command("drill")(drills_cmd.start_drill)
app.command("grade")(drills_cmd.grade)
app.command("hint")(drills_cmd.hint)
app.command("solution")(drills_cmd.solution)
app.command("doctor")(doctor_cmd.doctor)
app.add_typer(explore_cmd.app, name="explore")
app.command("train-gpt")(gpt_cmd.train_gpt)
app.command("generate")(gpt_cmd.generate)
app.command("bench-gpt")(gpt_cmd.bench_gpt)

def main() -> None:
    """Console-script entry point."""
    app()
