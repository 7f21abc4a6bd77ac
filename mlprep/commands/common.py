"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlprep.schema import Question
from mlprep.select import Filter

BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        help="A bank file or folder to use instead of the bundled banks (repeatable).",
        show_default=False,
    ),
]
TopicOption = Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable; a prefix or word of the topic matches).")]
TagOption = Annotated[list[str] | None, typer.Option("--tag", help="Only questions with this tag (repeatable).")]
DifficultyOption = Annotated[list[str] | None, typer.Option("--difficulty", "-d", help="easy, medium, hard or 1-3 (repeatable).")]
KindOption = Annotated[list[str] | None, typer.Option("--kind", help="open, choice or cloze (repeatable).")]
BankNameOption = Annotated[list[str] | None, typer.Option("--from-bank", help="Only this bank, e.g. core/transformers or notes (repeatable).")]
SourceOption = Annotated[str | None, typer.Option("--source", help="Only questions imported from a note whose path contains this text.")]
SearchOption = Annotated[str | None, typer.Option("--search", "-s", help="Only questions whose text contains all these words.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")]


def make_filter(topic, tag, difficulty, kind, bank_name, source, search) -> Filter:
    try:
        return Filter.from_options(topic, tag, difficulty, kind, bank_name, source, search)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def selected_questions(bank: list[Path] | None, flt: Filter) -> list[Question]:
    from mlprep.bank import load_questions  # YAML is only needed once a command runs

    return flt.apply(load_questions(bank or None))
