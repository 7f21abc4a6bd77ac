"""The user's library of banks: the bundled banks plus the imported ones, and a small registry.

Imported banks live in ``paths.imported_banks_dir()`` (one YAML file per note or deck); the
registry (``paths.bank_registry()``, JSON, written atomically) remembers for each bank where it
came from (``origin``: imported or apkg; the source file and the folder or file that was given to
`mlprep import`, for ``--sync``), when it was last imported and whether it is enabled. A bundled
bank appears in the registry only once it has been disabled.

Every command that reads banks (quiz, questions, stats, export) reads the enabled banks of the
library, plus any ``--bank`` given; ``--only-bank`` reads only the banks given. Disabling or
removing a bank never touches the progress database: its cards' history stays, and a re-import
(same question text, same id) brings their schedule back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mlprep.bank.loader import (
    BANK_SUFFIXES,
    bank_files,
    bank_name,
    raise_first,
    schema_digest,
    validate_files,
)
from mlprep.bank.schema import QUESTION_FIELDS, Question
from mlprep.errors import MlprepError
from mlprep.fileio import atomic_write_text
from mlprep.paths import bank_cache_dir, bank_registry, content_dir, imported_banks_dir

REGISTRY_VERSION = 1
KEEP_SELECTIONS = 8  # cached selections of banks kept (the library, with and without --bank ...)
ORIGINS = ("bundled", "imported", "apkg")


@dataclass
class BankEntry:
    """What the registry knows about one bank."""

    name: str  # the bank's name: its file stem (imported) or core/... notes/... (bundled)
    origin: str = "imported"  # bundled | imported | apkg
    source: str = ""  # the note or deck it was imported from (absolute path)
    root: str = ""  # what was given to `mlprep import` (a file or folder), for --sync
    digest: str = ""  # sha1 of the source's bytes at the last import
    last_import: str = ""  # ISO-8601, UTC
    enabled: bool = True


@dataclass
class Registry:
    banks: dict[str, BankEntry] = field(default_factory=dict)
    # root given to `mlprep import` -> {"topic", "tags", "last_import", "skip": [sources removed]}
    sources: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Registry:
        path = bank_registry()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise MlprepError(f"the bank registry is unreadable ({exc}); move it away to start afresh", path=path) from None
        if not isinstance(data, dict) or not isinstance(data.get("banks"), dict):
            raise MlprepError("the bank registry is not an mlprep registry; move it away to start afresh", path=path)
        known = set(BankEntry.__dataclass_fields__)
        banks = {
            name: BankEntry(**{k: v for k, v in entry.items() if k in known})
            for name, entry in data["banks"].items()
            if isinstance(entry, dict)
        }
        sources = data.get("sources") if isinstance(data.get("sources"), dict) else {}
        return cls(banks, sources)

    def save(self) -> None:
        data = {
            "version": REGISTRY_VERSION,
            "banks": {name: asdict(entry) for name, entry in sorted(self.banks.items())},
            "sources": dict(sorted(self.sources.items())),
        }
        path = bank_registry()
        try:
            atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise MlprepError(f"cannot write the bank registry: {exc.strerror}", path=path) from None

    def enabled(self, name: str) -> bool:
        entry = self.banks.get(name)
        return entry is None or entry.enabled


@dataclass
class LibraryBank:
    name: str
    path: Path
    origin: str
    enabled: bool
    entry: BankEntry | None = None


def imported_bank_path(name: str) -> Path:
    return imported_banks_dir() / f"{name}.yaml"


def library(registry: Registry | None = None) -> list[LibraryBank]:
    """Every bank of the library, imported first (so a card imported again from a note that is
    also bundled is read from the user's fresher copy), enabled or not."""
    registry = registry or Registry.load()
    found: list[LibraryBank] = []
    imported = imported_banks_dir()
    try:
        with os.scandir(imported) as entries:  # no stat per file: a library may hold thousands
            names = sorted(e.name for e in entries if e.name.endswith(BANK_SUFFIXES) and e.is_file())
    except OSError:
        names = []
    for path in (imported / name for name in names):
        entry = registry.banks.get(path.stem)
        origin = entry.origin if entry else "imported"
        found.append(LibraryBank(path.stem, path, origin, registry.enabled(path.stem), entry))
    bundled = content_dir("questions")
    if bundled.is_dir():
        for path in bank_files([bundled]):
            name = bank_name(path, [bundled])
            found.append(LibraryBank(name, path, "bundled", registry.enabled(name), registry.banks.get(name)))
    return found


def find_bank(name: str, registry: Registry | None = None) -> LibraryBank:
    banks = library(registry)
    for bank in banks:
        if bank.name == name:
            return bank
    names = ", ".join(b.name for b in banks[:8])
    raise MlprepError(f"no bank named {name!r} in the library; see `mlprep banks` (e.g. {names})")


def set_enabled(name: str, enabled: bool) -> LibraryBank:
    """Enable or disable a bank (bundled or imported); its cards and their history stay."""
    registry = Registry.load()
    bank = find_bank(name, registry)
    entry = registry.banks.get(name) or BankEntry(name, origin=bank.origin)
    entry.enabled = enabled
    if bank.origin == "bundled" and enabled:
        registry.banks.pop(name, None)  # a bundled bank is registered only while disabled
    else:
        registry.banks[name] = entry
    registry.save()
    bank.enabled = enabled
    return bank


def remove_bank(name: str) -> LibraryBank:
    """Delete an imported bank's file and forget it (``--sync`` will not bring it back).

    Review history stays in the progress database: importing the note again restores it.
    """
    registry = Registry.load()
    bank = find_bank(name, registry)
    if bank.origin == "bundled":
        raise MlprepError(f"{name!r} is a bundled bank and cannot be removed; `mlprep banks disable {name}` leaves it out")
    try:
        bank.path.unlink(missing_ok=True)
    except OSError as exc:
        raise MlprepError(f"cannot remove the bank: {exc.strerror}", path=bank.path) from None
    entry = registry.banks.pop(name, None)
    if entry and entry.root in registry.sources and entry.source:
        skip = registry.sources[entry.root].setdefault("skip", [])
        if entry.source not in skip:
            skip.append(entry.source)
    registry.save()
    return bank


def bank_pairs(extra: list[Path] | None = None, only: list[Path] | None = None) -> list[tuple[Path, str]]:
    """(file, bank name) of the banks a command reads: ``only`` if given, else the enabled
    banks of the library and then ``extra``."""
    if only:
        return [(p, bank_name(p, list(only))) for p in bank_files(list(only))]
    pairs = [(b.path, b.name) for b in library() if b.enabled]
    if extra:
        pairs.extend((p, bank_name(p, list(extra))) for p in bank_files(list(extra)))
    return pairs


def load_library(
    extra: list[Path] | None = None, only: list[Path] | None = None, *, retired: bool = False
) -> list[Question]:
    """The questions of the library's enabled banks (plus ``extra``), or of ``only``.

    A card in two banks (a note imported into the library that is also bundled) is read once,
    from the first; retired cards (gone from their note) are left out unless ``retired``.
    """
    pairs = bank_pairs(extra, only)
    key = _signature(pairs, not only)
    questions = _cached(key)
    if questions is None:
        questions, problems = validate_files(pairs, first_wins=not only)
        raise_first(problems)
        _store(key, questions)
    return [q for q in questions if retired or not q.retired]


# One cache for the whole set of banks a command reads, keyed by each file's path, size and
# modification time: with a thousand imported banks, reading and hashing every file (what the
# per-file cache needs) costs more than the 0.5 s the quiz has to show its first card.


def _signature(pairs: list[tuple[Path, str]], first_wins: bool) -> str | None:
    digest = hashlib.sha1(schema_digest() + (b"1" if first_wins else b"0"))
    for path, name in pairs:
        try:
            info = os.stat(path)
        except OSError:
            return None
        digest.update(f"{os.path.abspath(path)}|{name}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _cache_file(key: str) -> Path:
    return bank_cache_dir() / f"selection-{key[:24]}.json"


def _cached(key: str | None) -> list[Question] | None:
    if key is None:
        return None
    try:
        data = json.loads(_cache_file(key).read_text(encoding="utf-8"))
        if data.get("key") != key or data.get("fields") != QUESTION_FIELDS:
            return None
        return [Question.from_row(row) for row in data["questions"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _store(key: str | None, questions: list[Question]) -> None:
    if key is None:
        return
    rows = [q.to_row() for q in questions]  # rows: half the JSON of mappings
    try:
        atomic_write_text(_cache_file(key), json.dumps({"key": key, "fields": QUESTION_FIELDS, "questions": rows}))
        older = sorted(_cache_file(key).parent.glob("selection-*.json"), key=lambda p: p.stat().st_mtime)
        for stale in older[:-KEEP_SELECTIONS]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs speed
