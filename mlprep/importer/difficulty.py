"""Difficulty markers in other people's question lists, read and taken out of the question.

Lists mark difficulty with emoji ("👶 easy ⭐️ medium 🚀 expert", often declared once in a
legend line near the top) or with words in brackets ("(easy)", "[hard]", "(Difficulty: Medium)").
``legend`` reads a note's own legend; ``take`` removes a marker from the start or end of a
question and says which difficulty (1-3) it meant.
"""

from __future__ import annotations

import re

LEVEL_WORDS = {
    "easy": 1, "beginner": 1, "basic": 1, "junior": 1,
    "medium": 2, "intermediate": 2, "moderate": 2, "mid": 2,
    "hard": 3, "expert": 3, "advanced": 3, "difficult": 3, "senior": 3,
}
DEFAULT_EMOJI = {"👶": 1, "🟢": 1, "🐣": 1, "⭐": 2, "🟡": 2, "🟠": 2, "🚀": 3, "🔴": 3, "🔥": 3, "💀": 3}
_JOINERS = re.compile("[\u200d\ufe0f\ufe0e]")
_LEGEND_LINE = re.compile(r"\blegend\b|\bdifficulty\b", re.I)
_PAIR = re.compile(r"(\S+)\s*[:=-]?\s*\(?([A-Za-z]+)\)?")
_BRACKETED = re.compile(
    r"[(\[]\s*(?:difficulty|level)?\s*[:=-]?\s*(" + "|".join(LEVEL_WORDS) + r")\s*[)\]]", re.I
)


def _plain(text: str) -> str:
    return _JOINERS.sub("", text)


def legend(text: str) -> dict[str, int]:
    """The emoji a note declares for each level ("Legend: 👶 easy ⭐️ medium 🚀 expert"), plus
    the usual ones it does not redefine."""
    found = dict(DEFAULT_EMOJI)
    for line in text.splitlines()[:200]:
        if not _LEGEND_LINE.search(line):
            continue
        for symbol, word in _PAIR.findall(_plain(line)):
            level = LEVEL_WORDS.get(word.lower())
            if level and not symbol.isalnum() and not symbol.isascii():
                found[symbol] = level
    return found


def take(question: str, symbols: dict[str, int]) -> tuple[str, int | None]:
    """The question without its difficulty marker, and the level the marker gave (or None)."""
    text = _plain(question).strip()
    level = None
    for _ in range(3):  # markers may pile up: "(hard) 🚀"
        m = _BRACKETED.search(text)
        if m and (m.end() == len(text) or m.start() == 0):
            level = LEVEL_WORDS[m.group(1).lower()]
            text = (text[: m.start()] + text[m.end() :]).strip()
            continue
        for symbol in sorted(symbols, key=len, reverse=True):
            if text.endswith(symbol) or text.startswith(symbol):
                level = symbols[symbol]
                text = (text[: -len(symbol)] if text.endswith(symbol) else text[len(symbol) :]).strip()
                break
        else:
            break
    if level is None:
        return question, None
    return text, level
