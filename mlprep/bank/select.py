"""Choosing questions by topic, tag, difficulty, kind, bank, source note or free text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mlprep.bank.schema import Question, normalise_text, parse_difficulty


@dataclass
class Filter:
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    difficulties: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    banks: list[str] = field(default_factory=list)
    source: str | None = None
    search: str | None = None

    @classmethod
    def from_options(
        cls,
        topic: Iterable[str] | None = None,
        tag: Iterable[str] | None = None,
        difficulty: Iterable[str] | None = None,
        kind: Iterable[str] | None = None,
        bank_name: Iterable[str] | None = None,
        source: str | None = None,
        search: str | None = None,
    ) -> Filter:
        diffs = []
        for d in difficulty or []:
            parsed = parse_difficulty(d)
            if parsed is None:
                raise ValueError(f"difficulty {d!r} is not 1-3 or easy/medium/hard")
            diffs.append(parsed)
        return cls(
            topics=[t.lower() for t in topic or []],
            tags=[t.lower() for t in tag or []],
            difficulties=diffs,
            kinds=list(kind or []),
            banks=list(bank_name or []),
            source=source,
            search=search,
        )

    def matches(self, q: Question) -> bool:
        if self.topics and not any(_topic_match(t, q.topic) for t in self.topics):
            return False
        if self.tags and not {t.lower() for t in q.tags} & set(self.tags):
            return False
        if self.difficulties and q.difficulty not in self.difficulties:
            return False
        if self.kinds and q.kind not in self.kinds:
            return False
        if self.banks and not any(q.bank == b or q.bank.startswith(b.rstrip("/") + "/") for b in self.banks):
            return False
        if self.source and self.source.lower() not in str((q.source or {}).get("file", "")).lower():
            return False
        if self.search:
            needle = normalise_text(self.search)
            hay = normalise_text(" ".join([q.question, q.answer, q.topic, " ".join(q.tags)]))
            if not all(word in hay for word in needle.split()):
                return False
        return True

    def apply(self, questions: Iterable[Question]) -> list[Question]:
        return [q for q in questions if self.matches(q)]


def no_match_message(flt: Filter, questions: list[Question]) -> str:
    """Why these filters chose nothing: each filter that matches nothing on its own, what exists
    for it and the closest names; or, when each matches alone, that they do not match together."""
    import difflib

    if not questions:
        return "the banks hold no questions; import notes or pass --bank"
    known = {
        "--topic": ("topics", Filter(topics=flt.topics), sorted({q.topic for q in questions})),
        "--tag": ("tags", Filter(tags=flt.tags), sorted({t.lower() for q in questions for t in q.tags})),
        "--kind": ("kinds", Filter(kinds=flt.kinds), sorted({q.kind for q in questions})),
        "--from-bank": ("banks", Filter(banks=flt.banks), sorted({q.bank for q in questions})),
    }
    given = {"--topic": flt.topics, "--tag": flt.tags, "--kind": flt.kinds, "--from-bank": flt.banks}
    parts = []
    for option, (noun, alone, names) in known.items():
        if not given[option] or any(alone.matches(q) for q in questions):
            continue
        close = [m for g in given[option] for m in difflib.get_close_matches(g, names, n=3, cutoff=0.6)]
        hint = f"did you mean {', '.join(dict.fromkeys(close))}? " if close else ""
        shown = ", ".join(names[:30]) + (f" (and {len(names) - 30} more)" if len(names) > 30 else "")
        parts.append(f"{option} {' '.join(given[option])}: {hint}{noun} that exist: {shown}")
    if not parts:
        used = [o for o, v in given.items() if v] + [o for o, v in (("--difficulty", flt.difficulties),
            ("--source", flt.source), ("--search", flt.search)) if v]
        parts.append(f"{', '.join(used)} match no question together; drop one (`mlprep questions` lists "
                     "what there is)")
    return "no question matches these filters; " + "; ".join(parts)


def _topic_match(wanted: str, topic: str) -> bool:
    """A topic filter matches the topic exactly, or as a prefix of a word in it ("transformers")."""
    topic = topic.lower()
    return wanted == topic or wanted in topic.replace("-", " ").replace("_", " ").split() or topic.startswith(wanted)
