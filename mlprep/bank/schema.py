"""The question schema: one ``Question`` record, its validation, and stable ids.

A bank file is YAML: either a list of question mappings, or a mapping with ``questions:`` (the
list) plus bank-wide defaults (``topic``, ``tags``). Validation reports problems as plain
``(index, field, message)`` tuples; the loader turns them into ``file:line`` messages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

KINDS = ("open", "choice", "cloze", "case")
# A system-design case is practised in ordered parts; these are the usual ones, in interview order.
CASE_PARTS = ("clarify and scope", "metrics", "data and labels", "features", "model and baseline", "training",
              "serving and latency", "monitoring and iteration")
DIFFICULTIES = {"easy": 1, "medium": 2, "hard": 3}
DIFFICULTY_NAMES = {v: k for k, v in DIFFICULTIES.items()}
BANK_KEYS = {"questions", "topic", "tags"}
CLOZE_RE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.*?))?\}\}", re.S)
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,119}$")

# key -> (accepted python types, human name)
_STR = ((str,), "a string")
_STR_LIST = ((list,), "a list of strings")
FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "id": _STR,
    "question": _STR,
    "answer": _STR,
    "topic": _STR,
    "tags": _STR_LIST,
    "difficulty": ((int, str), "1-3 or easy/medium/hard"),
    "kind": _STR,
    "choices": _STR_LIST,
    "correct": _STR,
    "source": ((dict, str), "a mapping {file, line, heading} or a string"),
    "keywords": _STR_LIST,
    "explanation": _STR,
    "see_also": _STR_LIST,
    "unanswered": ((bool,), "true or false"),
    "media": _STR_LIST,
    "rubric": ((dict,), "a mapping with `points` and `misconceptions`"),
    "parts": ((list,), "a list of {part, answer} mappings"),
    "retired": ((bool,), "true or false"),
}
SOURCE_KEYS = {"file", "line", "heading"}
RUBRIC_KEYS = {"points", "misconceptions"}
CLAIM_KEYS = {"claim", "match", "negated", "correction"}


@dataclass(frozen=True)
class Claim:
    """One claim an answer may make: shown as ``claim``; found in a clause of the answer when every
    group of ``match`` has one of its alternatives there, and the clause is negated iff ``negated``.

    A rubric point is a claim a good answer makes; a misconception is a classic wrong claim, with
    the one-line ``correction`` shown when an answer asserts it.
    """

    claim: str
    match: tuple[tuple[str, ...], ...]
    negated: bool = False
    correction: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"claim": self.claim, "match": [list(g) for g in self.match]}
        if self.negated:
            d["negated"] = True
        if self.correction:
            d["correction"] = self.correction
        return d


@dataclass(frozen=True)
class Rubric:
    points: tuple[Claim, ...]
    misconceptions: tuple[Claim, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"points": [c.to_dict() for c in self.points],
                "misconceptions": [c.to_dict() for c in self.misconceptions]}

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> Rubric | None:
        """Back from ``dataclasses.asdict`` (the bank cache); None stays None."""
        if record is None:
            return None

        def claim(c: dict[str, Any]) -> Claim:
            return Claim(c["claim"], tuple(tuple(g) for g in c["match"]), c["negated"], c["correction"])

        return cls(tuple(map(claim, record["points"])), tuple(map(claim, record["misconceptions"])))


def _parse_claim(raw: Any, where: str, misconception: bool) -> tuple[Claim | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [f"{where} must be a mapping with `claim` and `match`"]
    problems = [f"{where}: unknown key {k!r} (use {', '.join(sorted(CLAIM_KEYS))})" for k in raw if k not in CLAIM_KEYS]
    claim, match = raw.get("claim"), raw.get("match")
    if not isinstance(claim, str) or not claim.strip():
        problems.append(f"{where}: `claim` must be a non-empty string")
    if isinstance(match, list) and match and all(isinstance(m, str) for m in match):
        match = [match]  # a flat list is one group of alternatives
    groups = []
    if not isinstance(match, list) or not match:
        problems.append(f"{where}: `match` must be a list of alternatives, or a list of such lists")
    else:
        for group in match:
            alts = [a.strip() for a in group] if isinstance(group, list) and all(isinstance(a, str) for a in group) else None
            if not alts or not all(alts):
                problems.append(f"{where}: each `match` group must be a non-empty list of non-empty strings")
                break
            groups.append(tuple(alts))
    if not isinstance(raw.get("negated", False), bool):
        problems.append(f"{where}: `negated` must be true or false")
    correction = raw.get("correction", "")
    if misconception and (not isinstance(correction, str) or not correction.strip()):
        problems.append(f"{where}: a misconception needs its one-line `correction`")
    if not misconception and "correction" in raw:
        problems.append(f"{where}: only misconceptions take a `correction`")
    if problems:
        return None, problems
    return Claim(claim.strip(), tuple(groups), bool(raw.get("negated", False)), (correction or "").strip()), []


def parse_rubric(raw: dict) -> tuple[Rubric | None, list[str]]:
    """A rubric from its YAML mapping: 2-5 points, 0-3 misconceptions (1-3 in the curated banks)."""
    problems = [f"unknown rubric key {k!r} (use points, misconceptions)" for k in raw if k not in RUBRIC_KEYS]
    points_raw, wrong_raw = raw.get("points"), raw.get("misconceptions") or []
    if not isinstance(points_raw, list) or not 2 <= len(points_raw) <= 5:
        problems.append("a rubric needs 2-5 `points`")
        points_raw = points_raw if isinstance(points_raw, list) else []
    if not isinstance(wrong_raw, list) or len(wrong_raw) > 3:
        problems.append("`misconceptions` must be a list of at most 3")
        wrong_raw = wrong_raw if isinstance(wrong_raw, list) else []
    points, wrong = [], []
    for i, item in enumerate(points_raw, 1):
        claim, errs = _parse_claim(item, f"point {i}", misconception=False)
        problems += errs
        points.append(claim)
    for i, item in enumerate(wrong_raw, 1):
        claim, errs = _parse_claim(item, f"misconception {i}", misconception=True)
        problems += errs
        wrong.append(claim)
    if problems:
        return None, problems
    return Rubric(tuple(points), tuple(wrong)), []


def normalise_text(text: str) -> str:
    """Lower-case, accent-free, punctuation-free, single-spaced: the key behind a stable id."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[`*_~\[\]()\"'“”‘’.,;:!?<>{}|#=\\/-]+", " ", text)
    return " ".join(text.split())


