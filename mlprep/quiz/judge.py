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

_CLAUSE_RE = re.compile(
    r"(?<!\d)\.|\.(?!\d)|[;!?\n]+"  # a decimal point (between digits) does not end a clause; a colon ends a segment
    r"|\b(?:but|whereas|while|however|although|though|unlike|in contrast)\b"
)
NEGATIONS = frozenset(
    "not no never cannot cant without neither nor rarely seldom hardly nothing none "
    "doesn isn aren wasn weren shouldn wouldn couldn didn hasn haven hadn mustn needn".split()
)
CONTRACTED = frozenset("can don won isn aren wasn weren doesn shouldn wouldn couldn didn hasn haven hadn".split())
# Cues that deny only the few words after them ("use X instead of Y": Y is denied, X is not).
SHORT_SCOPE = (("instead", "of"), ("rather", "than"), ("avoid",), ("avoids",), ("avoiding",), ("without",))
FORWARD_SPAN = 4  # words an "instead of"-like cue denies ("instead of the full batch gradient")
_SEGMENT_RE = re.compile(r",|\(|\)|(?<!\d):(?!\d)|\band\b(?= (?:then|so|thus)\b)")
_SUFFIXES = ("ations", "ation", "ities", "ity", "ingly", "ings", "ing", "edly", "ied", "ies", "ness", "ed", "es",
             "ly", "s", "e")
TYPO_MIN_LEN = 5  # stems this long tolerate one typo (an edit)
PHRASE_GAP = 2  # words allowed between two words of a multi-word alternative
PREFIX_MIN_LEN = 8  # a stem this long matches a word it begins ("hyperparam" in "hyperparameters")
SHORT_ANSWER_WORDS = 6  # an answer this short that makes the first point (the answer itself) is Good


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: ``sparse``/``sparsity`` -> ``spars``, ``shrinking`` -> ``shrink``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    """Equal stems; or one typo apart (five letters or more); or one a long abbreviation of the
    other (``hyperparam``/``hyperparameter``, eight letters or more)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= PREFIX_MIN_LEN and long_.startswith(short):
        return True
    return len(short) >= TYPO_MIN_LEN and Levenshtein.distance(a, b, score_cutoff=1) <= 1


@dataclass(frozen=True)
class Clause:
    stems: tuple[str, ...]
    negated: tuple[bool, ...]  # per word: whether a negation covers it


def _negations(words: list[str]) -> list[bool]:
    """Which words of one comma-separated segment are negated: those after a negation cue.

    "instead of", "rather than", "avoid" and "without" deny the next few words only ("use X instead
    of Y"); "not", "no", "never", "doesn't", "rarely"... deny the rest of the segment ("L2 does not
    give sparse weights", "folds the search never saw")."""
    n = len(words)
    mask = [False] * n
    for i, w in enumerate(words):
        span = next((c for c in SHORT_SCOPE if tuple(words[i:i + len(c)]) == c), None)
        if span is not None:
            for j in range(i + len(span), min(n, i + len(span) + FORWARD_SPAN)):
                mask[j] = True
        elif w in NEGATIONS or (w == "t" and i > 0 and words[i - 1] in CONTRACTED):
            for j in range(i + 1, n):
                mask[j] = True
    return mask


def clauses(text: str) -> list[Clause]:
    """The answer's clauses, as stemmed words with the polarity of each."""
    out = []
    for piece in _CLAUSE_RE.split(text.lower()):
        stems: list[str] = []
        mask: list[bool] = []
        for segment in _SEGMENT_RE.split(piece):
            words = normalise_text(segment).split()
            stems += [stem(w) for w in words]
            mask += _negations(words)
        if stems:
            out.append(Clause(tuple(stems), tuple(mask)))
    return out


@lru_cache(maxsize=16384)
def _phrase(alternative: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise_text(alternative).split())


def _occurrences(phrase: tuple[str, ...], words: tuple[str, ...], start: int):
    """Every (first, last) index pair at or after ``start`` where ``phrase`` occurs in ``words``,
    its words in order with at most ``PHRASE_GAP`` other words between two of them ("exactly to
    zero" says "exactly zero")."""
    for i in range(start, len(words)):
        if not _same(phrase[0], words[i]):
            continue
        at, ok = i, True
        for word in phrase[1:]:
            nxt = next((j for j in range(at + 1, min(len(words), at + 2 + PHRASE_GAP)) if _same(word, words[j])), None)
            if nxt is None:
                ok = False
                break
            at = nxt
        if ok:
            yield i, at


def _made_in(claim: Claim, clause: Clause) -> bool:
    """Whether each group has an alternative in the clause, each after the previous group's, with
    the claim's polarity: negated when the subject (the first group's word) or the predicate (the
    last group's) is."""
    at, subject = 0, None
    *lead, last = claim.match
    for group in lead:
        found = [(last + 1, first) for alt in group if (p := _phrase(alt))
                 for first, last in [next(_occurrences(p, clause.stems, at), (None, None))] if first is not None]
        if not found:
            return False
        at, start = min(found)
        subject = start if subject is None else subject
    for alt in last:
        phrase = _phrase(alt)
        if not phrase:
            continue
        for i, _ in _occurrences(phrase, clause.stems, at):
            negated = clause.negated[i] or (subject is not None and clause.negated[subject])
            if negated == claim.negated:
                return True
    return False


def makes(claim: Claim, parts: list[Clause]) -> bool:
    """Whether some clause makes ``claim`` with the claim's polarity."""
    return any(_made_in(claim, c) for c in parts)


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
    """Judge ``typed`` against ``q``'s rubric; without one, fall back to the word-overlap score.

    A short answer (a few words) that makes the rubric's first point, the answer itself, is at least
    Good: "6 frames" answers "how many frames at least?" without the derivation."""
    if q.rubric is None:
        score = score_answer(q, typed)
        return Verdict(score, suggested_rating(score), judge="words")
    parts = clauses(typed)
    v = verdict_from(tuple(makes(c, parts) for c in q.rubric.points),
                     tuple(makes(c, parts) for c in q.rubric.misconceptions))
    short = len(normalise_text(typed).split()) <= SHORT_ANSWER_WORDS
    if short and v.points and v.points[0] and not any(v.misconceptions) and v.rating < 3:
        return Verdict(max(v.score, 67), 3, v.points, v.misconceptions, v.judge)
    return v
