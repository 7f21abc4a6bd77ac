"""`mlprep mock`: questions on a clock, then a drill from a blank file, then one saved report."""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta

import pytest

from mlprep.drills.catalog import catalog
from mlprep.paths import content_dir
from mlprep.quiz.mock import build_report, choose_drill, split_time
from mlprep.store import open_store

BANK = """\
topic: transformers
questions:
  - id: t.softmax
    question: What does softmax do?
    answer: It turns logits into probabilities that sum to one.
  - id: t.mask
    question: What does a causal mask prevent?
    answer: Attending to future tokens.
"""


def test_time_split_and_drill_choice():
    assert split_time(timedelta(minutes=45)) == (timedelta(minutes=22.5), timedelta(minutes=22.5))
    assert split_time(timedelta(minutes=6)) == (timedelta(minutes=1), timedelta(minutes=5))
    assert split_time(timedelta(seconds=20), timedelta(seconds=8)) == (timedelta(seconds=12), timedelta(seconds=8))
    import random

    drills = catalog()
    picked = choose_drill(drills, set(), 20, random.Random(0), ["sampling"])
    assert picked is not None and "sampling" in picked.topic and picked.minutes <= 20
    unsolved = choose_drill(drills, set(drills) - {"top_k"}, 20, random.Random(0), ["sampling"])
    assert unsolved.name == "top_k" or unsolved.topic == "sampling"


def test_the_report_names_what_to_review_next():
    topics = {"a": {"rated": 2, "good_share": 0.5, "mean_rating": 2.5, "seconds": 3.0},
              "b": {"rated": 1, "good_share": 1.0, "mean_rating": 4, "seconds": 1.0}}
    rep = build_report(minutes=30, topics=topics, drill={"name": "top_k", "status": "fail"}, stopped="time")
    assert rep["answered"] == 3 and rep["review_next"][0].startswith("topic a") and "drill top_k" in rep["review_next"][-1]


pexpect = pytest.importorskip("pexpect")


def test_a_mock_in_a_terminal_times_out_in_the_coding_round_and_reports(mlprep_home, tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text(BANK, encoding="utf-8")
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    env.pop("EDITOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "mock", "40s", "--coding", "25s", "--only-bank", str(bank),
                                           "--topic", "transformers"], env=env, encoding="utf-8", timeout=60,
                          dimensions=(50, 120))
    for _ in range(2):  # both questions answered and rated before the question round's clock runs out
        child.expect("What does (softmax do|a causal mask prevent)")
        child.sendline("it maps logits to a probability distribution")
        child.expect("Enter accepts")
        child.send("3")
    child.expect(r"Write your solution in \S*?(/\S+\.py)")
    path = child.match.group(1)
    time.sleep(0.3)
    drill = os.path.basename(path)[:-3]
    with open(path, "w", encoding="utf-8") as fh:  # the reference, saved mid-round; then time runs out
        fh.write((content_dir("solutions") / f"{drill}.py").read_text())
    child.expect("Time is up", timeout=60)
    child.expect("Mock interview report", timeout=120)
    child.expect(pexpect.EOF, timeout=30)
    with open_store() as store:
        mocks = store.mocks()
    assert len(mocks) == 1 and mocks[0]["drill"]["name"] == drill and mocks[0]["stopped"] == "time"
    assert mocks[0]["drill"]["status"] == "pass"


def test_ctrl_c_in_the_question_round_still_reports(mlprep_home, tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text(BANK, encoding="utf-8")
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "mock", "30m", "--only-bank", str(bank)], env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, 120))
    child.expect("What does")
    child.sendintr()
    child.expect("Mock interview report")
    child.expect(pexpect.EOF)
    assert "Traceback" not in child.before
    child.close()
    assert child.exitstatus == 0


def test_stats_lists_mocks_and_drill_schedule(cli, mlprep_home):
    from datetime import datetime, timezone

    from mlprep.quiz.scheduler import Settings, rate

    with open_store() as store:
        store.record_mock(datetime.now(timezone.utc), build_report(
            minutes=30, topics={"a": {"rated": 2, "good": 1, "good_share": 0.5, "mean_rating": 2.5, "seconds": 3.0}},
            drill={"name": "top_k", "status": "fail", "passed": 3, "total": 14}, stopped="time"))
        rate(store, "drill:top_k", "sampling", 3, datetime(2026, 1, 1, tzinfo=timezone.utc),
             Settings(fuzz=False, learning_steps=()), mode="drill")
        store.record_drill_attempt("top_k", "fail", 3, 11, 0, 14, 1.0)
    data = __import__("json").loads(cli("stats", "--json").stdout)
    assert data["mocks"][0]["drill"]["name"] == "top_k" and data["drill_schedule"]["due"] == ["top_k"]
    assert data["cards_seen"] == 0  # a drill is not a card in the card statistics
    r = cli("stats")
    assert "Mock interviews" in r.output and "1 due" in r.output
