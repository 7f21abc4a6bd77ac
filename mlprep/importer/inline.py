"""Cards written inside a stretch of lines, whatever section they sit in.

Each finder takes the scanned lines, a range ``[lo, hi)``, the indices already used by another
card and a ``heading_at(index)`` callback; it returns the cards it found and the indices it used:

- numbered lists of questions (``1. What is …?``), the text after a last ``?`` being an answer;
- ``?`` / ``??`` alone on a line between two multi-line sides (``??``: both directions);
- ``question::answer`` and ``question:::answer`` (both directions), not inside inline code,
  URLs, math or tables;
- clozes ``==x==`` and ``{{c1::x}}`` (the paragraph becomes a cloze card);
- Markdown tables with Question/Answer columns;
- ``<details><summary>Q</summary>A</details>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mlprep.importer.card import Card, looks_like_question
from mlprep.importer.markdown import Line
from mlprep.importer.spans import mask, protected_spans, sub_outside
from mlprep.schema import CLOZE_RE

HeadingAt = Callable[[int], str]
Found = tuple[list[Card], set[int]]

ITEM_RE = re.compile(r"^\s{0,3}\d+[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_HIGHLIGHT = re.compile(r"==(?=[^\s=])(.+?)(?<=[^\s=])==")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_Q_COLUMNS = ("question", "q", "front", "prompt", "term")
_A_COLUMNS = ("answer", "a", "back", "definition", "response")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.I | re.S)
_DETAILS_TAGS = re.compile(r"</?details\b[^>]*>|<summary\b[^>]*>.*?</summary>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def _text(lines: list[Line], indices) -> str:
    return "\n".join(lines[i].text for i in indices).strip("\n")


def _media(lines: list[Line], indices) -> list[str]:
    return [m for i in indices for m in lines[i].media]


def split_list_question(item: str) -> tuple[str, str]:
    """``"How …? latency, throughput"`` -> (``"How …?"``, ``"latency, throughput"``)."""
    mark = item.rfind("?")
    if mark < 0 or not item[mark + 1 :].strip():
        return item.strip(), ""
    return item[: mark + 1].strip(), item[mark + 1 :].strip()


def question_lists(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt
) -> Found:
    """Numbered lists whose every item is a question or a task."""
    cards: list[Card] = []
    taken: set[int] = set()
    i = lo
    while i < hi:
        if i in used or lines[i].kind != "text" or not ITEM_RE.match(lines[i].text):
            i += 1
            continue
        items = [i]
        j = i + 1
        while j < hi and j not in used:
            if lines[j].kind == "text" and ITEM_RE.match(lines[j].text):
                items.append(j)
                j += 1
            elif lines[j].kind == "blank":
                k = j
                while k < hi and lines[k].kind == "blank":
                    k += 1
                if (
                    k < hi
                    and k not in used
                    and lines[k].kind == "text"
                    and ITEM_RE.match(lines[k].text)
                ):
                    j = k
                else:
                    break
            else:
                break
        continued = j < hi and lines[j].kind == "text" and j not in used
        texts = [ITEM_RE.match(lines[k].text).group(1) for k in items]
        if len(items) >= 2 and not continued and all(looks_like_question(t) for t in texts):
            for k, text in zip(items, texts, strict=True):
                question, answer = split_list_question(text)
                cards.append(
                    Card(
                        question,
                        answer,
                        lines[k].no,
                        heading_at(k),
                        "list",
                        media=list(lines[k].media),
                    )
                )
            taken.update(range(items[0], items[-1] + 1))
        i = j
    return cards, taken


def separator_cards(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt, warn
) -> Found:
    """``?`` / ``??`` alone on a line: the lines above are the front, the lines below the back."""
    cards: list[Card] = []
    taken: set[int] = set()
    for i in range(lo, hi):
        mark = lines[i].text.strip()
        if i in used or lines[i].kind != "text" or mark not in ("?", "??"):
            continue
        start = i
        while (
            start > lo
            and start - 1 not in used | taken
            and lines[start - 1].kind in ("text", "code")
        ):
            start -= 1
        end = i + 1
        while end < hi and end not in used and lines[end].kind in ("text", "code"):
            end += 1
        front, back = _text(lines, range(start, i)).strip(), _text(lines, range(i + 1, end)).strip()
        if not front or not back:
            warn(lines[i].no, f"`{mark}` separator without text on both sides")
            continue
        media = _media(lines, range(start, end))
        cards.append(Card(front, back, lines[start].no, heading_at(i), "separator", media=media))
        if mark == "??":
            cards.append(
                Card(back, front, lines[i + 1].no, heading_at(i), "separator", media=media)
            )
        taken.update(range(start, end))
    return cards, taken


def pair_cards(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt, warn
) -> Found:
    """``question::answer`` lines (``:::`` makes a card in each direction)."""
    cards: list[Card] = []
    taken: set[int] = set()
    for i in range(lo, hi):
        line = lines[i]
        if (
            i in used
            or line.kind != "text"
            or "::" not in line.text
            or line.text.lstrip().startswith("|")
        ):
            continue
        text = _BULLET.sub("", line.text, count=1)
        masked = mask(text, protected_spans(text))
        sep = ":::" if ":::" in masked else "::"
        pos = masked.find(sep)
        if pos < 0:
            continue
        left, right = text[:pos].strip(), text[pos + len(sep) :].strip()
        if not left or not right:
            continue
        if len(left.split()) < 2 and not left.endswith("?"):
            warn(line.no, f"`{left}{sep}` looks like an inline field, not a card")
            continue
        cards.append(Card(left, right, line.no, heading_at(i), "pair", media=list(line.media)))
        if sep == ":::":
            cards.append(Card(right, left, line.no, heading_at(i), "pair", media=list(line.media)))
        taken.add(i)
    return cards, taken


def _paragraphs(lines: list[Line], lo: int, hi: int, used: set[int]) -> list[list[int]]:
    paragraphs: list[list[int]] = []
    current: list[int] = []
    for i in range(lo, hi):
        if i not in used and lines[i].kind == "text":
            current.append(i)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def to_cloze(text: str) -> str | None:
    """The text with ``==x==`` turned into ``{{cN::x}}``; None if it holds no deletion."""
    spans = [s for s in protected_spans(text) if not CLOZE_RE.fullmatch(text[s[0] : s[1]])]
    plain = mask(text, spans)
    numbers = [int(m.group(1)) for m in CLOZE_RE.finditer(plain)]
    if not numbers and not _HIGHLIGHT.search(plain):
        return None
    counter = iter(range(max(numbers, default=0) + 1, 10_000))
    return sub_outside(
        _HIGHLIGHT, lambda m: f"{{{{c{next(counter)}::{m.group(1)}}}}}", text, protected_spans(text)
    )


def cloze_cards(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt
) -> Found:
    """Paragraphs holding ``==x==`` or ``{{c1::x}}``."""
    cards: list[Card] = []
    taken: set[int] = set()
    for para in _paragraphs(lines, lo, hi, used):
        cloze = to_cloze(_text(lines, para))
        if cloze is None or not CLOZE_RE.search(cloze):
            continue
        cards.append(
            Card(
                cloze,
                "",
                lines[para[0]].no,
                heading_at(para[0]),
                "cloze",
                kind="cloze",
                media=_media(lines, para),
            )
        )
        taken.update(para)
    return cards, taken


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    cells = re.split(r"(?<!\\)\|", row)
    return [re.sub(r"<br\s*/?>", "\n", c.replace("\\|", "|"), flags=re.I).strip() for c in cells]


def table_cards(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt
) -> Found:
    """Rows of tables with a Question (or Front/Term) and an Answer (or Back/Definition) column."""
    cards: list[Card] = []
    taken: set[int] = set()
    i = lo
    while i < hi:
        j = i
        while (
            j < hi
            and j not in used
            and lines[j].kind == "text"
            and lines[j].text.lstrip().startswith("|")
        ):
            j += 1
        if j - i >= 3 and _TABLE_RULE.match(lines[i + 1].text.strip()):
            header = [c.lower().strip("*_ ") for c in _cells(lines[i].text)]
            q_col = next((header.index(n) for n in _Q_COLUMNS if n in header), None)
            a_col = next((header.index(n) for n in _A_COLUMNS if n in header), None)
            if q_col is not None and a_col is not None:
                for k in range(i + 2, j):
                    cells = _cells(lines[k].text)
                    if len(cells) > max(q_col, a_col) and cells[q_col]:
                        cards.append(
                            Card(
                                cells[q_col],
                                cells[a_col],
                                lines[k].no,
                                heading_at(k),
                                "table",
                                media=list(lines[k].media),
                            )
                        )
                taken.update(range(i, j))
        i = max(j, i + 1)
    return cards, taken


def details_cards(
    lines: list[Line], lo: int, hi: int, used: set[int], heading_at: HeadingAt, warn
) -> Found:
    """``<details><summary>question</summary> answer </details>``, on one line or many."""
    cards: list[Card] = []
    taken: set[int] = set()
    i = lo
    while i < hi:
        if (
            i in used
            or lines[i].kind != "text"
            or not lines[i].text.lstrip().lower().startswith("<details")
        ):
            i += 1
            continue
        j = i
        while j < hi and "</details>" not in lines[j].text.lower():
            j += 1
        if j == hi:
            warn(lines[i].no, "`<details>` is never closed")
            i += 1
            continue
        block = _text(lines, range(i, j + 1))
        summary = _SUMMARY.search(block)
        question = _TAG.sub("", summary.group(1)).strip() if summary else ""
        if not question:
            warn(lines[i].no, "`<details>` without a `<summary>` question")
            i = j + 1
            continue
        answer = _DETAILS_TAGS.sub("", block).strip()
        cards.append(
            Card(
                question,
                answer,
                lines[i].no,
                heading_at(i),
                "details",
                media=_media(lines, range(i, j + 1)),
            )
        )
        taken.update(range(i, j + 1))
        i = j + 1
    return cards, taken


def inline_cards(lines: list[Line], lo: int, hi: int, heading_at: HeadingAt, warn) -> Found:
    """Every inline card in ``[lo, hi)``; each line serves at most one construct."""
    cards: list[Card] = []
    used: set[int] = set()
    finders = (
        lambda: details_cards(lines, lo, hi, used, heading_at, warn),
        lambda: table_cards(lines, lo, hi, used, heading_at),
        lambda: separator_cards(lines, lo, hi, used, heading_at, warn),
        lambda: pair_cards(lines, lo, hi, used, heading_at, warn),
        lambda: question_lists(lines, lo, hi, used, heading_at),
        lambda: cloze_cards(lines, lo, hi, used, heading_at),
    )
    for find in finders:
        found, taken = find()
        cards.extend(found)
        used |= taken
    return cards, used
