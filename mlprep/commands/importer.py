"""`mlprep import`: turn Markdown / Obsidian notes into YAML question banks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, err_console, print_json

if TYPE_CHECKING:  # the engine is imported when the command runs, to keep `mlprep --help` fast
    from mlprep.importer.notes import NoteImport
    from mlprep.importer.run import Outcome

STATUS_MARKS = {
    "added": "[green]+[/]",
    "changed": "[yellow]~[/]",
    "retired": "[red]-[/]",
    "kept": "[dim]=[/]",
}


def _warnings_json(note: NoteImport) -> list[dict]:
    return [{"file": str(note.path), "line": line, "message": msg} for line, msg in note.warnings]


def _print_warnings(note: NoteImport) -> None:
    for line, msg in note.warnings:
        err_console.print(
            f"[yellow]check[/] {escape(str(note.path))}:{line}: {escape(msg)}", soft_wrap=True
        )


def _report_check(notes: list[NoteImport], as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "notes": [
                    {
                        "note": str(n.path),
                        "bank": n.name,
                        "cards": [q.to_dict(with_bank=False) for q in n.questions],
                        "skipped": _warnings_json(n),
                    }
                    for n in notes
                ]
            }
        )
        return
    for note in notes:
        console.print(
            f"[bold]{escape(str(note.path))}[/] -> {note.name}.yaml: {len(note.questions)} cards"
        )
        for q in note.questions:
            line = (q.source or {}).get("line", "")
            flag = " [yellow](no answer)[/]" if q.unanswered else ""
            text = escape(q.question.splitlines()[0][:100])
            console.print(f"  {line:>5}  {q.kind:<5} {q.topic:<22} {text}{flag}", soft_wrap=True)
        for line, msg in note.warnings:
            console.print(f"  {line:>5}  [yellow]check[/] {escape(msg)}", soft_wrap=True)


def _report_plans(outcome: Outcome, dry_run: bool, as_json: bool) -> None:
    plans, out = outcome.plans, outcome.out
    if as_json:
        document = {
            "out": str(out),
            "library": outcome.library,
            "dry_run": dry_run,
            "banks": [
                {
                    "note": str(p.note.path),
                    "bank": str(p.path),
                    "name": p.path.stem,
                    "questions": sum(not q.retired for q in p.questions),
                    **{status: p.ids(status) for status in STATUS_MARKS},
                }
                for p in plans
            ],
            "skipped": [w for n in outcome.notes for w in _warnings_json(n)],
            "no_cards": [str(n.path) for n in outcome.notes if not n.questions],
        }
        if outcome.seeded:
            document["schedules_imported"] = outcome.seeded
        if outcome.unchanged or outcome.missing or outcome.gone:
            document.update(unchanged=outcome.unchanged, missing=outcome.missing, retired_banks=outcome.gone)
        print_json(document)
        return
    verb = "would write" if dry_run else "wrote"
    for note in outcome.notes:
        if not note.questions:
            err_console.print(f"[yellow]no cards in[/] {escape(str(note.path))}; nothing written for it", soft_wrap=True)
    for p in plans:
        counts = ", ".join(f"{len(p.ids(s))} {s}" for s in STATUS_MARKS)
        asked = sum(not q.retired for q in p.questions)
        console.print(
            f"{escape(str(p.note.path))} -> {verb} {escape(str(p.path))}: {asked} questions ({counts})",
            soft_wrap=True,
        )
        if dry_run:
            for change in p.changes:
                if change.status != "kept":
                    text = escape(change.question.splitlines()[0][:90])
                    console.print(
                        f"  {STATUS_MARKS[change.status]} {change.id}  {text}", soft_wrap=True
                    )
        _print_warnings(p.note)
    for root in outcome.missing:
        err_console.print(f"[yellow]gone:[/] {escape(root)} (remembered source no longer has notes); skipped", soft_wrap=True)
    if outcome.unchanged:
        console.print(f"{len(outcome.unchanged)} note(s) unchanged since the last import")
    for name in outcome.gone:
        console.print(f"{escape(name)}: its note was deleted; its cards are retired (history kept)", soft_wrap=True)
    if outcome.seeded:
        console.print(f"{outcome.seeded} card(s) keep the schedule their note carried (<!--SR:...-->)")
    if dry_run or not plans:
        return
    if outcome.library:
        console.print("In your library: `mlprep quiz` asks them, `mlprep banks` lists them.", soft_wrap=True)
    else:
        console.print(f"Use them with: mlprep quiz --bank {escape(str(out))}", soft_wrap=True)


def _seed(outcome: Outcome, dry_run: bool) -> None:
    """Carry the plugin's <!--SR:...--> schedules over to cards this library has not seen yet."""
    schedules = outcome.schedules()
    if dry_run or not schedules:
        return
    from datetime import datetime

    from mlprep.quiz.scheduler import seed_schedules
    from mlprep.store import open_store

    with open_store() as store:
        outcome.seeded = seed_schedules(store, schedules, datetime.now().astimezone())


def import_notes(
    notes: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Note files or folders (read recursively): Markdown or Obsidian notes, any ending; Anki .apkg decks.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the banks into this folder instead of your library (not remembered, not in `mlprep quiz` unless --bank).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="List the cards and the suspicious lines; write nothing."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be added, changed, retired or kept; write nothing."
        ),
    ] = False,
    sync: Annotated[
        bool,
        typer.Option("--sync", help="Re-import every remembered source whose notes changed."),
    ] = False,
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", help="Set this topic on every card (default: inferred)."),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="Add this tag to every card (repeatable).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import notes into your library of banks: Q:/A: pairs, question lists, sections, clozes, tables, ::, Anki decks."""
    from mlprep.importer import run

    if sync:
        if notes or out or check:
            raise typer.BadParameter("--sync re-imports the remembered sources; give no notes, --out or --check with it")
        outcome = run.sync(dry_run=dry_run)
        _seed(outcome, dry_run)
        _report_plans(outcome, dry_run, as_json)
        return
    if not notes:
        raise typer.BadParameter("give note files or folders to import (or --sync)")
    if check:
        imported = run.check_paths(list(notes), topic, list(tag or []))
        _report_check(imported, as_json)
        total = sum(len(n.questions) for n in imported)
    else:
        outcome = run.import_paths(list(notes), topic, list(tag or []), out=out, dry_run=dry_run)
        _seed(outcome, dry_run)
        _report_plans(outcome, dry_run, as_json)
        total = outcome.cards
    if total == 0:
        raise typer.Exit(1)
