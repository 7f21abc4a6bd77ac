"""Typed answers on screen: the rubric's checklist, misconceptions with their correction, the
learner overruling the judge, and what was typed kept in the review log."""

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
topic: ml-fundamentals
questions:
  - id: t.l1l2
    question: Compare L1 and L2 regularisation.
    answer: L1 gives exact zeros (sparse models); L2 shrinks weights smoothly but rarely to zero.
    keywords: [sparse, shrink]
    rubric:
      points:
        - claim: L1 drives some weights exactly to zero
          match: [[l1, lasso], [sparse, exactly zero, zero out]]
        - claim: L2 shrinks weights but rarely to exactly zero
          match: [[l2, ridge], [exactly zero, sparse]]
          negated: true
      misconceptions:
        - claim: L2 gives sparse weights
          match: [[l2, ridge], [sparse, exactly zero]]
          correction: L2 shrinks weights in proportion to their size, so they rarely reach zero.
"""
NOW = datetime(2026, 12, 5, 9, tzinfo=timezone.utc)


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def test_toggle_overrules_the_judge_and_the_log_keeps_the_answer(bank):
    q, = load_questions([bank])
    with open_store() as store:
        s = Session(store, Plan([q]), Settings(fuzz=False), lambda: NOW, mode="type")
        a = s.answer_typed("lasso zeroes out some of the weights while training, that is what it does")
        assert a.verdict.points == (True, False) and a.suggested == 2
        a = s.toggle_point(1)
        assert a.verdict.points == (True, True) and a.suggested == 4
        s.rate(a.suggested)
        logged, = store.typed_answers()
    assert logged["typed"].startswith("lasso zeroes out some")
    assert logged["verdict"]["points"] == [True, True] and logged["verdict"]["suggested"] == 4


pexpect = pytest.importorskip("pexpect")


def test_the_checklist_on_screen_then_enter_accepts(mlprep_home, bank):
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz", "--only-bank", str(bank), "--mode", "type"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(60, 220))
    child.expect("Compare L1 and L2")
    child.sendline("l2 gives sparse weights")
    child.expect("0 of 2")
    child.expect("✗.*L1 drives some weights exactly to zero")
    child.expect("misconception:")
    child.expect("L2 gives sparse weights")
    child.expect("rarely reach zero")
    child.expect("Enter accepts.*Again")
    child.send("t")
    child.send("1")  # the learner overrules: point 1 counts; the misconception still caps it at Again
    child.expect("1 of 2")
    child.send("\r")
    child.expect("Type your answer")  # rated Again: the card comes back in this session
    child.sendeof()
    child.expect(pexpect.EOF)
    with open_store() as store:
        assert [r.rating for r in store.reviews()] == [1]
        assert store.typed_answers()[0]["verdict"]["misconceptions"] == [True]


def test_a_long_answer_goes_through_the_pager_in_a_terminal(mlprep_home, tmp_path):
    long = "word " * 400  # 2,000 characters
    bank = tmp_path / "long.yaml"
    bank.write_text(f"topic: x\nquestions:\n  - id: t.long\n    question: Tell me everything.\n    answer: {long}\n",
                    encoding="utf-8")
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color", "PAGER": "cat > pager.out"}
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz", "--only-bank", str(bank)], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=30, dimensions=(40, 100))
    child.expect("Tell me everything")
    child.expect("show the answer")
    child.send(" ")
    child.expect("was shown in the")
    child.send("4")  # Easy: the card leaves the session
    child.expect(pexpect.EOF)
    assert (tmp_path / "pager.out").read_text().count("word") == 400
