"""`mlprep import`: turn Markdown / Obsidian notes into YAML question banks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, err_console, print_json
from mlprep.errors import MlprepError
from mlprep.paths import imported_banks_dir

if TYPE_CHECKING:  # the engine is imported when the command runs, to keep `mlprep --help` fast
    from mlprep.importer.merge import BankPlan
    from mlprep.importer.notes import NoteImport

STATUS_MARKS = {
    "added": "[green]+[/]",
    "changed": "[yellow]~[/]",
    "removed": "[red]-[/]",
    "kept": "[dim]=[/]",
}


def _warnings_json(note: NoteImport) -> list[dict]:
    return [{"file": str(note.path), "line": line, "message": msg} for line, msg in note.warnings]


def _print_warnings(note: NoteImport) -> None:
    for line, msg in note.warnings:
        err_console.print(
            f"[yellow]skipped[/] {escape(str(note.path))}:{line}: {escape(msg)}", soft_wrap=True
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
            console.print(f"  {line:>5}  [yellow]skipped[/] {escape(msg)}", soft_wrap=True)


def _report_plans(plans: list[BankPlan], out: Path, dry_run: bool, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "out": str(out),
                "dry_run": dry_run,
                "banks": [
                    {
                        "note": str(p.note.path),
                        "bank": str(p.path),
                        "questions": len(p.questions),
                        **{status: p.ids(status) for status in STATUS_MARKS},
                    }
                    for p in plans
                ],
                "skipped": [w for p in plans for w in _warnings_json(p.note)],
            }
        )
        return
    verb = "would write" if dry_run else "wrote"
    for p in plans:
        counts = ", ".join(f"{len(p.ids(s))} {s}" for s in STATUS_MARKS)
        console.print(
            f"{escape(str(p.note.path))} -> {verb} {escape(str(p.path))}: {len(p.questions)} questions ({counts})",
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
    if not dry_run and plans:
        console.print(f"Use them with: mlprep questions --bank {escape(str(out))}", soft_wrap=True)


def import_notes(
    notes: Annotated[
        list[Path],
        typer.Argument(help="Note files: Markdown or Obsidian, any ending.", show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the banks, one per note (default: $MLPREP_HOME/banks/imported).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="List the cards and the skipped suspicious lines; write nothing."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show what would be added, changed, removed or kept; write nothing."
        ),
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
    """Import notes into question banks: Q:/A: pairs, question lists, sections, clozes, tables, ::."""
    from mlprep.importer.bankfile import dump_bank, existing_banks, write_bank
    from mlprep.importer.merge import plan
    from mlprep.importer.notes import import_note

    names = [Path(p).name for p in notes]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise MlprepError(
            f"two notes share the file name {twice[0]!r}; import them into different --out folders"
        )
    imported = [import_note(Path(p), topic, list(tag or [])) for p in notes]
    total = sum(len(n.questions) for n in imported)
    if check:
        _report_check(imported, as_json)
    else:
        out_dir = out or imported_banks_dir()
        with_cards = [n for n in imported if n.questions]
        for note in imported:
            if not note.questions and not as_json:
                err_console.print(
                    f"[yellow]no cards in[/] {escape(str(note.path))}; nothing written for it"
                )
        plans = plan(with_cards, out_dir, existing_banks(out_dir))
        if not dry_run:
            for p in plans:
                write_bank(p.path, dump_bank(p.questions, p.note.path.name))
        _report_plans(plans, out_dir, dry_run, as_json)
    if total == 0:
        raise typer.Exit(1)
