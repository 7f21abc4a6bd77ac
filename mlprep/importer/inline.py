"""Cards written inside a stretch of lines, whatever section they sit in.

An ``InlineFinder`` looks at the scanned lines in a range ``[lo, hi)``; each of its finders adds
the cards it sees and marks their lines used, so that a line serves at most one card:

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

from mlprep.bank.schema import CLOZE_RE
from mlprep.importer.card import Card, looks_like_question
from mlprep.importer.markdown import Line
from mlprep.importer.spans import mask, protected_spans, sub_outside

HeadingAt = Callable[[int], str]
Warn = Callable[[int, str], None]

ITEM_RE = re.compile(r"^\s{0,3}\d+[.)]\s+(\S.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_HIGHLIGHT = re.compile(r"==(?=[^\s=])([^=\n]{1,300}?)(?<=[^\s=])==")  # bounded: no quadratic scan
_HIGHLIGHT_CODE = re.compile(r"==(`[^`\n]{1,300}`)==")  # a highlighted code span is a deletion too
_CURLY = re.compile(r"\{\{(?!c\d+::)([^{}\n]{1,300}?)\}\}")  # {{x}}: a deletion without a number
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_Q_COLUMNS = ("question", "q", "front", "prompt", "term")
_A_COLUMNS = ("answer", "a", "back", "definition", "response")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.I | re.S)
_DETAILS_TAGS = re.compile(r"</?details\b[^>]*>|<summary\b[^>]*>.*?</summary>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


_FIELD = re.compile(r"[\[(][^\[\]()]*::[^\[\]()]*[\])]")  # Dataview's [key:: value] / (key:: value)


# Obsidian / Dataview properties written inline (``tags:: ml``): fields, not cards
FIELD_KEYS = frozenset(
    "tags tag aliases alias status created updated modified date due source author type category "
    "cssclass cssclasses rating priority url link topic project area up parent related".split()
)
_FIELD_KEY = re.compile(r"^\s*([A-Za-z][\w-]*)::(?!:)")


def field_key(text: str) -> str | None:
    """The key of an inline property line such as ``tags:: ml``, else None."""
    m = _FIELD_KEY.match(text)
    return m.group(1) if m and m.group(1).lower() in FIELD_KEYS else None


def split_pair(text: str) -> tuple[str, str, str] | None:
    """(front, separator, back) of a ``front::back`` / ``front:::back`` line, else None.

    ``::`` inside inline code, math, URLs, clozes or a bracketed Dataview field is not a separator.
    """
    text = _BULLET.sub("", text, count=1)
    if "::" not in text or text.lstrip().startswith("|") or field_key(text):
        return None
    masked = mask(text, protected_spans(text) + [m.span() for m in _FIELD.finditer(text)])
    sep = ":::" if ":::" in masked else "::"
    pos = masked.find(sep)
    if pos < 0:
        return None
    left, right = text[:pos].strip(), text[pos + len(sep) :].strip()
    if not left or not right or right.startswith(":"):
        return None
    return left, sep, right


def table_columns(lines: list[Line], i: int) -> tuple[int, int] | None:
    """(question column, answer column) when ``lines[i]`` heads a Question/Answer table."""
    if i + 1 >= len(lines) or lines[i].kind != "text" or not lines[i].text.lstrip().startswith("|"):
        return None
    if lines[i + 1].kind != "text" or not _TABLE_RULE.match(lines[i + 1].text.strip()):
        return None
    header = [c.lower().strip("*_ ") for c in _cells(lines[i].text)]
    q_col = next((header.index(n) for n in _Q_COLUMNS if n in header), None)
    a_col = next((header.index(n) for n in _A_COLUMNS if n in header), None)
    return None if q_col is None or a_col is None else (q_col, a_col)


def is_details(text: str) -> bool:
    return text.lstrip().lower().startswith("<details")


_LEADING_TAGS = re.compile(r"^(?:\s*#[A-Za-z][\w/-]*)+(?:\s+|$)")


def strip_tags(front: str) -> tuple[str, list[str], int]:
    """A front without the ``#tag`` words it starts with (the plugin's ``#flashcards/...``
    deck tags, on the front's first line or on a line of their own above it).

    Returns (front, the tags without ``#``, how many whole lines were tags)."""
    tags: list[str] = []
    lines = front.split("\n")
    dropped = 0
    while lines:
        m = _LEADING_TAGS.match(lines[0])
        if not m:
            break
        tags += [t.lstrip("#") for t in m.group(0).split()]
        rest = lines[0][m.end() :]
        if rest.strip():
            lines[0] = rest
            break
        lines.pop(0)
        dropped += 1
    return "\n".join(lines).strip(), tags, dropped


def split_list_question(item: str) -> tuple[str, str]:
    """``"How …? latency, throughput"`` -> (``"How …?"``, ``"latency, throughput"``)."""
    mark = item.rfind("?")
    if mark < 0 or not item[mark + 1 :].strip():
        return item.strip(), ""
    return item[: mark + 1].strip(), item[mark + 1 :].strip()


def to_cloze(text: str) -> str | None:
    """The text with ``==x==``, ``==`code`==`` and ``{{x}}`` turned into ``{{cN::x}}``; None if
    it holds no deletion."""
    spans = [s for s in protected_spans(text) if not CLOZE_RE.fullmatch(text[s[0] : s[1]])]
    plain = mask(text, spans)
    numbers = [int(m.group(1)) for m in CLOZE_RE.finditer(plain)]
    if not numbers and not (_HIGHLIGHT.search(plain) or _HIGHLIGHT_CODE.search(text) or _CURLY.search(plain)):
        return None
    counter = iter(range(max(numbers, default=0) + 1, 10_000))

    def deletion(m: re.Match[str]) -> str:
        return f"{{{{c{next(counter)}::{m.group(1)}}}}}"

    text = _HIGHLIGHT_CODE.sub(deletion, text)  # before code spans are protected
    text = sub_outside(_CURLY, deletion, text, protected_spans(text))
    return sub_outside(_HIGHLIGHT, deletion, text, protected_spans(text))


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    cells = re.split(r"(?<!\\)\|", row)
    return [re.sub(r"<br\s*/?>", "\n", c.replace("\\|", "|"), flags=re.I).strip() for c in cells]


class InlineFinder:
    """Finds the inline cards in ``lines[lo:hi]``; ``cards`` and ``used`` collect the results."""

    def __init__(self, lines: list[Line], lo: int, hi: int, heading_at: HeadingAt, warn: Warn):
        self.lines, self.lo, self.hi = lines, lo, hi
        self.heading_at, self.warn = heading_at, warn
        self.cards: list[Card] = []
        self.used: set[int] = set()
        self.listed: set[int] = set()  # the lines of question lists (also in ``used``)

    def free(self, i: int, kind: str = "text") -> bool:
        return self.lo <= i < self.hi and i not in self.used and self.lines[i].kind == kind

    def text(self, indices) -> str:
        return "\n".join(self.lines[i].text for i in indices).strip("\n")

    def add(
        self,
        question: str,
        answer: str,
        origin: str,
        indices,
        at: int | None = None,
        kind: str = "open",
        entry: int = 0,
    ) -> None:
        """A card whose question sits at line index ``at`` (default: the first of ``indices``)."""
        indices = list(indices)
        at = indices[0] if at is None else at
        media = [m for i in indices for m in self.lines[i].media]
        tags: list[str] = []
        if origin in ("pair", "separator"):
            question, tags, dropped = strip_tags(question)
            at += dropped
        schedule = next((self.lines[i].schedule for i in indices if self.lines[i].schedule), "")
        if not schedule and indices and indices[-1] + 1 < len(self.lines):
            schedule = self.lines[indices[-1] + 1].schedule if self.lines[indices[-1] + 1].kind == "blank" else ""
        entries = [e for e in schedule.split("!") if e.strip()]
        schedule = entries[entry] if entry < len(entries) else ""
        self.cards.append(
            Card(question, answer, self.lines[at].no, self.heading_at(at), origin, kind, media, tags, schedule)
        )

    def run(self) -> InlineFinder:
        for find in (
            self.details,
            self.tables,
            self.pairs,
            self.separators,
            self.question_lists,
            self.clozes,
        ):
            find()
        return self

    def question_lists(self) -> None:
        """Numbered lists whose every item is a question or a task."""
        i = self.lo
        while i < self.hi:
            if not self.free(i) or not ITEM_RE.match(self.lines[i].text):
                i += 1
                continue
            items = [i]
            j = i + 1
            while True:
                k = j
                while self.free(k, "blank"):
                    k += 1
                if not (self.free(k) and ITEM_RE.match(self.lines[k].text)):
                    break
                items.append(k)
                j = k + 1
            texts = [ITEM_RE.match(self.lines[k].text).group(1) for k in items]
            continued = self.free(j)  # a line right after the last item continues it
            if len(items) >= 2 and not continued and all(looks_like_question(t) for t in texts):
                for k, text in zip(items, texts, strict=True):
                    self.add(*split_list_question(text), "list", [k])
                self.listed.update(range(items[0], items[-1] + 1))
                self.used |= self.listed
            i = j

    def separators(self) -> None:
        """``?`` / ``??`` alone on a line: the lines above are the front, the lines below the back."""
        for i in range(self.lo, self.hi):
            mark = self.lines[i].text.strip()
            if not self.free(i) or mark not in ("?", "??"):
                continue
            start = i
            while (self.free(start - 1) or self.free(start - 1, "code")) and not self.lines[start - 1].schedule:
                start -= 1
            end = i + 1
            while (self.free(end) or self.free(end, "code")) and not self.lines[end - 1].schedule:
                if self.lines[end].text.strip() in ("?", "??") and end - 1 > i + 1:
                    end -= 1  # back to back: the line above the next separator is its front
                    break
                end += 1
            front, back = self.text(range(start, i)).strip(), self.text(range(i + 1, end)).strip()
            if not front or not back:
                self.warn(self.lines[i].no, f"`{mark}` separator without text on both sides")
                continue
            self.add(front, back, "separator", range(start, end))
            if mark == "??":
                self.add(back, strip_tags(front)[0], "separator", range(start, end), at=i + 1, entry=1)
            self.used.update(range(start, end))

    def pairs(self) -> None:
        """``question::answer`` lines (``:::`` makes a card in each direction)."""
        for i in range(self.lo, self.hi):
            if not self.free(i):
                continue
            found = split_pair(self.lines[i].text)
            if found is None:
                key = field_key(self.lines[i].text)
                if key:
                    self.warn(self.lines[i].no, f"`{key}::` looks like an inline field, not a card")
                continue
            left, sep, right = found
            self.add(left, right, "pair", [i])
            if sep == ":::":
                self.add(right, strip_tags(left)[0], "pair", [i], entry=1)
            self.used.add(i)

    def clozes(self) -> None:
        """Paragraphs holding ``==x==`` or ``{{c1::x}}``."""
        para: list[int] = []
        for i in range(self.lo, self.hi + 1):
            if self.free(i) and not (para and self.lines[para[-1]].schedule):
                para.append(i)
                continue
            cloze = to_cloze(self.text(para)) if para else None
            if cloze is not None and CLOZE_RE.search(cloze):
                self.add(cloze, "", "cloze", para, kind="cloze")
                self.used.update(para)
            para = [i] if self.free(i) else []

    def tables(self) -> None:
        """Rows of tables with a Question (or Front/Term) and an Answer (or Back/Definition) column."""
        i = self.lo
        while i < self.hi:
            j = i
            while self.free(j) and self.lines[j].text.lstrip().startswith("|"):
                j += 1
            if j - i >= 3 and _TABLE_RULE.match(self.lines[i + 1].text.strip()):
                header = [c.lower().strip("*_ ") for c in _cells(self.lines[i].text)]
                q_col = next((header.index(n) for n in _Q_COLUMNS if n in header), None)
                a_col = next((header.index(n) for n in _A_COLUMNS if n in header), None)
                if q_col is not None and a_col is not None:
                    for k in range(i + 2, j):
                        cells = _cells(self.lines[k].text)
                        if len(cells) > max(q_col, a_col) and cells[q_col]:
                            self.add(cells[q_col], cells[a_col], "table", [k])
                    self.used.update(range(i, j))
            i = max(j, i + 1)

    def details(self) -> None:
        """``<details><summary>question</summary> answer </details>``, on one line or many."""
        i = self.lo
        while i < self.hi:
            if not self.free(i) or not self.lines[i].text.lstrip().lower().startswith("<details"):
                i += 1
                continue
            j = i
            while j < self.hi and "</details>" not in self.lines[j].text.lower():
                j += 1
            if j == self.hi:
                self.warn(self.lines[i].no, "`<details>` is never closed")
                i += 1
                continue
            block = self.text(range(i, j + 1))
            summary = _SUMMARY.search(block)
            question = _TAG.sub("", summary.group(1)).strip() if summary else ""
            if question:
                self.add(question, _DETAILS_TAGS.sub("", block).strip(), "details", range(i, j + 1))
                self.used.update(range(i, j + 1))
            else:
                self.warn(self.lines[i].no, "`<details>` without a `<summary>` question")
            i = j + 1
