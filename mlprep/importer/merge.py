"""Re-import without losing review history: match new cards to the questions already imported.

- same normalised question text -> same id (the id is derived from it);
- a changed answer keeps the id (it is derived from the question only);
- a lightly reworded question (same note file and heading, rapidfuzz ratio >= 85 on the
  normalised text) keeps the old id;
- anything else is added with a fresh id; old questions nothing matched are retired: kept in
  the bank with ``retired: true`` (never asked, review history kept), and brought back if the
  note asks them again.

Hand edits a person may have made in the bank (difficulty, keywords, explanation, see_also)
carry over to the matched card. Ids stay unique across every bank in the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from mlprep.bank.schema import Question, normalise_text, question_id
from mlprep.importer.notes import NoteImport
from mlprep.importer.topics import slug

REWORD_RATIO = 85
PRESERVED = ("difficulty", "keywords", "explanation", "see_also")
COMPARED = ("question", "answer", "topic", "tags", "kind", "media", "unanswered", "retired")
STATUSES = ("added", "changed", "retired", "kept")


@dataclass
class Change:
    status: str  # added | changed | kept | retired
    id: str
    question: str


@dataclass
class BankPlan:
    note: NoteImport
    path: Path
    questions: list[Question]  # what the bank will hold: the note's cards, retired ones, foreign entries
    changes: list[Change] = field(default_factory=list)

    def ids(self, status: str) -> list[str]:
        return [c.id for c in self.changes if c.status == status]


def _source(q: Question) -> tuple[str, str]:
    """(note file, heading) of a question; a heading the question itself names counts as its own
    section (the question of a ``### 2. Write …`` heading or an ``Explain: <title>`` card), so
    rewording the heading with the question still finds the old one."""
    source = q.source or {}
    heading = str(source.get("heading", ""))
    if heading and heading.lower() in q.question.lower():
        heading = "(its own heading)"
    return str(source.get("file", "")), heading


def _reworded(new: Question, candidates: list[Question]) -> Question | None:
    key = normalise_text(new.question)
    best, best_ratio = None, 0.0
    for old in candidates:
        if _source(old) != _source(new):
            continue
        ratio = fuzz.ratio(key, normalise_text(old.question))
        if ratio >= REWORD_RATIO and ratio > best_ratio:
            best, best_ratio = old, ratio
    return best


def _free_id(q: Question, blocked: tuple[set[str], ...], bank: str) -> str:
    def taken(candidate: str) -> bool:
        return any(candidate in ids for ids in blocked)

    if not taken(q.id):
        return q.id
    n = 1
    candidate = question_id(f"{bank} {q.question}")
    while taken(candidate):
        n += 1
        candidate = question_id(f"{bank} {n} {q.question}")
    return candidate


def merge(
    new: list[Question], old: list[Question], taken: set[str], bank: str
) -> tuple[list[Change], list[Question]]:
    """Give each new question its id (in place); return what happened to each question and
    the old questions that are retired now (or were already)."""
    old_by_id = {q.id: q for q in old}
    matched: dict[int, Question] = {}
    for k, q in enumerate(new):
        if q.id in old_by_id:
            matched[k] = old_by_id[q.id]
    used = {q.id for q in matched.values()}
    for k, q in enumerate(new):
        if k not in matched:
            found = _reworded(q, [o for o in old if o.id not in used])
            if found is not None:
                matched[k] = found
                used.add(found.id)
    changes: list[Change] = []
    assigned: set[str] = set()
    for k, q in enumerate(new):
        previous = matched.get(k)
        if previous is not None:
            q.id = previous.id
            for name in PRESERVED:
                setattr(q, name, getattr(previous, name))
            same = all(getattr(q, name) == getattr(previous, name) for name in COMPARED)
            status = "kept" if same else "changed"
        else:
            q.id = _free_id(q, (taken, assigned, used), bank)
            status = "added"
        assigned.add(q.id)
        changes.append(Change(status, q.id, q.question))
    retired = [replace(o, retired=True) for o in old if o.id not in used]
    changes.extend(Change("retired", o.id, o.question) for o in old if o.id not in used and not o.retired)
    return changes, retired


class _Others(set):
    """The ids a note may not take: every existing id but its own old ones, and those given out
    in this run; a view, so that it is not rebuilt for every note."""

    def __init__(self, existing: set[str], own: set[str], assigned: set[str]):
        super().__init__()
        self.existing, self.own, self.assigned = existing, own, assigned

    def __contains__(self, qid: object) -> bool:
        return (qid in self.existing and qid not in self.own) or qid in self.assigned


def plan(
    notes: list[NoteImport], out_dir: Path, existing: dict[Path, list[Question]]
) -> list[BankPlan]:
    """Where each note's bank goes and what changes there. ``existing``: the banks in ``out_dir``."""
    owner: dict[str, Path] = {}
    for path, questions in existing.items():
        for q in questions:
            owner.setdefault(_source(q)[0], path)
    targets: list[Path] = []
    for note in notes:
        path = owner.get(note.file)
        if path is None:
            path = out_dir / f"{note.name}.yaml"
            foreign = {_source(q)[0] for q in existing.get(path, [])} - {note.file}
            if path in targets or foreign:
                path = out_dir / f"{note.name}-{slug(Path(note.file).stem) or 'note'}.yaml"
        targets.append(path)
    existing_ids = {q.id for questions in existing.values() for q in questions}
    assigned: set[str] = set()
    plans: list[BankPlan] = []
    for note, path in zip(notes, targets, strict=True):
        held = existing.get(path, [])
        old = [q for q in held if _source(q)[0] == note.file]
        foreign = [q for q in held if _source(q)[0] != note.file]
        new = [replace(q) for q in note.questions]
        # a note may reuse its own old ids, never another bank's (nor one given out in this run)
        changes, retired = merge(new, old, _Others(existing_ids, {q.id for q in old}, assigned), path.stem)
        assigned |= {q.id for q in new}
        plans.append(BankPlan(note, path, new + retired + foreign, changes))
    return plans
