"""A line scanner for Markdown / Obsidian notes.

It classifies every line of a note (text, blank, heading, code, rule) and keeps its 1-based line
number, after taking care of what would otherwise confuse the card extractor:

- YAML front matter (its ``tags`` and ``topic`` are returned, the lines are dropped);
- a note wholly wrapped in one ```` ``` ```` fence (the wrapper is removed);
- fenced code with ```` ``` ```` or ``~~~``, nested by fence length and character, and ``$$``
  math blocks (read like code: card syntax inside them is not card syntax);
- setext headings (a one-line paragraph underlined with ``===`` or ``---``);
- Obsidian callouts ``> [!info]- Title`` (unwrapped: the title becomes ``*Title*``);
- ``%%…%%`` and ``<!-- … -->`` comments, inline or over many lines (dropped; an opener that is
  never closed is kept as text and reported, so it cannot swallow the rest of the note);
- wikilinks and embedded images (see ``obsidian``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from mlprep.importer.obsidian import clean_line
from mlprep.importer.spans import code_spans, sub_outside

FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
CALLOUT_RE = re.compile(r"^\s*>\s*\[!([\w-]+)\][+-]?\s*(.*)$")
# "Q:", "**Q:**", "**Q**:", "Question 3:"; group 1 is the text after the marker
QUESTION_MARK_RE = re.compile(
    r"^\s*(?:\*\*|__)?(?:Q|Question)\s*\d*\s*(?:\*\*|__)?\s*:(?!:)\s*(?:\*\*|__)?\s*(.*)$", re.I
)
ANSWER_MARK_RE = re.compile(
    r"^\s*(?:\*\*|__)?(?:A|Ans|Answer)\s*\d*\s*(?:\*\*|__)?\s*:(?!:)\s*(?:\*\*|__)?\s*(.*)$", re.I
)
SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_SETEXT = re.compile(r"^\s*(?:[-*+>|]|\d+[.)]\s|\*\*.*\*\*$)")  # list items, quotes, tables
_INLINE_COMMENT = re.compile(r"<!--.*?-->|%%.*?%%")
SCHEDULE_RE = re.compile(r"<!--SR:(.*?)-->")
QUESTION_CALLOUTS = frozenset({"question", "faq", "help", "q", "quiz", "flashcard"})
_OPENERS = (("<!--", "-->"), ("%%", "%%"))


@dataclass
class Line:
    no: int  # 1-based line number in the note file
    text: str  # the line as it reads in an answer (wikilinks resolved, images removed)
    kind: str  # text | blank | heading | code | rule
    level: int = 0  # heading level, 1-6
    media: list[str] = field(default_factory=list)
    mark: str = ""  # "callout": a callout starts here; "callout-q": a callout that asks (a card)
    schedule: str = ""  # a spaced-repetition plugin's <!--SR:...--> comment on this line (ends a card)

    @property
    def title(self) -> str:
        """A heading's text without the ``#`` marks."""
        m = HEADING_RE.match(self.text)
        return (m.group(2) or "").strip() if m else self.text.strip()


@dataclass
class Scan:
    lines: list[Line]
    front_matter: dict[str, Any]
    warnings: list[tuple[int, str]]  # (line, message): things a person may want to look at


def _split_front_matter(
    raw: list[str], warnings: list[tuple[int, str]]
) -> tuple[dict[str, Any], int]:
    """The front matter mapping and the index of the first line after it."""
    if not raw or raw[0].strip() != "---":
        return {}, 0
    for end in range(1, len(raw)):
        if raw[end].strip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(raw[1:end]))
            except yaml.YAMLError:
                warnings.append((1, "front matter is not valid YAML; its tags were ignored"))
                return {}, end + 1
            return (data if isinstance(data, dict) else {}), end + 1
    return {}, 0


def _fence_open(text: str) -> tuple[str, int] | None:
    """(character, length) of the fence ``text`` opens; ``$$`` alone opens a math block."""
    if text.strip() == "$$":
        return "$", 2
    m = FENCE_RE.match(text)
    if not m:
        return None
    marker, info = m.group(1), m.group(2)
    if marker[0] == "`" and "`" in info:
        return None
    return marker[0], len(marker)


