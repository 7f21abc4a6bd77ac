"""`mlprep export`: the questions and your progress as an Anki deck, CSV or TSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mlprep.commands.common import Selection, with_selection
from mlprep.commands.views.console import console


@with_selection
def export(
    selection: Selection,
    anki: Annotated[Path | None, typer.Option("--anki", dir_okay=False, help="Write an Anki deck (.apkg) here.")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", dir_okay=False, help="Write a CSV table (one card per row, with its progress) here.")] = None,
    tsv_path: Annotated[Path | None, typer.Option("--tsv", dir_okay=False, help="Write the same table tab-separated here.")] = None,
    log: Annotated[Path | None, typer.Option("--log", dir_okay=False, help="Write the review log (every rating) as CSV here.")] = None,
    deck: Annotated[str, typer.Option("--deck", help="The Anki deck's name.")] = "mlprep",
) -> None:
    """Export the selected questions with their schedule, so your data is never locked in."""
    from mlprep.quiz.export import LOG_COLUMNS, log_rows, rows, write_anki, write_table
    from mlprep.store import open_store

    if not (anki or csv_path or tsv_path or log):
        raise typer.BadParameter("give at least one of --anki FILE, --csv FILE, --tsv FILE, --log FILE")
    questions = selection.questions()
    with open_store() as store:
        cards, reviews = store.cards(), store.reviews()
    if csv_path or tsv_path:
        table = rows(questions, cards, reviews)
        for path, delimiter in ((csv_path, ","), (tsv_path, "\t")):
            if path:
                write_table(path, table, delimiter)
                console.print(f"Wrote {len(table)} cards to {path}")
    if log:
        write_table(log, log_rows(reviews), columns=LOG_COLUMNS)
        console.print(f"Wrote {len(reviews)} ratings to {log}")
    if anki:
        leeches = {qid for qid, c in cards.items() if c.leech}
        n = write_anki(anki, questions, deck, leeches)
        console.print(f"Wrote {n} notes to {anki} (Anki: File > Import)")
