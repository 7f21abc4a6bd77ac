"""A card as the extractor finds it in a note, before it gets an id, topic and tags."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUESTION_WORDS = frozenset(
    "what why how when where which who whom whose is are can could do does did should would "
    "will was were has have".split()
)
TASK_VERBS = frozenset(
    "write implement debug design build code explain describe derive compare prove define "
    "calculate compute estimate sketch discuss".split()
)
_NUMBER_PREFIX = re.compile(r"^\s*(?:\d+[.)]|(?:Q|Question)\s*\d+\s*[:.)])\s+", re.I)
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")


@dataclass
class Card:
    question: str
    answer: str
    line: int  # 1-based line of the question in the note
    heading: str  # the nearest heading (or bold title) above it
    origin: str  # qa, followup, list, heading, explain, separator, pair, cloze, table, details
    kind: str = "open"
    media: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # ``#flashcards/...`` tags written on the card
    schedule: str = ""  # the plugin's <!--SR:...--> schedule that follows the card, if any
    difficulty: int | None = None  # 1-3 when the note marks it ("👶", "(hard)")
    section: str = ""  # the nearest Markdown heading above it (a bold title is not one)

    @property
    def unanswered(self) -> bool:
        return self.kind != "cloze" and not self.answer.strip()


def first_word(text: str) -> str:
    words = re.findall(r"[A-Za-z']+", text)
    return words[0].lower().split("'")[0] if words else ""


def looks_like_question(text: str, *, min_words: int = 3) -> bool:
    """A question ("…?") or a task ("Write …", "Implement …") of at least ``min_words`` words.

    Without a ``?``, a question word is not enough ("What's your vision" is a note to self).
    """
    text = text.strip()
    if len(text.split()) < min_words or text.startswith(("**", "__")):
        return False
    return "?" in text or first_word(text) in TASK_VERBS


def clean_title(text: str) -> str:
    """A heading or bold title as a plain phrase: no emphasis, number prefix or trailing ``.``/``:``."""
    text = text.strip()
    m = _EMPHASIS.match(text)
    if m:
        text = m.group(2).strip()
    text = _NUMBER_PREFIX.sub("", text)
    return text.rstrip(" .:").strip()