def question_id(question: str) -> str:
    """A stable id derived from the normalised question text."""
    digest = hashlib.sha1(normalise_text(question).encode("utf-8")).hexdigest()
    return f"q-{digest[:12]}"


def cloze_deletions(text: str) -> list[str]:
    """The hidden parts of a cloze text (``{{c1::answer}}`` or ``{{c1::answer::hint}}``)."""
    return [m.group(2) for m in CLOZE_RE.finditer(text)]


def cloze_mask(text: str) -> str:
    """The cloze text with each deletion replaced by ``[...]`` (or ``[hint]``)."""
    return CLOZE_RE.sub(lambda m: f"[{m.group(3) or '...'}]", text)


def cloze_reveal(text: str) -> str:
    """The cloze text with each deletion shown in bold."""
    return CLOZE_RE.sub(lambda m: f"**{m.group(2)}**", text)


@dataclass(frozen=True)
class CasePart:
    """One part of a system-design case: its name (e.g. "metrics") and the model answer."""

    part: str
    answer: str


def _parse_parts(raw: list) -> tuple[list[CasePart], list[str]]:
    parts, problems = [], []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != {"part", "answer"}:
            problems.append(f"part {i} must be a mapping with exactly `part` and `answer`")
            continue
        name, answer = item["part"], item["answer"]
        if not isinstance(name, str) or not name.strip() or not isinstance(answer, str) or not answer.strip():
            problems.append(f"part {i}: `part` and `answer` must be non-empty strings")
            continue
        parts.append(CasePart(name.strip(), answer.strip()))
    if len(raw) < 3:
        problems.append("a case needs at least 3 `parts` (e.g. " + ", ".join(CASE_PARTS[:3]) + ", ...)")
    return parts, problems


