"""From scanned lines to cards: the note's structure (Q/A pairs and titled sections).

A note is cut into units: a ``Q:`` unit runs from its marker to the next marker (or to a heading
no deeper than the one it sits under), so its answer may hold paragraphs, lists, deeper headings
and code; a section runs from a heading or a bold title (``**Title**`` alone on its line) to the
next one. Then:

- a ``Q:`` unit gives its question (up to an ``A:`` marker, if one comes before the first blank
  line) and answer; a one-line paragraph in the answer that asks a question ("will BMM lead to
  …?") starts a follow-up card; numbered question lists inside the answer give cards too;
- a section whose title asks a question or sets a task (``### 2. Write …``) gives that question
  with the section body as its answer (unanswered when the body is empty);
- any other section with a body gives ``Explain: <title>``; a title with no body of its own over
  deeper sections is a container; a bold title over a higher heading takes that heading's body;
- cards written inline (see ``inline``) are taken out of section bodies first, except question
  lists, which stay in the answer (but a body that is only a question list makes no card);
- numbered-list questions are dropped when the note answers the same question elsewhere.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from mlprep.bank.schema import normalise_text
from mlprep.importer.card import QUESTION_WORDS, Card, clean_title, first_word, looks_like_question
from mlprep.importer.inline import (
    ITEM_RE,
    InlineFinder,
    is_details,
    split_pair,
    table_columns,
    to_cloze,
)
from mlprep.importer.markdown import ANSWER_MARK_RE, QUESTION_MARK_RE, Scan
from mlprep.importer.spans import mask, protected_spans

INLINE_ANSWER_RE = re.compile(r"\s(?:\*\*|__)?A(?:\*\*|__)?:(?:\*\*|__)?\s")
BOLD_TITLE_RE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
BOLD_RANK = 7  # a bold title ranks below every heading level
_CONTENTS = re.compile(r"^\s*(?:table of contents|contents|toc|index|links|references|resources)\s*$", re.I)
_LINK_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[^\]]*\]\([^)]*\)|<https?://[^>]+>|https?://\S+)\s*[.,;]?\s*$")
_LOOSE_SYNTAX = re.compile(r"::|==\S|\{\{|^\s*\?\??\s*$|<details|<!--SR:|^\s*>\s*\[!", re.I)
LIST_MATCH_RATIO = 90  # a list question this close to a question answered elsewhere is the same one


@dataclass
class Extraction:
    cards: list[Card]
    warnings: list[tuple[int, str]]  # (line, message), sorted


@dataclass
class _Unit:
    kind: str  # q | section | loose
    start: int  # index into the scanned lines
    end: int
    rank: int = 0
    title: str = ""  # a section's title, or the title a Q unit sits under
    parent: str = ""  # the title of the section above a section


class _Extractor:
    def __init__(self, scan: Scan):
        self.lines = scan.lines
        self.warnings: list[tuple[int, str]] = list(scan.warnings)
        self.cards: list[Card] = []
        self.bold = {i for i in range(len(self.lines)) if self._is_bold_title(i)}
        self.starts = self._card_starts()
        self.nearest: list[str] = []
        current = ""
        for i in range(len(self.lines)):
            if self.is_title(i):
                current = self.title_text(i)
            self.nearest.append(current)

    # -- line predicates -------------------------------------------------------------------
    def _is_bold_title(self, i: int) -> bool:
        line = self.lines[i]
        m = BOLD_TITLE_RE.match(line.text) if line.kind == "text" else None
        if not m or m.group(1) in m.group(2) or QUESTION_MARK_RE.match(line.text):
            return False
        alone_before = i == 0 or self.lines[i - 1].kind in ("blank", "rule", "heading")
        alone_after = i + 1 == len(self.lines) or self.lines[i + 1].kind in ("blank", "rule")
        return alone_before and alone_after

    def is_q(self, i: int) -> bool:
        line = self.lines[i]
        return line.kind == "text" and (line.mark == "callout-q" or bool(QUESTION_MARK_RE.match(line.text)))

    def _marker(self, i: int) -> bool:
        text = self.lines[i].text
        return bool(QUESTION_MARK_RE.match(text) or ANSWER_MARK_RE.match(text))

    def _card_starts(self) -> set[int]:
        """Lines where some card syntax begins: a ``Q:`` unit's answer ends before any of them.

        ``::`` / ``:::`` lines, the first line of a ``?`` / ``??`` card's front, a Question/Answer
        table, ``<details>``, a callout, a paragraph holding a cloze, and the line after a
        ``<!--SR:…-->`` schedule comment (which ends the card it follows).
        """
        lines, starts = self.lines, set()
        para_start = None
        for i, line in enumerate(lines):
            if line.kind != "text":
                para_start = None
                if line.mark in ("callout-q", "after-callout"):
                    starts.add(i)
                if line.schedule and i + 1 < len(lines):
                    starts.add(i + 1)
                continue
            if para_start is None:
                para_start = i
            text = line.text
            if line.mark in ("callout-q", "after-callout") or is_details(text) or table_columns(lines, i) is not None:
                starts.add(i)
            elif not ANSWER_MARK_RE.match(text) and split_pair(text) is not None:
                starts.add(i)
            elif text.strip() in ("?", "??") and i > para_start:
                k = i - 1
                while k > para_start and k - 1 not in starts and not self._marker(k - 1):
                    k -= 1
                starts.add(k)
            if line.schedule and i + 1 < len(lines):
                starts.add(i + 1)
        # paragraphs holding a cloze (not the one a unit starts in: an answer may highlight a term)
        i = 0
        while i < len(lines):
            if lines[i].kind != "text" or (i > 0 and lines[i - 1].kind == "text"):
                i += 1
                continue
            j = i
            while j < len(lines) and lines[j].kind == "text":
                j += 1
            text = "\n".join(lines[k].text for k in range(i, j))
            if ("==" in text or "{{" in text) and to_cloze(text) is not None:
                starts.add(i)
            i = j
        return starts

    def is_title(self, i: int) -> bool:
        return self.lines[i].kind == "heading" or i in self.bold

    def rank(self, i: int) -> int:
        return self.lines[i].level if self.lines[i].kind == "heading" else BOLD_RANK

    def title_text(self, i: int) -> str:
        return clean_title(self.lines[i].title)

    def heading_at(self, i: int) -> str:
        return self.nearest[i] if 0 <= i < len(self.nearest) else ""

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    # -- units -----------------------------------------------------------------------------
    def units(self) -> list[_Unit]:
        units: list[_Unit] = []
        stack: list[tuple[int, str]] = []
        enclosing_level, enclosing_title = 1, ""
        n = len(self.lines)
        i = 0
        while i < n:
            j = i + 1
            if self.is_q(i):
                answer_line = i + 1 if i + 1 < n and ANSWER_MARK_RE.match(self.lines[i + 1].text) else i
                while (
                    j < n
                    and not self.is_q(j)
                    and not (j > answer_line and j in self.starts and not self._in_a_line(i, j))
                    and not (
                        self.lines[j].kind == "heading" and self.lines[j].level <= enclosing_level
                    )
                ):
                    j += 1
                units.append(_Unit("q", i, j, title=enclosing_title))
            elif self.is_title(i):
                rank, title = self.rank(i), self.title_text(i)
                prev = units[-1] if units else None
                if (
                    prev
                    and prev.rank == BOLD_RANK > rank
                    and not self.has_text(range(prev.start + 1, prev.end))
                ):
                    parent = prev.parent  # a heading right under a bold title belongs to it
                else:
                    while stack and stack[-1][0] >= rank:
                        stack.pop()
                    parent = stack[-1][1] if stack else ""
                    stack.append((rank, title))
                    if self.lines[i].kind == "heading":
                        enclosing_level = self.lines[i].level
                    enclosing_title = title
                while j < n and not self.is_q(j) and not self.is_title(j):
                    j += 1
                units.append(_Unit("section", i, j, rank, title, parent))
            else:
                while j < n and not self.is_q(j) and not self.is_title(j):
                    j += 1
                units.append(_Unit("loose", i, j))
            i = j
        return units

    def _in_a_line(self, i: int, j: int) -> bool:
        """Whether line ``j`` continues the first paragraph of the question at ``i`` before its
        ``A:`` marker (a question over several lines), where card syntax is the question's own."""
        k = i + 1
        while k < j and self.lines[k].kind == "text" and not ANSWER_MARK_RE.match(self.lines[k].text):
            k += 1
        return j < k

    # -- text helpers ----------------------------------------------------------------------
    def join(self, indices, replace: dict[int, str] | None = None) -> str:
        """The lines as answer text: runs of blank lines made one, no blank or rule at the ends.

        ``replace`` gives other text for some lines (an ``A:`` line without its marker).
        """
        rows: list[tuple[str, str]] = []
        for i in indices:
            text = (replace or {}).get(i, self.lines[i].text)
            kind = self.lines[i].kind if text.strip() else "blank"
            if kind == "blank" and rows and rows[-1][0] == "blank":
                continue
            rows.append((kind, text))
        while rows and rows[0][0] in ("blank", "rule"):
            rows.pop(0)
        while rows and rows[-1][0] in ("blank", "rule"):
            rows.pop()
        return "\n".join(text for _, text in rows)

    def media(self, indices) -> list[str]:
        return [m for i in indices for m in self.lines[i].media]

    # -- Q/A units -------------------------------------------------------------------------
    def qa(self, unit: _Unit) -> None:
        lines, i = self.lines, unit.start
        if lines[i].mark == "callout-q":
            first = lines[i].text.strip().strip("*").strip()
        else:
            first = QUESTION_MARK_RE.match(lines[i].text).group(1).strip()
        same_line = INLINE_ANSWER_RE.search(first)
        answer_at = None
        for j in range(i + 1, unit.end if not same_line else i + 1):
            if lines[j].kind == "blank":
                break
            if lines[j].kind == "text" and ANSWER_MARK_RE.match(lines[j].text):
                answer_at = j
                break
        replace: dict[int, str] = {}
        if same_line:  # "Q: What is X? A: Y" on one line; the lines after it add to the answer
            question = first[: same_line.start()].strip()
            replace[i] = first[same_line.end() :].strip()
            lo, q_end = i, i
        elif answer_at is not None:
            question = "\n".join([first] + [lines[j].text for j in range(i + 1, answer_at)]).strip()
            replace[answer_at] = ANSWER_MARK_RE.match(lines[answer_at].text).group(1).strip()
            lo, q_end = answer_at, answer_at
        elif first:
            question, lo, q_end = first, i + 1, i + 1
        else:
            j = i + 1
            while j < unit.end and lines[j].kind == "blank":
                j += 1
            k = j
            while k < unit.end and lines[k].kind != "blank":
                k += 1
            question, lo, q_end = self.join(range(j, k)), k, k
        splits = [k for k in range(lo, unit.end) if self._is_followup(k, lo, unit.end)]
        bounds = [lo, *splits, unit.end]
        q_media = self.media(range(i, q_end))
        for n, (start, stop) in enumerate(pairwise(bounds)):
            if n == 0:
                answer = self.join(range(start, stop), replace)
                self.cards.append(
                    Card(
                        question,
                        answer,
                        lines[i].no,
                        unit.title,
                        "qa",
                        media=q_media + self.media(range(start, stop)),
                    )
                )
            else:
                answer = self.join(range(start + 1, stop))
                self.cards.append(
                    Card(
                        lines[start].text.strip(),
                        answer,
                        lines[start].no,
                        unit.title,
                        "followup",
                        media=self.media(range(start, stop)),
                    )
                )
        self.flag_absorbed(lo, unit.end, lines[i].no)
        lists = InlineFinder(lines, lo, unit.end, self.heading_at, self.warn)
        lists.question_lists()  # the answer keeps its list; the questions become cards too
        self.cards.extend(lists.cards)

    def flag_absorbed(self, lo: int, hi: int, question_line: int) -> None:
        """Warn about lines of an answer that look like card syntax (`--check` lists them)."""
        for k in range(lo, hi):
            line = self.lines[k]
            if line.kind != "text":
                continue
            text = ANSWER_MARK_RE.sub(r"\1", line.text, count=1)
            if _LOOSE_SYNTAX.search(mask(text, protected_spans(text))):
                self.warn(line.no, f"absorbed into the answer of line {question_line} but looks like card syntax: "
                                   f"{line.text.strip()[:80]}")

    def _is_followup(self, k: int, lo: int, hi: int) -> bool:
        """A one-line paragraph after some answer text that asks a new question."""
        lines = self.lines
        if lines[k].kind != "text" or k - 1 < lo or k + 1 >= hi:
            return False
        if lines[k - 1].kind != "blank" or lines[k + 1].kind != "blank":
            return False
        text = lines[k].text.strip()
        if (
            not text.endswith("?")
            or first_word(text) not in QUESTION_WORDS
            or len(text.split()) < 4
        ):
            return False
        if text[0] in "-*+>|#" or ITEM_RE.match(text) or ANSWER_MARK_RE.match(text):
            return False
        return any(lines[j].kind not in ("blank", "rule") for j in range(lo, k))

    # -- sections --------------------------------------------------------------------------
    def section_card(self, unit: _Unit, indices: list[int]) -> None:
        title = unit.title
        media = self.media([unit.start, *indices])
        answer = self.join(indices)
        if looks_like_question(title):
            self.cards.append(
                Card(title, answer, self.lines[unit.start].no, title, "heading", media=media)
            )
            return
        subject = f"{title} ({unit.parent})" if len(title.split()) == 1 and unit.parent else title
        self.cards.append(
            Card(
                f"Explain: {subject}",
                answer,
                self.lines[unit.start].no,
                title,
                "explain",
                media=media,
            )
        )

    def body(self, unit: _Unit) -> tuple[list[int], list[int]]:
        """The section's answer lines and, of those, the ones that are not question lists.

        Inline cards are collected and their lines left out; a list of questions stays in the
        answer (it is part of what the section says) but alone it makes no section card.
        """
        found = InlineFinder(self.lines, unit.start + 1, unit.end, self.heading_at, self.warn).run()
        self.cards.extend(found.cards)
        span = range(unit.start + 1, unit.end)
        answer = [i for i in span if i not in found.used or i in found.listed]
        return answer, [i for i in answer if i not in found.listed]

    def has_text(self, indices: list[int]) -> bool:
        return any(self.lines[i].kind not in ("blank", "rule") for i in indices)

    def link_list(self, indices: list[int]) -> bool:
        """Whether the text lines are all list items that are only a link (a table of contents)."""
        text = [self.lines[i].text for i in indices if self.lines[i].kind not in ("blank", "rule")]
        return bool(text) and all(_LINK_ITEM.match(t) for t in text)

    def section(self, k: int, units: list[_Unit], skip: set[int]) -> None:
        unit = units[k]
        body, own_text = self.body(unit)
        asks = looks_like_question(unit.title)
        if not unit.title or _CONTENTS.match(unit.title) or self.link_list(own_text):
            return  # a table of contents or a list of links is never a card
        if self.has_text(own_text):
            if k == 0 and unit.rank == 1 and len(units) > 1 and not asks:
                return  # the note's title over its introduction
            self.section_card(unit, body)
            return
        nxt = units[k + 1] if k + 1 < len(units) else None
        if nxt is not None and nxt.kind == "section" and nxt.rank > unit.rank:
            if asks:  # the deeper sections are this question's answer
                m = k + 1
                while m < len(units) and units[m].kind == "section" and units[m].rank > unit.rank:
                    skip.add(m)
                    m += 1
                self.section_card(unit, list(range(unit.start + 1, units[m - 1].end)))
            return
        if (
            nxt is not None
            and nxt.kind == "section"
            and nxt.rank < unit.rank
            and not asks
            and not looks_like_question(nxt.title)
        ):
            skip.add(k + 1)  # "**Testing ML models**" over "# Testing": one section
            absorbed, absorbed_text = self.body(nxt)
            if self.has_text(absorbed_text):
                self.section_card(unit, [nxt.start, *absorbed])
            return
        if asks:
            self.section_card(unit, [])

    # -- the whole note --------------------------------------------------------------------
    def run(self) -> Extraction:
        units = self.units()
        skip: set[int] = set()
        for k, unit in enumerate(units):
            if k in skip:
                continue
            if unit.kind == "q":
                self.qa(unit)
            elif unit.kind == "section":
                self.section(k, units, skip)
            else:
                found = InlineFinder(self.lines, unit.start, unit.end, self.heading_at, self.warn)
                self.cards.extend(found.run().cards)
        cards = self.dedup([c for c in self.cards if c.question.strip()])
        headings = [
            (line.no, clean_title(line.title))
            for line in self.lines
            if line.kind == "heading" and not looks_like_question(clean_title(line.title))
        ]
        for card in cards:  # the section it sits in: a heading that names a subject, not a question
            k = bisect.bisect_right(headings, (card.line, "\uffff")) - 1
            card.section = headings[k][1] if k >= 0 else ""
        self.flag_stray_questions(cards)
        return Extraction(cards, sorted(set(self.warnings)))

    def dedup(self, cards: list[Card]) -> list[Card]:
        """One card per question; list questions give way to the same question answered elsewhere."""
        kept: dict[str, Card] = {}
        for card in sorted((c for c in cards if c.origin != "list"), key=lambda c: c.line):
            key = normalise_text(card.question)
            first = kept.get(key)
            if first is None:
                kept[key] = card
            elif card.origin in ("pair", "separator", "table") and first.origin == card.origin and \
                    normalise_text(first.answer) != normalise_text(card.answer):
                kept[f"{key}\0{card.line}"] = card  # one front, two backs: two cards (a deck may)
            elif first.unanswered and not card.unanswered:
                kept[key] = card
                self.warn(
                    first.line,
                    f"same question as line {card.line}, which has the answer; kept that one",
                )
            else:
                self.warn(card.line, f"same question as line {first.line}; kept the first")
        answered_elsewhere = list(kept)
        for card in sorted((c for c in cards if c.origin == "list"), key=lambda c: c.line):
            key = normalise_text(card.question)
            if key in kept or any(
                fuzz.ratio(key, other) >= LIST_MATCH_RATIO for other in answered_elsewhere
            ):
                continue
            kept[key] = card
        return sorted(kept.values(), key=lambda c: c.line)

    def flag_stray_questions(self, cards: list[Card]) -> None:
        """Warn about one-line paragraphs that ask something but did not become a card."""
        card_lines = {c.line for c in cards}
        lines = self.lines
        for i, line in enumerate(lines):
            if line.kind != "text" or line.no in card_lines or not line.text.rstrip().endswith("?"):
                continue
            alone = (i == 0 or lines[i - 1].kind != "text") and (
                i + 1 == len(lines) or lines[i + 1].kind != "text"
            )
            if alone and not self.is_q(i) and not ITEM_RE.match(line.text):
                self.warn(
                    line.no, f"looks like a question but is not a card: {line.text.strip()[:80]}"
                )


def extract(scan: Scan) -> Extraction:
    """The cards of a scanned note, in note order, and what looked suspicious."""
    return _Extractor(scan).run()
