"""End to end: `python -m mlprep quiz` in a real pseudo-terminal, answered with single keys."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from mlprep.store import open_store

pexpect = pytest.importorskip("pexpect")

BANK = """\
topic: transformers
questions:
  - question: What does softmax do?
    answer: It turns logits into probabilities that sum to one.
  - question: Why scale dot products in attention?
    answer: To keep the softmax out of its flat, saturated region.
  - question: What does a causal mask prevent?
    answer: Attending to future tokens.
  - question: What is weight tying?
    answer: Sharing the token embedding with the output projection.
"""


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def spawn(mlprep_home, *args: str):
    # A local time zone other than UTC: fsrs itself only accepts UTC datetimes.
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color", "TZ": "EST+5"}
    env.pop("COLUMNS", None)
    return pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz", *args], env=env, encoding="utf-8",
                         timeout=20, dimensions=(50, 110))


def play(child, *steps: tuple[str, str]) -> None:
    """Each step: send these keys, then wait for this text on screen."""
    for keys, text in steps:
        child.send(keys)
        child.expect(text)


def ratings() -> list[int]:
    with open_store() as store:
        return [r.rating for r in store.reviews()]


def test_pty_session_single_keys_then_quit_and_stats(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank))
    child.expect("What does softmax do")
    child.expect("left 4: 4 new · 0 learning · 0 due · done 0")
    play(child, (" ", "probabilities that sum to one"), ("3", "Why scale dot products"),
         ("\r", "saturated region"),  # Enter reveals too
         ("1", "causal mask"), (" ", "future tokens"), ("4", "weight tying"), ("q", "Rated 3 card"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert ratings() == [3, 1, 4]
    out = subprocess.run([sys.executable, "-m", "mlprep", "stats", "--json", "--only-bank", str(bank)],
                         capture_output=True, text=True, env={**os.environ, "MLPREP_HOME": str(mlprep_home)},
                         check=True).stdout
    data = json.loads(out)
    assert data["reviews_total"] == 3 and data["cards_seen"] == 3
    assert data["topics"]["transformers"] == {"cards": 4, "seen": 3, "mastered": 0, "mastery": 0.0}
    assert data["hardest"][0]["again"] == 1


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_quits_without_losing_ratings(mlprep_home, bank, key):
    child = spawn(mlprep_home, "--only-bank", str(bank))
    child.expect("What does softmax do")
    play(child, (" 2", "Why scale dot products"), (" ", "saturated region"), (key, "Rated 1 card"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert ratings() == [2]


def test_ctrl_c_while_typing_an_answer_quits(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--mode", "type")
    child.expect("What does softmax do")
    child.expect("Type your answer")
    child.sendline("logits into probabilities that sum to one")
    child.expect("scores")
    play(child, ("3", "Type your answer"))
    child.send("half an ans")
    child.sendintr()
    child.expect("Rated 1 card")
    child.expect(pexpect.EOF)
    assert ratings() == [3]


def test_kill_9_keeps_every_rating_already_given(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank))
    child.expect("What does softmax do")
    play(child, (" 3", "Why scale dot products"), (" 4", "causal mask"))
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert ratings() == [3, 4]


def test_two_terminals_on_one_home_never_show_the_same_new_card(mlprep_home, bank):
    questions = ["What does softmax do", "Why scale dot products", "What does a causal mask prevent",
                 "What is weight tying"]
    pattern = "|".join(questions)
    first = spawn(mlprep_home, "--only-bank", str(bank))
    first.expect(pattern)
    shown_first = [first.match.group(0)]
    second = spawn(mlprep_home, "--only-bank", str(bank))
    second.expect(pattern)
    shown_second = [second.match.group(0)]
    assert shown_first != shown_second
    first.send(" 4")  # Easy: the first terminal moves on to a card the second is not showing
    first.expect(pattern)
    shown_first.append(first.match.group(0))
    assert shown_first[-1] not in shown_second
    for child in (first, second):
        child.send("q")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0


def test_keys_typed_ahead_of_the_screen_are_not_lost(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank))
    child.send(" 3")  # before the first card is even drawn: the terminal is not in raw mode yet
    child.expect("What does softmax do")
    child.expect("Why scale dot products")
    child.send("q")
    child.expect("Rated 1 card")
    child.expect(pexpect.EOF)
    assert ratings() == [3]
