"""`mlprep today`: the plan (text and JSON) off a terminal, and the whole session in a real pty."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from mlprep.drills.catalog import find_drill
from mlprep.drills.schedule import drill_qid
from mlprep.paths import content_dir
from mlprep.quiz.scheduler import Settings, rate
from mlprep.store import open_store

BANK = """\
topic: transformers
questions:
  - id: t.softmax
    question: What does softmax do?
    answer: It turns logits into probabilities that sum to one.
  - id: t.scale
    question: Why scale dot products in attention?
    answer: To keep the softmax out of its flat, saturated region.
  - id: t.mask
    question: What does a causal mask prevent?
    answer: Attending to future tokens.
"""
MONTH_AGO = datetime.now(timezone.utc) - timedelta(days=30)
SETTINGS = Settings(fuzz=False, learning_steps=(), relearning_steps=())


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


@pytest.fixture
def due_state(mlprep_home):
    """t.softmax due for review, and the top_k drill due (both last seen a month ago)."""
    with open_store() as store:
        rate(store, "t.softmax", "transformers", 3, MONTH_AGO, SETTINGS)
        rate(store, drill_qid("top_k"), find_drill("top_k").topic, 1, MONTH_AGO, SETTINGS, mode="drill")
    return mlprep_home


def test_the_plan_off_a_terminal_as_text_and_json(cli, bank, due_state):
    r = cli("today", "--only-bank", bank)
    assert r.exit_code == 0, r.output
    assert "1. Reviews: 1 card(s) due" in r.output and "top_k" in r.output and "3. New cards: 2" in r.output
    plan = json.loads(cli("today", "--only-bank", bank, "--json").stdout)
    assert [c["id"] for c in plan["reviews"]] == ["t.softmax"]
    assert [d["name"] for d in plan["drills"]] == ["top_k"]
    assert sorted(c["id"] for c in plan["new"]) == ["t.mask", "t.scale"]


def test_nothing_due_says_so(cli, bank, mlprep_home):
    assert cli("quiz", "--only-bank", bank, input=" 4 4 4").exit_code == 0
    r = cli("today", "--only-bank", bank)
    assert r.exit_code == 0 and "Nothing due today" in r.output


pexpect = pytest.importorskip("pexpect")


def spawn(mlprep_home, *args: str):
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    return pexpect.spawn(sys.executable, ["-m", "mlprep", "today", *args], env=env, encoding="utf-8",
                         timeout=30, dimensions=(50, 110))


def test_a_whole_day_in_a_terminal_then_resume(bank, due_state, tmp_path):
    child = spawn(due_state, "--only-bank", str(bank))
    child.expect("What does softmax do")
    child.send(" ")
    child.expect("answer")
    child.send("3")  # the review, rated Good
    child.expect(r"Edit \S*?(/\S+/top_k\.py)")
    path = child.match.group(1)
    child.send("h")
    child.expect("Hint 1 of")
    # a wrong save is graded and reported; the drill stays on screen
    time.sleep(0.2)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# still the starter\n")
    child.expect(r"hidden 0/\d+")
    child.send("q")  # stop for now: the run stays open
    child.expect("carry on where you left off")
    child.expect(pexpect.EOF)

    child = spawn(due_state, "--only-bank", str(bank))  # resume: the review is done, the drill goes on in its folder
    child.expect("continue in")
    child.expect(r"Edit \S*?(/\S+/top_k\.py)")
    assert child.match.group(1) == path
    time.sleep(0.2)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write((content_dir("solutions") / "top_k.py").read_text())
    child.expect("Run passed:.{0,12}rated")
    child.expect("Why scale dot products|What does a causal mask")  # then the new cards
    child.send("q")
    child.expect(pexpect.EOF)
    with open_store() as store:
        runs = store.drill_runs("top_k")
        assert [(r.passed, r.grades) for r in runs] == [(True, 2)]
        assert runs[0].rating == 2  # a hint was used during the run: Hard
        recent = [(r.qid, r.rating) for r in store.reviews() if r.at > MONTH_AGO + timedelta(days=1)]
        assert recent[0] == ("t.softmax", 3)  # the review, then the drill run
