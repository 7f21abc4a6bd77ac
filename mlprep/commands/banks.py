"""`mlprep banks`: the library of banks (bundled and imported); disable, enable, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, print_json

app = typer.Typer(help="The library of banks: list, disable, enable, remove.", no_args_is_help=False)

NameArgument = Annotated[str, typer.Argument(help="The bank's name, as `mlprep banks` lists it.", show_default=False)]


def _local(stamp: str) -> str:
    """An ISO-8601 UTC time as local ``YYYY-MM-DD HH:MM`` (blank when there is none)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


@app.callback(invoke_without_command=True)
def list_banks(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every bank: name, origin (bundled/imported/apkg), cards, due today, source, last import."""
    if ctx.invoked_subcommand is not None:
        return
    from mlprep.quiz.stats import bank_overview
    from mlprep.store import open_store

    with open_store() as store:
        rows = bank_overview(store, datetime.now().astimezone())
    if as_json:
        print_json(rows)
        return
    table = Table(header_style="bold")
    for col in ("name", "origin", "cards", "due", "source", "last import"):
        table.add_column(col, justify="right" if col in ("cards", "due") else "left",
                         overflow="fold" if col == "source" else "ellipsis")
    for row in rows:
        name = escape(row["name"]) + ("" if row["enabled"] else " [dim](disabled)[/]")
        cards = str(row["cards"]) + (f" [dim]+{row['retired']} retired[/]" if row["retired"] else "")
        table.add_row(name, row["origin"], cards, str(row["due"]), escape(row["source"]), _local(row["last_import"]))
    console.print(table)
    enabled = [r for r in rows if r["enabled"]]
    console.print(f"{len(enabled)} of {len(rows)} banks enabled, {sum(r['cards'] for r in enabled)} cards")


@app.command("disable")
def disable(name: NameArgument) -> None:
    """Leave a bank out of sessions and lists; its cards and their history are kept."""
    from mlprep.bank.library import set_enabled

    set_enabled(name, False)
    console.print(f"Disabled {escape(name)}; `mlprep banks enable {escape(name)}` brings it back.")


@app.command("enable")
def enable(name: NameArgument) -> None:
    """Bring a disabled bank back into sessions and lists."""
    from mlprep.bank.library import set_enabled

    set_enabled(name, True)
    console.print(f"Enabled {escape(name)}.")


@app.command("remove")
def remove(name: NameArgument) -> None:
    """Delete an imported bank from the library; review history stays (re-import restores it)."""
    from mlprep.bank.library import remove_bank

    bank = remove_bank(name)
    console.print(f"Removed {escape(name)} ({escape(str(bank.path))}); its review history is kept.")
