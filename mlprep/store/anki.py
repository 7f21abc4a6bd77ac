"""Reading an Anki collection (the SQLite file inside an ``.apkg``), read-only.

Two layouts: the legacy one (``collection.anki2`` / ``.anki21``: note types as JSON in
``col.models``) and the current one (``collection.anki21b``, once decompressed: tables
``notetypes``, ``fields`` and ``templates``). Returns plain values; the importer turns them into
cards. Lives in ``store`` because only the store touches SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from mlprep.errors import MlprepError


@dataclass
class NoteType:
    name: str
    cloze: bool
    fields: list[str]
    templates: int


@dataclass
class AnkiNote:
    id: int
    notetype: NoteType
    fields: list[str]
    tags: list[str] = field(default_factory=list)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _legacy_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    (models,) = db.execute("SELECT models FROM col").fetchone()
    found = {}
    for key, model in (json.loads(models or "{}") or {}).items():
        names = [f.get("name", "") for f in sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))]
        found[int(key)] = NoteType(model.get("name", ""), model.get("type") == 1, names, len(model.get("tmpls", [])))
    return found


def _current_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    found = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        # NotetypeConfig (protobuf): field 1 is the kind, written only when not 0 (normal); 1 is cloze
        cloze = bytes(config or b"")[:2] == b"\x08\x01"
        names = [r[0] for r in db.execute("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", (ntid,))]
        (templates,) = db.execute("SELECT count(*) FROM templates WHERE ntid = ?", (ntid,)).fetchone()
        found[int(ntid)] = NoteType(name, cloze, names, templates)
    return found


def read_collection(path: Path, shown_as: Path | None = None) -> list[AnkiNote]:
    """Every note of the collection at ``path`` with its note type; errors name ``shown_as``."""
    where = shown_as or path
    try:
        db = sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MlprepError(f"cannot open the deck's collection: {exc}", path=where) from None
    try:
        tables = _tables(db)
        if "notes" not in tables:
            raise MlprepError("not an Anki deck (its collection has no notes table)", path=where)
        types = _current_types(db) if "notetypes" in tables else _legacy_types(db)
        notes = []
        for nid, mid, flds, tags in db.execute("SELECT id, mid, flds, tags FROM notes ORDER BY id"):
            notetype = types.get(int(mid)) or NoteType("", False, [], 1)
            notes.append(AnkiNote(int(nid), notetype, str(flds).split("\x1f"), str(tags or "").split()))
        return notes
    except sqlite3.DatabaseError as exc:
        raise MlprepError(f"the deck's collection is damaged ({exc})", path=where) from None
    finally:
        db.close()
