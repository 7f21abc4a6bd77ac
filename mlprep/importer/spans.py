"""Inline spans that must be left alone: code spans, math, URLs and cloze deletions.

Card syntax found inside one of these (``std::vector`` in backticks, ``https://``, ``$a::b$``)
is text, not syntax.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+")
_CLOZE = re.compile(r"\{\{c\d+::.+?\}\}")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span."""
    return [m.span() for m in _CODE.finditer(text)]


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of inline code, math, URLs and clozes, in order, not overlapping."""
    spans = code_spans(text)

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in spans)

    for pattern in (_MATH, _URL, _CLOZE):
        for m in pattern.finditer(text):
            if free(*m.span()):
                spans.append(m.span())
    return sorted(spans)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character inside ``spans`` replaced by a NUL, keeping offsets."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\0" * (end - start)
    return "".join(chars)


def sub_outside(pattern: re.Pattern[str], repl, text: str, spans: list[tuple[int, int]]) -> str:
    """``pattern.sub(repl, text)`` applied only to the parts of ``text`` outside ``spans``."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(pattern.sub(repl, text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(pattern.sub(repl, text[pos:]))
    return "".join(out)