@dataclass
class Question:
    id: str
    question: str
    answer: str
    topic: str
    tags: list[str] = field(default_factory=list)
    difficulty: int = 2
    kind: str = "open"
    choices: list[str] = field(default_factory=list)
    correct: str | None = None
    source: dict[str, Any] | None = None
    keywords: list[str] = field(default_factory=list)
    explanation: str | None = None
    see_also: list[str] = field(default_factory=list)
    unanswered: bool = False
    media: list[str] = field(default_factory=list)
    rubric: Rubric | None = None  # how a typed answer is judged (open questions of the curated banks)
    parts: list[CasePart] = field(default_factory=list)  # a case's ordered parts, revealed one at a time
    retired: bool = False  # gone from its note: kept (with its history) but never asked
    from_notes: list[str] = field(default_factory=list)  # your notes' answers to this card, when it covers note cards (not in YAML)
    bank: str = ""  # the bank it was loaded from (relative path without suffix); not stored in YAML
    position: int = 0  # index within its bank file, for locating it again; not stored in YAML

    @property
    def difficulty_name(self) -> str:
        return DIFFICULTY_NAMES[self.difficulty]

    def to_row(self) -> list[Any]:
        """Every field in order, as JSON values: the form the bank caches keep."""
        row = [getattr(self, f.name) for f in dataclasses.fields(self)]
        row[_RUBRIC] = None if self.rubric is None else dataclasses.asdict(self.rubric)
        row[_PARTS] = [dataclasses.asdict(p) for p in self.parts]
        return row

    @classmethod
    def from_row(cls, row: list[Any]) -> Question:
        """Back from :meth:`to_row`."""
        q = cls(*row)
        q.rubric = Rubric.from_record(q.rubric)
        q.parts = [CasePart(**p) for p in q.parts]
        return q

    def to_dict(self, *, with_bank: bool = True) -> dict[str, Any]:
        """A plain mapping: the JSON/YAML form. Empty optional fields are left out of YAML."""
        d: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "topic": self.topic,
            "tags": list(self.tags),
            "difficulty": self.difficulty_name,
            "kind": self.kind,
            "source": self.source,
        }
        for key in ("choices", "correct", "keywords", "explanation", "see_also", "media"):
            value = getattr(self, key)
            if value:
                d[key] = value
        if self.unanswered:
            d["unanswered"] = True
        if self.rubric is not None:
            d["rubric"] = self.rubric.to_dict()
        if self.parts:
            d["parts"] = [{"part": p.part, "answer": p.answer} for p in self.parts]
        if self.retired:
            d["retired"] = True
        if with_bank:
            d["bank"] = self.bank
        return d


QUESTION_FIELDS = [f.name for f in dataclasses.fields(Question)]
_RUBRIC, _PARTS = QUESTION_FIELDS.index("rubric"), QUESTION_FIELDS.index("parts")


