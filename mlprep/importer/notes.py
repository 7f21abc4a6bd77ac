"""One note file in, validated Question records out (ids derived from the question text)."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from mlprep.errors import MlprepError
from mlprep.importer.card import Card, clean_title
from mlprep.importer.extract import extract
from mlprep.importer.markdown import scan
from mlprep.importer.topics import assign, slug
from mlprep.schema import Question, build_question

MAX_NOTE_BYTES = 16 << 20


@dataclass
class NoteImport:
    path: Path
    name: str  # the bank name: slug of the note's title, else of its file stem
    questions: list[Question]
    warnings: list[tuple[int, str]]  # (line, message)


def read_note(path: Path) -> str:
    """The note's text; a missing, binary or non-UTF-8 file is a user error naming it."""
    path = Path(path)
    if not path.exists():
        raise MlprepError("no such note file; check the path", path=path)
    if path.is_dir():
        raise MlprepError("is a folder; pass the note files (e.g. notes/*.md)", path=path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise MlprepError("not a regular file; pass Markdown or text notes", path=path)
            if info.st_size > MAX_NOTE_BYTES:
                raise MlprepError(f"is {info.st_size / 1e6:.1f} MB; a note may be at most "
                                  f"{MAX_NOTE_BYTES >> 20} MB", path=path)
            data = os.read(fd, MAX_NOTE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise MlprepError(f"cannot read: {exc.strerror}", path=path) from None
    if len(data) > MAX_NOTE_BYTES:
        raise MlprepError(f"grew past {MAX_NOTE_BYTES >> 20} MB while being read", path=path)
    if b"\0" in data[:8192]:
        raise MlprepError("binary file, not a text note; pass Markdown or text notes", path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MlprepError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the note as UTF-8", path=path
        ) from None


def _title(text_lines) -> str:
    heading = next((line for line in text_lines if line.kind == "heading"), None)
    first = next((line for line in text_lines if line.kind not in ("blank", "rule")), None)
    return clean_title(heading.title) if heading is not None and heading is first else ""


def _record(card: Card, file_name: str, topic: str, tags: list[str]) -> dict:
    source = {"file": file_name, "line": card.line}
    if card.heading:
        source["heading"] = card.heading
    raw = {
        "question": card.question,
        "answer": card.answer,
        "topic": topic,
        "tags": tags,
        "kind": card.kind,
        "source": source,
        "media": list(dict.fromkeys(card.media)),
    }
    if card.unanswered:
        raw["unanswered"] = True
    return raw


def import_text(
    text: str, file_name: str, topic: str | None = None, tags: list[str] | None = None
) -> NoteImport:
    """Cards of a note's text as Question records."""
    scanned = scan(text)
    found = extract(scanned)
    warnings = list(found.warnings)
    questions: list[Question] = []
    for card, (card_topic, card_tags) in zip(
        found.cards, assign(found.cards, scanned.front_matter, topic, tags), strict=True
    ):
        question, problems = build_question(_record(card, file_name, card_topic, card_tags))
        if question is None:
            warnings.append((card.line, "skipped: " + "; ".join(msg for _, msg in problems)))
            continue
        questions.append(question)
    name = slug(_title(scanned.lines)) or slug(Path(file_name).stem) or "note"
    return NoteImport(Path(file_name), name, questions, warnings)


def import_note(path: Path, topic: str | None = None, tags: list[str] | None = None) -> NoteImport:
    """Read and convert one note file."""
    result = import_text(read_note(path), Path(path).name, topic, tags)
    result.path = Path(path)
    return result