def _fence_closes(text: str, fence: tuple[str, int]) -> bool:
    if fence[0] == "$":
        return text.strip() == "$$"
    m = FENCE_RE.match(text)
    return (
        bool(m)
        and m.group(1)[0] == fence[0]
        and len(m.group(1)) >= fence[1]
        and not m.group(2).strip()
    )


def _unwrap(raw: list[str], start: int) -> set[int]:
    """Indices of the lines of a fence that wraps the whole note (empty if there is none).

    The wrapper is a bare fence at the top of the note (after an optional title) whose content
    holds question markers: the content is the note, not code. Its closing fence, if any, is the
    last non-blank line. (A fence marked ``md`` at the top shows Markdown source: it stays code.)
    """
    first = next((i for i in range(start, len(raw)) if raw[i].strip()), None)
    if first is not None and HEADING_RE.match(raw[first]):
        first = next((i for i in range(first + 1, len(raw)) if raw[i].strip()), None)
    if first is None:
        return set()
    fence = _fence_open(raw[first])
    if fence is None or fence[0] == "$" or FENCE_RE.match(raw[first]).group(2).strip():
        return set()
    if not any(QUESTION_MARK_RE.match(line) for line in raw[first + 1 :]):
        return set()
    drop = {first}
    last = max(i for i in range(len(raw)) if raw[i].strip())
    if last > first and _fence_closes(raw[last], fence):
        inner: tuple[str, int] | None = None
        for i in range(first + 1, last):
            if inner is None:
                inner = _fence_open(raw[i])
            elif _fence_closes(raw[i], inner):
                inner = None
        if inner is None:
            drop.add(last)
    return drop


def _comment_end(raw: list[str], i: int, closer: str, holding: list[int]) -> tuple[int, int] | None:
    """(line index, column after the closer) of the first line after raw[i] holding ``closer``.

    ``holding``: the sorted indices of the lines that contain ``closer``.
    """
    k = bisect.bisect_right(holding, i)
    if k == len(holding):
        return None
    j = holding[k]
    return j, raw[j].find(closer) + len(closer)


