"""The quiz session engine: the current card, reveal, answer, rate, skip, bury, suspend, undo.

No terminal I/O here: a front end (``mlprep.commands.views.quiz_screen``) reads keys and draws, and tests
drive a session directly. Every rating goes through the scheduler to the store at once, so
quitting at any moment loses nothing already rated.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mlprep.bank.schema import Question
from mlprep.quiz.judge import Verdict
from mlprep.quiz.judge import judge as judge_answer
from mlprep.quiz.llm_judge import JudgeError
from mlprep.quiz.queue import Plan
from mlprep.quiz.scheduler import Rated, Settings, bury, rate, restore, suspend, undo
from mlprep.store import CardRow, Store

LEARN_AHEAD = timedelta(minutes=20)  # a card due again within this is shown again this session
CLAIM_FOR = timedelta(minutes=15)  # a new card on screen is this session's for this long (renewed)
MODES = ("flash", "choice", "type")


@dataclass
class Answer:
    """What the user answered before the reveal, and the rating it suggests."""

    score: int  # 0-100 (a choice is 0 or 100)
    suggested: int
    picked: str | None = None  # the chosen option, for choice cards
    typed: str | None = None  # what was typed, for typed answers
    verdict: Verdict | None = None  # the judge's points and misconceptions (rubric questions)
    judge_note: str | None = None  # why the optional judge was not used for this answer
    part_ratings: tuple[int, ...] = ()  # a system-design case: the rating of each part, in order

    @property
    def correct(self) -> bool:
        return self.score >= 70


@dataclass
class Given:
    question: Question
    rating: int
    review_id: int
    seconds: float
    requeued: bool
    pos: int  # its place in the queue when it was rated


@dataclass
class Footer:
    """What is left in the session (the card on screen included) and what is done."""

    new: int  # never-seen cards still to come
    learning: int  # cards in (re)learning steps still to come, this session's Again/Hard among them
    due: int  # scheduled reviews still to come
    done: int  # cards rated so far
    elapsed: timedelta
    time_left: timedelta | None
    mock: bool = False

    @property
    def left(self) -> int:
        return self.new + self.learning + self.due


@dataclass
class Action:
    """One undoable step: what it was, and the session and store state it changed."""

    kind: str  # rate, skip, bury, suspend
    question: Question
    queue: list[Question]  # the queue and position before the step
    pos: int
    review_id: int | None = None  # for a rating
    card_before: CardRow | None = None  # for bury and suspend
    given: int = 0  # len(self.given) before the step
    skipped: int = 0
    learning: frozenset[str] = frozenset()


class Session:
    def __init__(
        self,
        store: Store,
        plan: Plan,
        settings: Settings,
        clock: Callable[[], datetime],
        *,
        mode: str = "flash",
        time_limit: timedelta | None = None,
        rng: random.Random | None = None,
        judge: Callable[[Question, str], Verdict] | None = None,
    ):
        """``judge``: an optional stronger judge of typed answers (``mlprep.quiz.llm_judge``); the
        built-in rubric judge is used without one, or when it fails."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.store = store
        self.settings = settings
        self.clock = clock
        self.mode = mode
        self.time_limit = time_limit
        self.rng = rng or random.Random()
        self.judge = judge
        self.queue = list(plan.questions)
        self.due_ids = set(plan.due_ids)
        self.learning_ids = set(plan.learning_ids)  # due cards still in (re)learning steps
        self.cram = plan.cram
        self.pos = 0
        self.given: list[Given] = []
        self.skipped: list[Question] = []
        self.history: list[Action] = []
        self.id = uuid.uuid4().hex  # names this session's claims on new cards in the store
        self.started = clock()
        self._show()

    # -- what is on screen -------------------------------------------------------------------
    @property
    def current(self) -> Question | None:
        """The card on screen; it stays answerable when the time runs out while it is shown."""
        return self.queue[self.pos] if self.pos < len(self.queue) else None

    @property
    def out_of_time(self) -> bool:
        return self.time_limit is not None and self.clock() - self.started >= self.time_limit

    @property
    def finished(self) -> bool:
        return self.pos >= len(self.queue) or self.out_of_time

    def presentation(self, q: Question) -> str:
        """How the card is asked: choice (pick an option), type (type an answer), case (part by
        part) or flash/cloze."""
        if q.kind == "case":
            return "case"
        if q.kind == "choice" and self.mode in ("choice", "type"):
            return "choice"
        if self.mode == "type":
            return "type"
        return "cloze" if q.kind == "cloze" else "flash"

    def footer(self) -> Footer:
        elapsed = self.clock() - self.started
        left = None if self.time_limit is None else max(timedelta(0), self.time_limit - elapsed)
        new = learning = due = 0
        for qid in {q.id for q in self.queue[self.pos:]}:
            if qid in self.learning_ids:
                learning += 1
            elif qid in self.due_ids:
                due += 1
            else:
                new += 1
        return Footer(new, learning, due, len(self.given), elapsed, left, mock=self.time_limit is not None)

    def _show(self) -> None:
        self._claim_or_pass()
        self.revealed = False
        self.answer: Answer | None = None
        self.shown_at = self.clock()
        q = self.current
        self.choices = list(q.choices) if q is not None else []
        self.rng.shuffle(self.choices)

    def _claim_or_pass(self) -> None:
        """A new card goes on screen only once this session holds it: one that another open
        session shows (or has rated since this queue was planned) is taken out of this queue."""
        if self.cram:
            return
        while self.pos < len(self.queue):
            q = self.queue[self.pos]
            if q.id in self.due_ids or q.id in self.learning_ids or any(g.question.id == q.id for g in self.given):
                return
            now = self.clock()
            if self.store.claim_new(q.id, self.id, now, now + CLAIM_FOR):
                return
            self.queue[self.pos:] = [x for x in self.queue[self.pos:] if x.id != q.id]

    def close(self) -> None:
        """Let go of this session's claims (a killed session's claims lapse on their own)."""
        self.store.release_claims(self.id, self.clock())

    # -- actions -----------------------------------------------------------------------------
    def reveal(self) -> None:
        self.revealed = True

    def choose(self, index: int) -> Answer:
        """Pick option ``index`` (0-based, as shown) of a choice card; reveals the answer."""
        q = self._need_card()
        if not 0 <= index < len(self.choices):
            raise ValueError(f"no option {index + 1}")
        picked = self.choices[index]
        right = picked == q.correct
        self.answer = Answer(100 if right else 0, 3 if right else 1, picked)
        self.revealed = True
        return self.answer

    def answer_typed(self, text: str) -> Answer:
        """Judge a typed answer (rubric points and misconceptions, or word overlap without a
        rubric), score it 0-100 and suggest a rating; reveals the answer."""
        q = self._need_card()
        verdict, note = judge_answer(q, text), None
        if self.judge is not None and q.rubric is not None:
            try:
                verdict = self.judge(q, text)
            except JudgeError as exc:
                note = f"{exc}; the rubric judge was used"
        self.answer = Answer(verdict.score, verdict.rating, typed=text, verdict=verdict, judge_note=note)
        self.revealed = True
        return self.answer

    def rate_part(self, rating: int) -> int | None:
        """Rate the next part of a case (1-4); after the last part, the case's rating (the rounded
        mean of its parts, halves rounded down), which :meth:`rate` then records."""
        q = self._need_card()
        if q.kind != "case":
            raise ValueError("only a system-design case is rated part by part")
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1-4, got {rating}")
        done = (self.answer.part_ratings if self.answer else ()) + (rating,)
        if len(done) > len(q.parts):
            raise ValueError("every part of this case is rated already")
        overall = -((len(done) - 2 * sum(done)) // (2 * len(done)))  # the mean, halves rounded down
        self.answer = Answer(round(100 * (sum(done) / len(done) - 1) / 3), overall, part_ratings=done)
        if len(done) == len(q.parts):
            self.revealed = True
            return overall
        return None

    def toggle_point(self, index: int) -> Answer:
        """Overrule the judge on one rubric point (made / not made); the suggestion follows."""
        a = self.answer
        if a is None or a.verdict is None or not 0 <= index < len(a.verdict.points):
            raise ValueError(f"no rubric point {index + 1} to toggle")
        points = list(a.verdict.points)
        points[index] = not points[index]
        v = a.verdict.with_points(tuple(points))
        self.answer = Answer(v.score, v.rating, typed=a.typed, verdict=v, judge_note=a.judge_note)
        return self.answer

    def rate(self, rating: int) -> Rated:
        """Rate the card on screen (1-4), committed at once, and move on."""
        q = self._need_card()
        action = self._begin("rate", q)
        now = self.clock()
        seconds = (now - self.shown_at).total_seconds()
        mode = "mock" if self.time_limit is not None else self.presentation(q)
        result = rate(
            self.store, q.id, q.topic, rating, now, self.settings, mode=mode, cram=self.cram,
            duration_s=round(seconds, 2), typed_score=self.answer.score if self.answer else None,
        )
        action.review_id = result.review_id
        if self.answer is not None and self.answer.part_ratings:
            self.store.annotate_review(result.review_id, None, {
                "case_parts": [{"part": p.part, "rating": r} for p, r in zip(q.parts, self.answer.part_ratings, strict=False)]})
        if self.answer is not None and self.answer.typed is not None:
            v = self.answer.verdict
            self.store.annotate_review(result.review_id, self.answer.typed, {
                "judge": v.judge if v else "words", "score": self.answer.score, "suggested": self.answer.suggested,
                "points": list(v.points) if v else [], "misconceptions": list(v.misconceptions) if v else [],
            })
        requeue = result.card is not None and not result.card.suspended and result.card.due <= now + LEARN_AHEAD
        if requeue:
            self.queue.append(q)
            self.learning_ids.add(q.id)
        self.given.append(Given(q, rating, result.review_id, seconds, requeue, self.pos))
        self._advance()
        return result

    def skip(self) -> None:
        q = self._need_card()
        self._begin("skip", q)
        self.skipped.append(q)
        self._advance()

    def bury(self) -> None:
        """Hide the card until tomorrow and move on."""
        self._set_aside(bury)

    def suspend(self) -> None:
        """Suspend the card and move on."""
        self._set_aside(suspend)

    def _set_aside(self, action: Callable[[Store, str, str, datetime], object]) -> None:
        q = self._need_card()
        step = self._begin(action.__name__, q)
        step.card_before = self.store.card(q.id)
        action(self.store, q.id, q.topic, self.clock())
        self.queue[self.pos + 1:] = [x for x in self.queue[self.pos + 1:] if x.id != q.id]
        self._advance()

    def _advance(self) -> None:
        self.pos += 1
        self._show()

    def _begin(self, kind: str, q: Question) -> Action:
        action = Action(kind, q, list(self.queue), self.pos, given=len(self.given), skipped=len(self.skipped),
                        learning=frozenset(self.learning_ids))
        self.history.append(action)
        return action

    @property
    def last_action(self) -> Action | None:
        return self.history[-1] if self.history else None

    def undo(self) -> Action | None:
        """Undo this session's last action (rate, skip, bury or suspend) and show that card again.

        The store is put back as it was before it (the review marked undone, the card's flags
        restored), and so is the queue. None if there is nothing to undo."""
        if not self.history:
            return None
        last = self.history.pop()
        if last.kind == "rate" and last.review_id is not None:
            undo(self.store, last.review_id)
        elif last.kind in ("bury", "suspend"):
            restore(self.store, last.question.id, last.card_before)
        self.queue, self.pos = last.queue, last.pos
        del self.given[last.given:]
        del self.skipped[last.skipped:]
        self.learning_ids = set(last.learning)
        self._show()
        return last

    def _need_card(self) -> Question:
        q = self.current
        if q is None:
            raise RuntimeError("the session has no card on screen")
        return q

    # -- the end -----------------------------------------------------------------------------
    def report(self) -> dict[str, dict]:
        """Per topic: cards rated, share rated Good or Easy, mean rating, seconds spent, skipped."""
        out: dict[str, dict] = defaultdict(lambda: {"rated": 0, "good": 0, "ratings": [], "seconds": 0.0, "skipped": 0})
        for g in self.given:
            t = out[g.question.topic]
            t["rated"] += 1
            t["good"] += g.rating >= 3
            t["ratings"].append(g.rating)
            t["seconds"] += g.seconds
        for q in self.skipped:
            out[q.topic]["skipped"] += 1
        for t in out.values():
            ratings = t.pop("ratings")
            t["mean_rating"] = round(sum(ratings) / len(ratings), 2) if ratings else None
            t["good_share"] = round(t["good"] / t["rated"], 2) if t["rated"] else None
            t["seconds"] = round(t["seconds"], 1)
        return dict(sorted(out.items()))