def parse_difficulty(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in DIFFICULTY_NAMES else None
    if isinstance(value, str):
        v = value.strip().lower()
        if v.isdigit():
            return parse_difficulty(int(v))
        return DIFFICULTIES.get(v)
    return None


def build_question(
    raw: Any, defaults: dict[str, Any] | None = None
) -> tuple[Question | None, list[tuple[str | None, str]]]:
    """Check one raw mapping and build a Question. Returns (question or None, [(field, message)])."""
    problems: list[tuple[str | None, str]] = []
    if not isinstance(raw, dict):
        return None, [(None, f"each question must be a mapping, got {type(raw).__name__}")]
    data = dict(defaults or {})
    data.update(raw)

    bad_type: set[str] = set()
    for key in raw:
        if key not in FIELD_TYPES:
            known = ", ".join(sorted(FIELD_TYPES))
            problems.append((str(key), f"unknown key {key!r} (known keys: {known})"))
    for key, (types, name) in FIELD_TYPES.items():
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, types) or (bool in types) != isinstance(value, bool):
            hint = " (quote it: YAML reads yes/no/on/off as booleans)" if isinstance(value, bool) else ""
            problems.append((key, f"{key!r} must be {name}, got {type(value).__name__}{hint}"))
            bad_type.add(key)
            data[key] = None
        elif types == (list,) and key != "parts" and not all(isinstance(x, str) for x in value):
            problems.append((key, f"{key!r} must be {name}"))
            bad_type.add(key)
            data[key] = None

    question = data.get("question")
    if "question" not in bad_type and (not isinstance(question, str) or not question.strip()):
        problems.append(("question", "empty question text"))
    unanswered = bool(data.get("unanswered"))
    answer = data.get("answer") or ""
    kind = data.get("kind") or "open"
    if kind not in KINDS:
        problems.append(("kind", f"kind {kind!r} is not one of {', '.join(KINDS)}"))
    if kind == "choice" and not answer.strip() and isinstance(data.get("correct"), str):
        answer = data["correct"]
    parts: list[CasePart] = []
    if kind == "case":
        if not isinstance(data.get("parts"), list):
            if "parts" not in bad_type:
                problems.append(("parts", "a case needs `parts`: a list of {part, answer} in the order they are asked"))
        else:
            parts, errs = _parse_parts(data["parts"])
            problems += [("parts", e) for e in errs]
            if not answer.strip():  # the whole model answer, for listings and exports
                answer = "\n\n".join(f"**{p.part}**: {p.answer}" for p in parts)
    elif data.get("parts") is not None:
        problems.append(("parts", "`parts` belong to `kind: case` questions only"))
    if "answer" not in bad_type and not answer.strip() and not unanswered and kind not in ("cloze", "case"):
        problems.append(("answer", "empty answer (mark the question `unanswered: true` if the notes have none)"))
    if not data.get("topic"):
        problems.append(("topic", "missing topic (set it on the question or once for the bank)"))
    difficulty = 2
    if data.get("difficulty") is not None:
        parsed = parse_difficulty(data["difficulty"])
        if parsed is None:
            problems.append(("difficulty", f"difficulty {data['difficulty']!r} is not 1-3 or easy/medium/hard"))
        else:
            difficulty = parsed
    choices = data.get("choices") or []
    correct = data.get("correct")
    if kind == "choice":
        if len(choices) < 2:
            problems.append(("choices", "a choice question needs at least two `choices`"))
        if correct is None:
            problems.append(("correct", "a choice question needs `correct`"))
        elif correct not in choices:
            problems.append(("correct", f"correct answer {correct!r} is not among the choices"))
        if len(set(choices)) != len(choices):
            problems.append(("choices", "duplicate choices"))
    elif correct is not None or choices:
        problems.append(("kind", "`choices`/`correct` given but kind is not `choice`"))
    if kind == "cloze" and isinstance(question, str) and not cloze_deletions(question):
        problems.append(("question", "a cloze question needs at least one {{c1::...}} deletion"))
    source = data.get("source")
    if isinstance(source, dict):
        extra = set(source) - SOURCE_KEYS
        if extra:
            problems.append(("source", f"unknown source keys {sorted(extra)} (use file, line, heading)"))
    rubric = None
    if isinstance(data.get("rubric"), dict):
        rubric, errs = parse_rubric(data["rubric"])
        problems += [("rubric", e) for e in errs]
        if kind != "open":
            problems.append(("rubric", "only open questions take a rubric (choice and cloze answers are exact)"))
    qid = data.get("id")
    if qid is not None and isinstance(qid, str) and not ID_RE.match(qid):
        problems.append(("id", f"id {qid!r} must be letters, digits and _.:- (at most 120)"))
    if problems:
        return None, problems

    if isinstance(source, str):
        source = {"file": source}
    if kind == "cloze" and not answer.strip():
        answer = cloze_reveal(question)
    q = Question(
        id=qid or question_id(question),
        question=question.strip(),
        answer=answer.strip(),
        topic=data["topic"],
        tags=list(data.get("tags") or []),
        difficulty=difficulty,
        kind=kind,
        choices=list(choices),
        correct=correct,
        source=source,
        keywords=list(data.get("keywords") or []),
        explanation=data.get("explanation"),
        see_also=list(data.get("see_also") or []),
        unanswered=unanswered,
        media=list(data.get("media") or []),
        rubric=rubric,
        parts=parts,
        retired=bool(data.get("retired")),
    )
    return q, []
