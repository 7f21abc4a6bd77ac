"""Judging a typed answer by its claims: which rubric points it makes, which misconceptions it asserts.

The answer is normalised (lower case, no accents or punctuation) and cut into clauses at sentence
punctuation, new lines and contrast words ("but", "whereas", ...). A claim is made in a clause when
each of its ``match`` groups has an alternative there, in group order (subject before predicate),
and the clause's polarity agrees with the claim's ``negated``: "L2 does not give sparse weights"
makes the negated point about L2 and not the misconception "L2 gives sparse weights"; "L1 gives
sparse weights and L2 shrinks them" does not assert "L2 ... sparse" either, because the order is
wrong. Words match after light stemming, and stems of five letters or more tolerate one typo.

An asserted misconception caps the suggestion at Again; otherwise it follows the share of points
made. Pure Python and rapidfuzz: offline, no model, well under a millisecond per answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from mlprep.bank.schema import Claim, Question, normalise_text
from mlprep.quiz.scoring import score_answer, suggested_rating

_CLAUSE_RE = re.compile(r"[.;:!?\n]+|\b(?:but|whereas|while|however|although|though|unlike|in contrast)\b")
NEGATIONS = frozenset(
    "not no never cannot cant without neither nor rarely seldom hardly nothing none "
    "doesn isn aren wasn weren don won shouldn wouldn couldn didn hasn haven".split()
)
_SUFFIXES = ("ations", "ation", "ities", "ity", "ingly", "ings", "ing", "edly", "ied", "ies", "ness", "ed", "es",
             "ly", "s", "e")
TYPO_MIN_LEN = 5  # stems this long tolerate one typo (an edit)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: ``sparse``/``sparsity`` -> ``spars``, ``shrinking`` -> ``shrink``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= TYPO_MIN_LEN and Levenshtein.distance(a, b, score_cutoff=1) <= 1


@dataclass(frozen=True)
class Clause:
    stems: tuple[str, ...]
    negated: bool


def clauses(text: str) -> list[Clause]:
    """The answer's clauses, as stemmed words with their polarity."""
    out = []
    for piece in _CLAUSE_RE.split(text.lower()):
        words = normalise_text(piece).split()
        if words:
            out.append(Clause(tuple(stem(w) for w in words), any(w in NEGATIONS for w in words)))
    return out


@lru_cache(maxsize=16384)
def _phrase(alternative: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise_text(alternative).split())


def _find(phrase: tuple[str, ...], words: tuple[str, ...], start: int) -> int | None:
    """Index just past the first occurrence of ``phrase`` in ``words`` at or after ``start``."""
    n = len(phrase)
    for i in range(start, len(words) - n + 1):
        if all(_same(phrase[j], words[i + j]) for j in range(n)):
            return i + n
    return None


def _in_order(claim: Claim, words: tuple[str, ...]) -> bool:
    """Whether each group has an alternative in ``words``, each group's after the previous one's."""
    at = 0
    for group in claim.match:
        ends = [end for alt in group if (p := _phrase(alt)) and (end := _find(p, words, at)) is not None]
        if not ends:
            return False
        at = min(ends)
    return True


def makes(claim: Claim, parts: list[Clause]) -> bool:
    """Whether some clause makes ``claim`` with the claim's polarity."""
    return any(c.negated == claim.negated and _in_order(claim, c.stems) for c in parts)


@dataclass(frozen=True)
class Verdict:
    """What the judge found: points made (in rubric order), misconceptions asserted, the suggestion."""

    score: int  # 0-100
    rating: int  # 1 Again .. 4 Easy
    points: tuple[bool, ...] = ()
    misconceptions: tuple[bool, ...] = ()
    judge: str = "rubric"  # "rubric", or "words" for a question without a rubric

    def with_points(self, points: tuple[bool, ...]) -> Verdict:
        """The verdict after the learner overrules the judge on which points were made."""
        return verdict_from(points, self.misconceptions, self.judge)


def rating_for(share: float, misconception: bool) -> int:
    """Again under a third of the points or with a misconception; Hard under two thirds; Good
    below all of them; Easy for all."""
    if misconception or share < 1 / 3:
        return 1
    if share < 2 / 3 - 1e-9:
        return 2
    return 3 if share < 1 else 4


def verdict_from(points: tuple[bool, ...], misconceptions: tuple[bool, ...], judge: str = "rubric") -> Verdict:
    share = sum(points) / len(points) if points else 0.0
    wrong = any(misconceptions)
    score = 0 if wrong else round(100 * share)
    return Verdict(score, rating_for(share, wrong), points, misconceptions, judge)


def judge(q: Question, typed: str) -> Verdict:
    """Judge ``typed`` against ``q``'s rubric; without one, fall back to the word-overlap score."""
    if q.rubric is None:
        score = score_answer(q, typed)
        return Verdict(score, suggested_rating(score), judge="words")
    parts = clauses(typed)
    return verdict_from(tuple(makes(c, parts) for c in q.rubric.points),
                        tuple(makes(c, parts) for c in q.rubric.misconceptions))
