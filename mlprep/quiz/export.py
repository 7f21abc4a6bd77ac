"""Exporting the questions with their progress: CSV/TSV (one row per card), the review log as
CSV, or an Anki deck.

An Anki note's GUID comes from the question's stable id, so exporting again after editing the
notes updates the notes in Anki instead of adding duplicates.
"""

from __future__ import annotations

import csv
import hashlib
import html
import random
import re
from collections import Counter
from pathlib import Path

from mlprep.bank.mathtext import readable_math
from mlprep.bank.schema import Question
from mlprep.errors import MlprepError
from mlprep.quiz.scheduler import fsrs_card
from mlprep.store import CardRow, ReviewRow

COLUMNS = [
    "id", "topic", "kind", "difficulty", "tags", "question", "answer", "choices", "correct",
    "reviews", "lapses", "due", "stability", "fsrs_difficulty", "suspended", "leech",
]
LOG_COLUMNS = ["id", "question_id", "at", "rating", "mode", "cram", "duration_s", "typed_score"]
_FENCE_RE = re.compile(r"```([\w+-]*)[^\n]*\n(.*?)```", re.S)


def rows(questions: list[Question], cards: dict[str, CardRow], reviews: list[ReviewRow]) -> list[dict]:
    """One flat row per question: its content and, once seen, its schedule."""
    counts = Counter(r.qid for r in reviews)
    lapses = Counter(r.qid for r in reviews if r.rating == 1 and r.state_before == 2 and not r.cram)
    out = []
    for q in questions:
        card = cards.get(q.id)
        fsrs = fsrs_card(card) if card else None
        out.append({
            "id": q.id, "topic": q.topic, "kind": q.kind, "difficulty": q.difficulty_name,
            "tags": " ".join(q.tags), "question": q.question, "answer": q.answer,
            "choices": " | ".join(q.choices), "correct": q.correct or "",
            "reviews": counts[q.id], "lapses": lapses[q.id],
            "due": card.due.isoformat() if card else "",
            "stability": round(fsrs.stability, 3) if fsrs and fsrs.stability else "",
            "fsrs_difficulty": round(fsrs.difficulty, 3) if fsrs and fsrs.difficulty else "",
            "suspended": int(card.suspended) if card else 0,
            "leech": int(card.leech) if card else 0,
        })
    return out


def log_rows(reviews: list[ReviewRow]) -> list[dict]:
    """The review log (undone ratings left out), one row per rating."""
    return [
        {"id": r.id, "question_id": r.qid, "at": r.at.isoformat(), "rating": r.rating, "mode": r.mode,
         "cram": int(r.cram), "duration_s": r.duration_s, "typed_score": r.typed_score}
        for r in reviews
    ]


def write_table(path: Path, table: list[dict], delimiter: str = ",", columns: list[str] = COLUMNS) -> None:
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, delimiter=delimiter)
            writer.writeheader()
            writer.writerows(table)
    except OSError as exc:
        raise MlprepError(f"cannot write the export: {exc.strerror}", path=path) from None


def to_html(markdown_text: str) -> str:
    """Markdown as simple HTML for Anki: code fences kept as <pre>, math as readable Unicode."""
    parts = _FENCE_RE.split(readable_math(markdown_text))
    out = []
    for i in range(0, len(parts), 3):
        out.append(html.escape(parts[i]).replace("\n", "<br>"))
        if i + 2 < len(parts):
            language = f' class="language-{parts[i + 1]}"' if parts[i + 1] else ""
            out.append(f"<pre><code{language}>{html.escape(parts[i + 2])}</code></pre>")
    return "".join(out)


def _stable_int(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) | (1 << 30)


MODEL_IDS = {"basic": 1607392319, "cloze": 1607392320}  # fixed, so re-exports update the same note types


def shuffled_choices(q: Question) -> list[str]:
    """The options of a choice question in an order fixed by its id (the bank's order often
    gives the answer away: the right one first)."""
    order = list(q.choices)
    random.Random(_stable_int(q.id)).shuffle(order)
    return order


def _models(genanki):
    css = ".card { font-family: sans-serif; font-size: 18px; text-align: left; }"
    basic = genanki.Model(
        MODEL_IDS["basic"], "mlprep Basic",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
        css=css,
    )
    cloze = genanki.Model(
        MODEL_IDS["cloze"], "mlprep Cloze",
        fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Id"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}"}],
        css=css, model_type=genanki.Model.CLOZE,
    )
    return basic, cloze


def write_anki(path: Path, questions: list[Question], deck_name: str, leeches: set[str]) -> int:
    """Write an .apkg deck; returns the number of notes. Needs the optional ``genanki``.

    Each note carries the question's id in an ``Id`` field, so `mlprep import` of the deck gives
    the same questions back; a choice question shows its options, shuffled by its id."""
    try:
        import genanki
    except ImportError:
        raise MlprepError("Anki export needs genanki: pip install 'mlprep[anki]'", path=path) from None
    basic, cloze = _models(genanki)
    deck = genanki.Deck(_stable_int(deck_name), deck_name)
    for q in questions:
        if q.unanswered:
            continue
        tags = [re.sub(r"\s+", "_", t) for t in (q.topic, *q.tags, *(["leech"] if q.id in leeches else []))]
        if q.kind == "cloze":
            model, fields = cloze, [to_html(q.question), to_html(q.explanation or ""), q.id]
        else:
            front = q.question
            if q.kind == "choice":
                front += "\n\n" + "\n".join(f"- {c}" for c in shuffled_choices(q))
            back = q.answer + (f"\n\n{q.explanation}" if q.explanation else "")
            model, fields = basic, [to_html(front), to_html(back), q.id]
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=genanki.guid_for(q.id)))
    try:
        genanki.Package(deck).write_to_file(str(path))
    except OSError as exc:
        raise MlprepError(f"cannot write the deck: {exc.strerror}", path=path) from None
    return len(deck.notes)
