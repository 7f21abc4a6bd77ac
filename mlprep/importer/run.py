"""`mlprep import` as one engine call: find the notes, convert them, plan the banks, write them
and (for the library) remember where each bank came from.

- ``collect``: files and folders (recursively: ``.md``, ``.markdown``, ``.txt``, Anki ``.apkg``;
  hidden folders such as ``.obsidian`` and ``.git`` are skipped) as ``Source`` records;
- ``convert``: each source into a ``NoteImport`` (notes through ``notes``, decks through ``anki``);
- ``import_paths``: the whole import, into the library (registered) or into a folder (``--out``);
- ``sync``: re-import every remembered source whose notes changed since their last import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mlprep.bank.library import BankEntry, Registry
from mlprep.errors import MlprepError
from mlprep.importer.bankfile import dump_bank, existing_banks, write_bank
from mlprep.importer.merge import BankPlan, plan
from mlprep.importer.notes import NoteImport, import_note
from mlprep.paths import imported_banks_dir

NOTE_SUFFIXES = (".md", ".markdown", ".mdown", ".txt")
DECK_SUFFIXES = (".apkg", ".colpkg")


@dataclass
class Source:
    path: Path  # the file
    file: str  # how its cards name it: the file name, or its path inside the folder given
    root: Path  # the file or folder that was given


@dataclass
class Outcome:
    notes: list[NoteImport]
    plans: list[BankPlan]
    out: Path
    library: bool  # written into the library (and registered), not into an --out folder
    unchanged: list[str] = field(default_factory=list)  # --sync: sources left alone
    missing: list[str] = field(default_factory=list)  # --sync: remembered roots that are gone
    seeded: int = 0  # cards given the schedule their note carried
    gone: list[str] = field(default_factory=list)  # --sync: banks whose note was deleted (cards retired)

    @property
    def cards(self) -> int:
        return sum(len(n.questions) for n in self.notes)

    def schedules(self) -> list[tuple[str, str, str]]:
        """(id, topic, <!--SR:...--> entry) of the written cards whose note carried a schedule."""
        found = []
        for p in self.plans:
            for index, entry in p.note.schedules.items():
                q = p.questions[index]
                found.append((q.id, q.topic, entry))
        return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def collect(paths: list[Path]) -> list[Source]:
    """The note and deck files under ``paths``; a folder without any is a user error."""
    found: list[Source] = []
    for given in paths:
        given = Path(given)
        if given.is_dir():
            root = given.resolve()
            inside = [
                p for p in sorted(root.rglob("*"))
                if p.suffix.lower() in NOTE_SUFFIXES + DECK_SUFFIXES and not _hidden(p, root) and p.is_file()
            ]
            if not inside:
                raise MlprepError("no notes here (.md, .markdown, .txt or .apkg files)", path=given)
            found.extend(Source(p, p.relative_to(root).as_posix(), root) for p in inside)
        else:
            found.append(Source(given, given.name, given.absolute()))
    keys = [s.file for s in found]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise MlprepError(f"two notes share the file name {twice[0]!r}; import them separately (or with different --out folders)")
    return found


def convert(source: Source, topic: str | None, tags: list[str]) -> NoteImport:
    if source.path.suffix.lower() in DECK_SUFFIXES:
        from mlprep.importer.anki import import_deck

        return import_deck(source.path, topic, tags, source.file)
    return import_note(source.path, topic, tags, source.file)


def digest(path: Path) -> str:
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write(plans: list[BankPlan]) -> None:
    for p in plans:
        text = dump_bank(p.questions, p.note.file)
        try:
            if p.path.read_text(encoding="utf-8") == text:
                continue  # unchanged: leave the file (and every cache keyed by it) alone
        except (OSError, UnicodeDecodeError):
            pass
        write_bank(p.path, text)


def _register(registry: Registry, plans: list[BankPlan], sources: dict[str, Source], topic: str | None, tags: list[str]) -> None:
    now = _now()
    for p in plans:
        source = sources[p.note.file]
        name = p.path.stem
        entry = registry.banks.get(name) or BankEntry(name)
        entry.origin = "apkg" if source.path.suffix.lower() in DECK_SUFFIXES else "imported"
        entry.source = str(source.path.absolute())
        entry.root = str(source.root)
        entry.digest = digest(source.path)
        entry.last_import = now
        registry.banks[name] = entry
    for source in sources.values():
        config = registry.sources.setdefault(str(source.root), {})
        config.update(topic=topic, tags=list(tags), last_import=now)
        skip = config.get("skip") or []
        if str(source.path.absolute()) in skip:
            skip.remove(str(source.path.absolute()))
        config["skip"] = skip


def _run(sources: list[Source], topic: str | None, tags: list[str], out: Path | None, dry_run: bool,
         registry: Registry | None) -> Outcome:
    notes = [convert(s, topic, tags) for s in sources]
    out_dir = out or imported_banks_dir()
    with_cards = [n for n in notes if n.questions]
    plans = plan(with_cards, out_dir, existing_banks(out_dir))
    if not dry_run:
        _write(plans)
        if out is None:
            registry = registry or Registry.load()
            _register(registry, plans, {s.file: s for s in sources}, topic, tags)
            registry.save()
    return Outcome(notes, plans, out_dir, out is None)


def import_paths(paths: list[Path], topic: str | None = None, tags: list[str] | None = None, *,
                 out: Path | None = None, dry_run: bool = False) -> Outcome:
    """Import notes and decks (files or folders) into the library, or into ``out``."""
    return _run(collect(paths), topic, list(tags or []), out, dry_run, None)


def check_paths(paths: list[Path], topic: str | None = None, tags: list[str] | None = None) -> list[NoteImport]:
    """The cards the notes would give, and the warnings; nothing is written."""
    return [convert(s, topic, list(tags or [])) for s in collect(paths)]


def sync(*, dry_run: bool = False) -> Outcome:
    """Re-import every source the library remembers whose notes changed since the last import."""
    registry = Registry.load()
    by_source = {e.source: e for e in registry.banks.values() if e.source}
    todo: dict[tuple[str | None, tuple[str, ...]], list[Source]] = {}
    unchanged: list[str] = []
    missing: list[str] = []
    for root, config in sorted(registry.sources.items()):
        if not Path(root).exists():
            missing.append(root)
            continue
        try:
            found = collect([Path(root)])
        except MlprepError:
            missing.append(root)
            continue
        skip = set(config.get("skip") or [])
        for source in found:
            key = str(source.path.absolute())
            if key in skip:
                continue
            entry = by_source.get(key)
            if entry is not None and entry.digest == digest(source.path):
                unchanged.append(key)
                continue
            todo.setdefault((config.get("topic"), tuple(config.get("tags") or [])), []).append(source)
    gone = _retire_deleted(registry, dry_run)
    notes: list[NoteImport] = []
    plans: list[BankPlan] = []
    for (topic, tags), sources in todo.items():
        done = _run(sources, topic, list(tags), None, dry_run, registry)
        notes += done.notes
        plans += done.plans
    return Outcome(notes, plans, imported_banks_dir(), True, unchanged, missing, gone=gone)


def _retire_deleted(registry: Registry, dry_run: bool) -> list[str]:
    """Banks whose note was deleted from a remembered folder: every card retired (kept with its
    history, never asked). Returns their names."""
    from dataclasses import replace

    from mlprep.bank.loader import load_file

    gone = []
    for name, entry in sorted(registry.banks.items()):
        if entry.origin == "bundled" or not entry.source or Path(entry.source).exists():
            continue
        if entry.root not in registry.sources or not Path(entry.root).is_dir():
            continue  # a single remembered file that is gone is reported as missing instead
        path = imported_banks_dir() / f"{name}.yaml"
        if not path.is_file():
            continue
        questions, problems = load_file(path, name)
        if problems or all(q.retired for q in questions):
            continue
        gone.append(name)
        if not dry_run:
            note_file = str((questions[0].source or {}).get("file", "")) if questions else ""
            write_bank(path, dump_bank([replace(q, retired=True) for q in questions], note_file))
    return gone