def scan(text: str) -> Scan:
    """Classify the lines of a note."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw = [line.rstrip() for line in text.split("\n")]
    if len(raw) > 1 and not raw[-1]:
        raw.pop()  # the end of the last line, not a line of its own
    warnings: list[tuple[int, str]] = []
    front, start = _split_front_matter(raw, warnings)
    skip = _unwrap(raw, start)
    holding = {closer: [j for j, r in enumerate(raw) if closer in r] for _, closer in _OPENERS}
    lines: list[Line] = []
    fence: tuple[str, int] | None = None
    fence_line = 0
    in_callout: str | bool = False  # "callout" or "callout-q" (one that asks: a card) while inside one
    closed_callout = False  # the line just read is the first after a callout that asks: it ends that card
    padded = False  # whether the callout's lines read "> text" (one space to strip) or ">text"
    i = start
    while i < len(raw):
        no, line = i + 1, raw[i]
        if i in skip:
            i += 1
            continue
        if in_callout:
            if line.lstrip().startswith(">"):
                body = line.lstrip()[1:]
                line = body[1:] if padded and body.startswith(" ") else body
            else:
                closed_callout = in_callout == "callout-q"
                in_callout = False
                if fence is not None:
                    warnings.append(
                        (
                            fence_line,
                            "code fence in a callout is not closed; closed at the callout's end",
                        )
                    )
                    fence = None
        line = line.expandtabs(4)
        if fence is not None:
            if _fence_closes(line, fence):
                fence = None
            lines.append(Line(no, line, "code"))
            i += 1
            continue
        callout = CALLOUT_RE.match(line)
        if callout and not in_callout:
            padded = i + 1 < len(raw) and raw[i + 1].lstrip().startswith("> ")
            title = callout.group(2).strip()
            asks = title and (callout.group(1).lower() in QUESTION_CALLOUTS or title.endswith("?"))
            # a blank line of its own, so the callout starts a block (never continues a paragraph)
            in_callout = "callout-q" if asks else "callout"
            lines.append(Line(no, f"*{title}*" if title else "", "text" if title else "blank",
                              mark=in_callout))
            i += 1
            continue
        opened = _fence_open(line)
        if opened:
            fence, fence_line = opened, no
            lines.append(Line(no, line, "code"))
            i += 1
            continue
        schedule = ""
        if "<!--SR:" in line:
            found = SCHEDULE_RE.search(line)
            if found and _first_outside_code(line, "<!--SR:") is not None:
                schedule = found.group(1).strip()
                line = (line[: found.start()] + line[found.end() :]).rstrip()
        line, i = _strip_comments(raw, i, line, warnings, holding)
        if schedule:
            if line is None or not line.strip():
                lines.append(Line(no, "", "blank", schedule=schedule))
                continue
            lines.append(_classify(no, line))
            lines[-1].schedule = schedule
            continue
        if line is None:
            continue
        if not _setext(lines, no, line):
            lines.append(_classify(no, line))
            if closed_callout and not lines[-1].mark:
                lines[-1].mark = "after-callout"
        closed_callout = False
    if fence is not None:
        warnings.append(
            (fence_line, "code fence is never closed; the rest of the note was read as code")
        )
    return Scan(lines, front, warnings)


def _strip_comments(
    raw: list[str],
    i: int,
    line: str,
    warnings: list[tuple[int, str]],
    holding: dict[str, list[int]],
) -> tuple[str | None, int]:
    """Remove comments from ``line``, raw[i] as read (it may open one that runs over more lines).

    Returns the remaining text (None when the line was all comment) and the next index to read.
    """
    if "<!--" not in line and "%%" not in line:
        return line, i + 1
    had_text = bool(line.strip())
    line = sub_outside(_INLINE_COMMENT, "", line, code_spans(line))
    for opener, closer in _OPENERS:
        col = _first_outside_code(line, opener)
        if col is None:
            continue
        end = _comment_end(raw, i, closer, holding[closer])
        if end is None:
            warnings.append((i + 1, f"`{opener}` comment is never closed; kept as text"))
            break
        j, after = end
        rest = (line[:col] + " " + raw[j][after:]).rstrip()
        return (rest if rest.strip() else None), j + 1
    if had_text and not line.strip():
        return None, i + 1
    return line, i + 1


def _first_outside_code(line: str, token: str) -> int | None:
    spans = code_spans(line)
    pos = line.find(token)
    while pos >= 0:
        if all(not (s <= pos < e) for s, e in spans):
            return pos
        pos = line.find(token, pos + 1)
    return None


def _setext(lines: list[Line], no: int, line: str) -> bool:
    """Turn a one-line paragraph underlined with ``===`` or ``---`` into a heading (in place)."""
    m = SETEXT_RE.match(line)
    if not m or not lines or lines[-1].kind != "text" or lines[-1].no != no - 1:
        return False
    title = lines[-1]
    if len(lines) > 1 and lines[-2].kind == "text" and lines[-2].no == no - 2:
        return False  # a longer paragraph: leave it (and the rule) alone
    if (
        _NOT_SETEXT.match(title.text)
        or QUESTION_MARK_RE.match(title.text)
        or ANSWER_MARK_RE.match(title.text)
    ):
        return False
    level = 1 if m.group(1)[0] == "=" else 2
    lines[-1] = Line(title.no, f"{'#' * level} {title.text.strip()}", "heading", level, title.media)
    return True


_BREAKS_ONLY = re.compile(r"^\s*(?:<br\s*/?>\s*)+$", re.I)
_TRAILING_BREAK = re.compile(r"\s*<br\s*/?>\s*$", re.I)
_HR = re.compile(r"^\s*<hr\s*/?>\s*$", re.I)


def _classify(no: int, line: str) -> Line:
    line, media = clean_line(line)
    line = line.rstrip()
    if "<" in line:  # HTML separators that lists put between questions
        if _BREAKS_ONLY.match(line):
            return Line(no, "", "blank", media=media)
        if _HR.match(line):
            return Line(no, "---", "rule", media=media)
        line = _TRAILING_BREAK.sub("", line)
    if not line.strip():
        return Line(no, "", "blank", media=media)
    heading = HEADING_RE.match(line)
    if heading:
        if not (heading.group(2) or "").strip():
            return Line(no, line, "rule", media=media)
        return Line(no, line, "heading", level=len(heading.group(1)), media=media)
    if RULE_RE.match(line):
        return Line(no, line, "rule", media=media)
    return Line(no, line, "text", media=media)
