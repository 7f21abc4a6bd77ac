"""The session engine and typed-answer scoring, driven directly on a fake clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from mlprep.bank.schema import Question, build_question
from mlprep.quiz.queue import Plan
from mlprep.quiz.scheduler import Settings
from mlprep.quiz.scoring import score_answer, suggested_rating
from mlprep.quiz.session import Session
from mlprep.store import open_store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make(raw: dict) -> Question:
    q, problems = build_question({"topic": "t", **raw})
    assert not problems
    return q


SOFTMAX = make({"question": "What does softmax do?", "answer": "Turns logits into probabilities that sum to one.",
                "keywords": ["logits", "probabilities", "sum to one"]})
CHOICE = make({"question": "GPT-2 activation?", "kind": "choice", "choices": ["ReLU", "GELU", "tanh"], "correct": "GELU"})
CLOZE = make({"question": "Scores are scaled by {{c1::1/sqrt(d_k)}}.", "kind": "cloze", "topic": "attention"})


@pytest.fixture
def store():
    with open_store() as s:
        yield s


def session(store, questions, clock=None, **kw) -> Session:
    return Session(store, Plan(list(questions)), Settings(fuzz=False), clock or Clock(), rng=random.Random(0), **kw)


def test_typed_answers_score_by_keywords_and_suggest_ratings():
    assert score_answer(SOFTMAX, "it turns logits into probabilities which sum to one") == 100
    assert score_answer(SOFTMAX, "logits to probabilites") >= 60  # a typo still counts
    assert score_answer(SOFTMAX, "no idea") < 40
    assert score_answer(SOFTMAX, "") == 0
    assert score_answer(CLOZE, "1/sqrt(d_k)") == 100
    assert [suggested_rating(s) for s in (0, 50, 80, 100)] == [1, 2, 3, 4]


def test_choice_is_shuffled_and_judged(store):
    s = session(store, [CHOICE], mode="choice")
    assert sorted(s.choices) == sorted(CHOICE.choices)
    wrong = next(i for i, c in enumerate(s.choices) if c != "GELU")
    answer = s.choose(wrong)
    assert not answer.correct and answer.suggested == 1 and s.revealed
    s.rate(answer.suggested)
    assert store.reviews()[0].typed_score == 0 and store.reviews()[0].mode == "choice"


def test_presentation_follows_mode_and_kind(store):
    s = session(store, [SOFTMAX], mode="type")
    assert [s.presentation(x) for x in (SOFTMAX, CHOICE, CLOZE)] == ["type", "choice", "type"]
    s = session(store, [SOFTMAX], mode="flash")
    assert [s.presentation(x) for x in (SOFTMAX, CHOICE, CLOZE)] == ["flash", "flash", "cloze"]
    with pytest.raises(ValueError):
        session(store, [SOFTMAX], mode="essay")


def test_ratings_are_stored_at_once_and_again_comes_back(store):
    clock = Clock()
    s = session(store, [SOFTMAX, CLOZE], clock)
    clock.tick(4)
    s.reveal()
    s.rate(1)
    assert len(store.reviews()) == 1 and store.reviews()[0].duration_s == 4
    assert [q.id for q in s.queue] == [SOFTMAX.id, CLOZE.id, SOFTMAX.id]
    f = s.footer()
    assert (f.new, f.learning, f.due, f.done, f.elapsed) == (1, 1, 0, 1, timedelta(seconds=4))


def test_undo_shows_the_card_again_and_removes_its_requeue(store):
    s = session(store, [SOFTMAX, CLOZE])
    s.rate(1)
    assert s.current is CLOZE
    assert s.undo().question is SOFTMAX
    assert s.current is SOFTMAX and store.reviews() == [] and store.card(SOFTMAX.id) is None
    assert [q.id for q in s.queue] == [SOFTMAX.id, CLOZE.id]
    s.rate(3)
    s.skip()
    assert s.undo().question is CLOZE and s.current is CLOZE
    assert s.undo().question is SOFTMAX and s.current is SOFTMAX
    assert s.undo() is None


def test_skip_bury_suspend_move_on(store):
    s = session(store, [SOFTMAX, CHOICE, CLOZE])
    s.skip()
    s.bury()
    s.suspend()
    assert s.finished and s.current is None
    assert store.card(CHOICE.id).buried_until is not None
    assert store.card(CLOZE.id).suspended
    assert store.card(SOFTMAX.id) is None


def test_mock_runs_out_of_time_and_reports_per_topic(store):
    clock = Clock()
    s = session(store, [SOFTMAX, CLOZE, CHOICE], clock, time_limit=timedelta(minutes=1))
    s.cram = True
    clock.tick(20)
    s.rate(3)
    clock.tick(20)
    s.rate(1)
    assert s.footer().time_left == timedelta(seconds=20)
    clock.tick(25)
    assert s.finished and s.out_of_time
    report = s.report()
    assert report["t"] == {"rated": 1, "good": 1, "seconds": 20.0, "skipped": 0, "mean_rating": 3.0, "good_share": 1.0}
    assert report["attention"]["good_share"] == 0.0
    assert {r.mode for r in store.reviews()} == {"mock"} and all(r.cram for r in store.reviews())


def test_undo_reverses_bury_suspend_and_skip_in_the_store_and_queue(store):
    s = session(store, [SOFTMAX, CHOICE, CLOZE])
    s.rate(4)  # Easy: not back this session
    before = store.card(SOFTMAX.id)
    s.bury()
    assert store.card(CHOICE.id).buried_until is not None
    s.suspend()
    assert store.card(CLOZE.id).suspended and s.finished
    assert s.undo().kind == "suspend" and store.card(CLOZE.id) is None and s.current is CLOZE
    assert s.undo().kind == "bury" and store.card(CHOICE.id) is None and s.current is CHOICE
    s.skip()
    assert s.undo().kind == "skip" and s.skipped == [] and s.current is CHOICE
    assert s.undo().kind == "rate" and store.card(SOFTMAX.id) is None and store.reviews() == []
    assert before is not None and s.current is SOFTMAX and s.undo() is None


def test_undo_of_bury_puts_back_a_seen_card_exactly(store):
    s = session(store, [SOFTMAX, CLOZE])
    s.rate(3)
    row = store.card(SOFTMAX.id)
    s2 = Session(store, Plan([SOFTMAX, CLOZE], due_ids={SOFTMAX.id}), Settings(fuzz=False), Clock())
    s2.suspend()
    assert store.card(SOFTMAX.id).suspended
    s2.undo()
    assert store.card(SOFTMAX.id) == row


def test_footer_counts_what_is_left_and_done_and_survives_undo(store):
    plan = Plan([SOFTMAX, CLOZE, CHOICE], due_ids={CHOICE.id}, learning_ids=set())
    s = Session(store, plan, Settings(fuzz=False), Clock(), rng=random.Random(0))
    f = s.footer()
    assert (f.new, f.learning, f.due, f.done, f.left) == (2, 0, 1, 0, 3)
    s.rate(1)  # Again: comes back in this session, as a learning card
    f = s.footer()
    assert (f.new, f.learning, f.due, f.done, f.left) == (1, 1, 1, 1, 3)
    s.rate(4)
    s.rate(4)  # Easy: neither comes back
    f = s.footer()
    assert (f.new, f.learning, f.due, f.done, f.left) == (0, 1, 0, 3, 1)
    s.undo()
    s.undo()
    f = s.footer()
    assert (f.new, f.learning, f.due, f.done, f.left) == (1, 1, 1, 1, 3)
    s.undo()
    assert (s.footer().new, s.footer().learning, s.footer().done) == (2, 0, 0)


def test_the_card_on_screen_stays_answerable_when_the_time_runs_out(store):
    clock = Clock()
    s = session(store, [SOFTMAX, CLOZE], clock, time_limit=timedelta(seconds=10))
    clock.tick(11)
    assert s.finished and s.current is SOFTMAX
    s.rate(3)  # shown in time: its rating counts, then the session is over
    assert s.finished and len(store.reviews()) == 1


def test_two_open_sessions_never_serve_the_same_new_card(mlprep_home):
    clock = Clock()
    with open_store() as one_store, open_store() as other_store:
        one = session(one_store, [SOFTMAX, CLOZE, CHOICE], clock)
        other = session(other_store, [SOFTMAX, CLOZE, CHOICE], clock)
        assert one.current is SOFTMAX and other.current is CLOZE  # SOFTMAX is the first one's
        one.rate(4)
        assert one.current is CHOICE  # CLOZE is on the other's screen
        other.rate(4)
        assert other.current is None and other.finished  # CHOICE is the first one's, SOFTMAX was rated
        one.close()
        late = session(other_store, [SOFTMAX, CLOZE, CHOICE], clock)
        assert late.current is CHOICE  # claims end with the session; rated cards stay taken


def test_a_killed_sessions_claims_lapse(mlprep_home):
    clock = Clock()
    with open_store() as store:
        session(store, [SOFTMAX, CLOZE], clock)  # never closed, as after kill -9
        assert session(store, [SOFTMAX, CLOZE], clock).current is CLOZE
        clock.tick(16 * 60)
        assert session(store, [SOFTMAX, CLOZE], clock).current is SOFTMAX


def test_a_note_card_covered_by_a_curated_card_is_asked_once_through_it():
    from mlprep.quiz.plan import ask_covered_once

    curated, _ = build_question({"id": "c.kv", "question": "Why a KV cache?", "answer": "Reuse past keys and values.",
                                 "topic": "t", "see_also": ["n.kv", "c.other"]})
    note, _ = build_question({"id": "n.kv", "question": "kv cache??", "answer": "my notes: cache k and v", "topic": "t"})
    other, _ = build_question({"id": "c.other", "question": "Another curated card?", "answer": "yes", "topic": "t"})
    curated.bank, other.bank, note.bank = "core/transformers", "core/transformers", "notes/mine"
    asked = ask_covered_once([note, curated, other])
    assert [q.id for q in asked] == ["c.kv", "c.other"]  # the note card is not asked on its own; curated links stay
    assert asked[0].from_notes == ["my notes: cache k and v"]
    assert ask_covered_once([note]) == [note]  # without its curated card the note is asked as it is
