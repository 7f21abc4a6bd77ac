"""A system-design case in the quiz: parts revealed one at a time, each rated, one rating for the card."""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone

import pytest

from mlprep.bank.loader import load_questions
from mlprep.quiz.queue import Plan
from mlprep.quiz.scheduler import Settings
from mlprep.quiz.session import Session
from mlprep.store import open_store

BANK = """\
topic: ml-system-design
questions:
  - id: t.feed
    kind: case
    question: Design the ranking of a news feed.
    parts:
      - part: clarify and scope
        answer: Who the users are, how many candidates, the latency budget.
      - part: metrics
        answer: Offline NDCG; online dwell time and sessions, with guardrails.
      - part: model and baseline
        answer: Recency baseline, then two-tower retrieval and a GBDT ranker.
    explanation: Pitfall — optimising clicks alone rewards clickbait.
"""
NOW = datetime(2026, 12, 5, 9, tzinfo=timezone.utc)


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


@pytest.mark.parametrize(("parts", "overall"), [((4, 4, 4), 4), ((3, 4, 4), 4), ((3, 3, 4), 3), ((1, 4, 4), 3),
                                                ((2, 3, 3), 3), ((1, 2, 4), 2)])
def test_the_case_rating_is_the_mean_of_its_parts_halves_down(bank, parts, overall):
    q, = load_questions([bank])
    with open_store() as store:
        s = Session(store, Plan([q]), Settings(fuzz=False), lambda: NOW)
        assert s.presentation(q) == "case"
        results = [s.rate_part(r) for r in parts]
        assert results[:-1] == [None, None] and results[-1] == overall
        with pytest.raises(ValueError, match="rated already"):
            s.rate_part(3)
        s.rate(overall)
        review = store.reviews()[-1]
        assert review.rating == overall
        row = store._db.execute("SELECT verdict FROM reviews WHERE id = ?", (review.id,)).fetchone()
    assert '"case_parts"' in row[0] and '"metrics"' in row[0]


pexpect = pytest.importorskip("pexpect")


def test_a_case_played_in_a_terminal(mlprep_home, bank):
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz", "--only-bank", str(bank)], env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, 160))
    child.expect("Design the ranking of a news feed")
    child.expect("Part 1 of 3")
    child.expect("clarify and scope")
    child.send(" ")
    child.expect("the latency budget")
    child.send("3")
    child.expect("Part 2 of 3")
    child.send(" ")
    child.expect("dwell time")
    child.send("4")
    child.expect("Part 3 of 3")
    child.send(" ")
    child.expect("two-tower retrieval")
    child.send("4")
    child.expect("clickbait")  # the pitfalls after the last part
    child.expect(pexpect.EOF)  # one card: the session ends
    with open_store() as store:
        assert [r.rating for r in store.reviews()] == [4]
