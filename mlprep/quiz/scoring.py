"""Scoring a typed answer 0-100 with rapidfuzz, and the rating that score suggests.

The score is the better of two views of the answer:
- coverage: the share of key terms found (fuzzily, so typos pass) in what was typed. The terms
  are the question's ``keywords``; a cloze card's hidden parts; otherwise the content words of
  the reference answer;
- closeness: rapidfuzz's ``token_sort_ratio`` of the typed text against the whole reference,
  which rewards a near-verbatim answer.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from mlprep.bank.schema import Question, cloze_deletions, normalise_text

TERM_MATCH = 85  # a term counts as present at this rapidfuzz similarity or above
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were "
    "which with what when where who why how into than then there their they them these those "
    "can could would should will not no but if so do does did been being also such each".split()
)


def key_terms(q: Question) -> list[str]:
    if q.keywords:
        terms = q.keywords
    elif q.kind == "cloze":
        terms = cloze_deletions(q.question)
    else:
        terms = [w for w in normalise_text(q.answer).split() if len(w) > 2 and w not in _STOPWORDS]
    seen: dict[str, None] = {}
    for term in terms:
        norm = normalise_text(term)
        if norm:
            seen.setdefault(norm, None)
    return list(seen)


def _present(term: str, typed: str) -> bool:
    if len(typed) >= len(term):
        return fuzz.partial_ratio(term, typed) >= TERM_MATCH
    return fuzz.ratio(term, typed) >= TERM_MATCH


def reference(q: Question) -> str:
    return " ".join(cloze_deletions(q.question)) if q.kind == "cloze" else q.answer


def score_answer(q: Question, typed: str) -> int:
    """0-100: how well ``typed`` covers the reference answer of ``q``."""
    text = normalise_text(typed)
    if not text:
        return 0
    terms = key_terms(q)
    coverage = sum(_present(t, text) for t in terms) / len(terms) if terms else 0.0
    closeness = fuzz.token_sort_ratio(text, normalise_text(reference(q))) / 100
    return round(100 * max(coverage, closeness))


def suggested_rating(score: int) -> int:
    """Again below 40, Hard below 70, Good below 95, Easy from 95."""
    if score < 40:
        return 1
    if score < 70:
        return 2
    if score < 95:
        return 3
    return 4
