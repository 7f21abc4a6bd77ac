"""Options shared by several commands, so they read and behave the same everywhere."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from mlprep.bank.schema import Question
from mlprep.bank.select import Filter

BankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--bank",
        help="Also read this bank file or folder, for this run (repeatable).",
        show_default=False,
    ),
]
OnlyBankOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--only-bank",
        help="Read only this bank file or folder, not the library (repeatable).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout and nothing else.")]

# The question filters, in the order `--help` lists them; `with_selection` adds them to a command.
FILTER_OPTIONS: dict[str, Any] = {
    "topic": Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable; a prefix or word of the topic matches).")],
    "tag": Annotated[list[str] | None, typer.Option("--tag", help="Only questions with this tag (repeatable).")],
    "difficulty": Annotated[list[str] | None, typer.Option("--difficulty", "-d", help="easy, medium, hard or 1-3 (repeatable).")],
    "kind": Annotated[list[str] | None, typer.Option("--kind", help="open, choice, cloze or case (repeatable).")],
    "from_bank": Annotated[list[str] | None, typer.Option("--from-bank", help="Only this bank, e.g. core/transformers or notes (repeatable).")],
    "source": Annotated[str | None, typer.Option("--source", help="Only questions imported from a note whose path contains this text.")],
    "search": Annotated[str | None, typer.Option("--search", "-s", help="Only questions whose text contains all these words.")],
    "bank": BankOption,
    "only_bank": OnlyBankOption,
}


@dataclass
class Selection:
    """The banks and filters a command was given; ``questions()`` loads and filters them."""

    values: dict[str, Any]

    def filter(self) -> Filter:
        v = self.values
        try:
            return Filter.from_options(v["topic"], v["tag"], v["difficulty"], v["kind"], v["from_bank"],
                                       v["source"], v["search"])
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    def questions(self) -> list[Question]:
        """The questions the filters choose; none at all is a usage error (exit 2) saying what exists."""
        from mlprep.bank.select import no_match_message
        from mlprep.errors import MlprepError

        flt = self.filter()
        everything = load_banks(self.values["bank"], self.values["only_bank"])
        chosen = flt.apply(everything)
        if not chosen:
            raise MlprepError(no_match_message(flt, everything))
        return chosen


def load_banks(bank: list[Path] | None, only_bank: list[Path] | None) -> list[Question]:
    """The library's enabled banks plus ``--bank``, or only the ``--only-bank`` ones."""
    from mlprep.bank.library import load_library  # YAML is only needed once a command runs

    return load_library(bank or None, only_bank or None)


def with_selection(command: Callable) -> Callable:
    """Give ``command`` the shared filter and ``--bank`` / ``--only-bank`` options; it receives them as ``selection``."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "selection"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
             for name, annotation in FILTER_OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name, None) for name in FILTER_OPTIONS}
        return command(*args, selection=Selection(values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + added)
    return wrapper
