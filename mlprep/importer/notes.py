"""One note file in, validated Question records out (ids derived from the question text)."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from mlprep.bank.schema import Question, build_question, question_id
from mlprep.errors import MlprepError
from mlprep.importer import difficulty
from mlprep.importer.card import Card, clean_title
from mlprep.importer.extract import extract
from mlprep.importer.markdown import ANSWER_MARK_RE, scan
from mlprep.importer.topics import assign, slug


@dataclass
class NoteImport:
    path: Path
    name: str  # the bank name: slug of the note's title, else of its file stem
    file: str  # the note as its cards' ``source.file`` names it (file name, or path in a folder)
    questions: list[Question]
    warnings: list[tuple[int, str]]  # (line, message)
    schedules: dict[int, str] = field(default_factory=dict)  # question index -> <!--SR:...--> text


MAX_NOTE_BYTES = 10 * 1024 * 1024  # a note larger than this is not a note


def read_note(path: Path) -> str:
    """The note's text; a missing, special (device, FIFO), oversized, binary or non-UTF-8 file is
    a user error naming it. Nothing is opened before it is known to be a regular file, so a FIFO
    or ``/dev/zero`` cannot hang the import."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MlprepError("no such note file; check the path", path=path) from None
    except OSError as exc:
        raise MlprepError(f"cannot read: {exc.strerror}", path=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise MlprepError("is a folder; pass the note files (e.g. notes/*.md)", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise MlprepError("not a regular file (a device, pipe or socket); pass a note file", path=path)
    if info.st_size > MAX_NOTE_BYTES:
        raise MlprepError(
            f"{info.st_size / 2**20:.1f} MB is too large for a note (limit {MAX_NOTE_BYTES // 2**20} MB); split it",
            path=path,
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_NOTE_BYTES + 1)
    except OSError as exc:
        raise MlprepError(f"cannot read: {exc.strerror}", path=path) from None
    if len(data) > MAX_NOTE_BYTES:
        raise MlprepError(f"grew past {MAX_NOTE_BYTES // 2**20} MB while being read; split it", path=path)
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
        "tags": list(dict.fromkeys(tags + card.tags)),
        "kind": card.kind,
        "source": source,
        "media": list(dict.fromkeys(card.media)),
    }
    if card.difficulty:
        raw["difficulty"] = card.difficulty
    if card.unanswered:
        raw["unanswered"] = True
    return raw


LONG_ANSWER = 1500  # characters: an answer longer than this floods the quiz screen
ANKI_TEXT_HEADERS = ("#separator:", "#html:", "#notetype", "#deck", "#tags", "#columns:", "#guid")
PLACEHOLDERS = frozenset(
    "answer here|your answer here|add answer|add an answer|answer todo|todo|to do|tbd|tba|tbc|wip|"
    "coming soon|fill in|fill me in|placeholder|xxx|n a|no answer yet|answer|pending".split("|")
)
_TAGS = re.compile(r"<[^>]+>")


def is_placeholder(answer: str) -> bool:
    """An answer that only promises one ("Answer here", "TODO", "TBD")."""
    text = _TAGS.sub(" ", answer).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return len(text) < 40 and (text in PLACEHOLDERS or text == "")


def tidy(card: Card, symbols: dict[str, int]) -> None:
    """What other people's lists add around a card: a difficulty marker in the question, an
    ``**Answer**:`` label before the answer, a placeholder instead of one."""
    card.question, card.difficulty = difficulty.take(card.question, symbols)
    card.heading = difficulty.take(card.heading, symbols)[0]
    if card.question.startswith("Explain: "):
        card.question = "Explain: " + difficulty.take(card.question[9:], symbols)[0]
    lines = card.answer.split("\n")
    label = ANSWER_MARK_RE.match(lines[0]) if lines and lines[0] else None
    if label and card.origin not in ("pair", "separator", "table", "cloze"):
        lines[0] = label.group(1)
        card.answer = "\n".join(lines).strip()
    if card.kind != "cloze" and card.answer and is_placeholder(card.answer):
        card.answer = ""


def import_text(
    text: str, file_name: str, topic: str | None = None, tags: list[str] | None = None
) -> NoteImport:
    """Cards of a note's text as Question records."""
    scanned = scan(text)
    found = extract(scanned)
    symbols = difficulty.legend(text)
    for card in found.cards:
        tidy(card, symbols)
    name = slug(_title(scanned.lines)) or slug(Path(file_name).stem) or "note"
    return to_questions(found.cards, list(found.warnings), scanned.front_matter, file_name, name, topic, tags)


def to_questions(
    cards: list[Card],
    warnings: list[tuple[int, str]],
    front_matter: dict,
    file_name: str,
    name: str,
    topic: str | None = None,
    tags: list[str] | None = None,
    ids_given: dict[int, str] | None = None,
) -> NoteImport:
    """Cards (from a note or a deck) as validated Question records with ids, topics and tags.

    ``ids_given``: card index -> an id the source carries (a deck exported by mlprep)."""
    questions: list[Question] = []
    schedules: dict[int, str] = {}
    ids: set[str] = set()
    for k, (card, (card_topic, card_tags)) in enumerate(
        zip(cards, assign(cards, front_matter, topic, tags), strict=True)
    ):
        record = _record(card, file_name, card_topic, card_tags)
        if ids_given and k in ids_given:
            record["id"] = ids_given[k]
        elif question_id(card.question) in ids:  # one front, two backs: the second id from both
            n, qid = 0, question_id(f"{card.question}\n{card.answer}")
            while qid in ids:
                n += 1
                qid = question_id(f"{card.question}\n{card.answer}\n{n}")
            record["id"] = qid
        question, problems = build_question(record)
        if question is None:
            warnings.append((card.line, "skipped: " + "; ".join(msg for _, msg in problems)))
            continue
        if question.id in ids:
            warnings.append((card.line, f"skipped: the id {question.id} is used twice"))
            continue
        ids.add(question.id)
        if len(question.answer) > LONG_ANSWER:
            warnings.append((card.line, f"long answer: {len(question.answer):,} characters (over {LONG_ANSWER:,}), "
                                        "more than a quiz screen holds; split the card or shorten it"))
        if card.schedule:
            schedules[len(questions)] = card.schedule
        questions.append(question)
    return NoteImport(Path(file_name), name, file_name, questions, sorted(warnings), schedules)


def import_note(
    path: Path, topic: str | None = None, tags: list[str] | None = None, file_name: str | None = None
) -> NoteImport:
    """Read and convert one note file (or Anki's "Notes in Plain Text" export); ``file_name``:
    how cards name it (default: its name)."""
    text = read_note(path)
    shown = file_name or Path(path).name
    if text.startswith(ANKI_TEXT_HEADERS):
        from mlprep.importer.anki import import_anki_text

        result = import_anki_text(text, shown, topic, tags)
    else:
        result = import_text(text, shown, topic, tags)
    result.path = Path(path)
    return result
