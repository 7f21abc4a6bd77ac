"""The quiz's keys, footer, mock clock and layout in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
import re
import sys

import pytest

from mlprep.store import open_store

pexpect = pytest.importorskip("pexpect")

LONG = ("Because the variance of a dot product of two random vectors grows linearly with the "
        "dimension, which pushes the softmax into regions with vanishing gradients")
BANK = f"""\
topic: transformers
questions:
  - question: Why scale attention scores by one over the square root of d_k?
    kind: choice
    choices:
      - "{LONG}"
      - To make the attention matrix symmetric
      - To save memory
    correct: "{LONG}"
  - question: What does softmax do?
    answer: It turns logits into probabilities that sum to one.
  - question: What does a causal mask prevent?
    answer: Attending to future tokens.
"""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def spawn(mlprep_home, *args: str, columns: int = 110):
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "TERM": "xterm-256color", "TZ": "EST+5"}
    env.pop("COLUMNS", None)
    return pexpect.spawn(sys.executable, ["-m", "mlprep", "quiz", *args], env=env, encoding="utf-8",
                         timeout=20, dimensions=(50, columns))


def reviews() -> list[tuple[int, str]]:
    with open_store() as store:
        return [(r.rating, r.qid) for r in store.reviews()]


def cards():
    with open_store() as store:
        return store.cards()


def test_a_mock_shows_its_report_when_the_time_runs_out_without_a_key(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--mock", "5s", "--kind", "open")
    child.expect("time left")
    child.send(" ")
    child.expect("Again")
    child.send("3")
    child.expect("time left")  # the next card; now let the clock run out
    child.expect("Time is up", timeout=10)
    child.expect("Mock interview report: 1 card")
    child.expect("transformers")
    child.expect("100%")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert len(reviews()) == 1


@pytest.mark.parametrize("key", ["x", " ", "u"])
def test_any_key_after_the_time_is_up_ends_in_the_report(mlprep_home, bank, key):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--mock", "3s", "--kind", "open")
    child.expect("time left")
    child.send(" ")  # reveal, then wait past the end before the next key
    child.expect("Again")
    child.expect("Time is up", timeout=10)
    child.send(key)
    child.expect("Mock interview report")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "Traceback" not in child.before


def test_typed_letters_in_an_answer_box_are_text_not_commands(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--mode", "type", "--kind", "choice")
    child.expect("Type an option's number")
    child.sendline("the next one uses x because b is bad")  # s, u, x, b, i and q inside the text
    child.expect("scores|wrong|right")
    child.expect("Again")
    child.send("2")
    child.expect("Type an option's number")  # Hard on a new card: it comes back this session
    child.sendeof()  # Ctrl-D in an empty answer box quits
    child.expect("Rated 1 card")
    child.expect(pexpect.EOF)
    assert [r for r, _ in reviews()] == [2]
    assert not any(c.suspended or c.buried_until for c in cards().values())


def test_typed_option_number_picks_it(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--mode", "type", "--kind", "choice")
    child.expect("Type an option's number")
    child.sendline("2")
    child.expect("wrong|right")
    child.send("1")
    child.expect("Type an option's number")
    child.sendeof()
    child.expect(pexpect.EOF)
    assert [r for r, _ in reviews()] == [1]


def test_footer_stays_right_through_ratings_and_undo_of_any_action(mlprep_home, bank):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--kind", "open")
    child.expect("left 2: 2 new · 0 learning · 0 due · done 0")
    child.send(" 1")  # Again: the card comes back, as learning
    child.expect("left 2: 1 new · 1 learning · 0 due · done 1")
    child.send("x")  # suspend the second card
    child.expect("suspended q-")
    child.expect("left 1: 0 new · 1 learning · 0 due · done 1")
    child.send("u")
    child.expect("undid the suspend")
    child.expect("left 2: 1 new · 1 learning · 0 due · done 1")
    child.send("u")
    child.expect("undid the last rating")
    child.expect("left 2: 2 new · 0 learning · 0 due · done 0")
    child.send("b")
    child.expect("buried q-")
    child.send("u")
    child.expect("undid the bury")
    child.send("q")
    child.expect(pexpect.EOF)
    assert reviews() == [] and cards() == {}


def test_i_shows_the_card_id_and_source_and_unsuspend_lists_it(mlprep_home, bank, cli):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--kind", "open")
    child.expect("What does softmax do")
    child.send("i")
    child.expect(r"id (q-[0-9a-f]{12}) · bank bank")
    qid = child.match.group(1)
    child.send("x")
    child.send("q")
    child.expect(pexpect.EOF)
    r = cli("unsuspend", "--bank", bank)
    assert r.exit_code == 0, r.output
    assert qid in r.output and "What does softmax do" in r.output


@pytest.mark.parametrize("columns", [60, 120])
def test_long_options_wrap_with_a_hanging_indent(mlprep_home, bank, columns):
    child = spawn(mlprep_home, "--only-bank", str(bank), "--kind", "choice", columns=columns)
    child.expect("1-3 choose")
    screen = ANSI.sub("", child.before)
    lines = [line.rstrip() for line in screen.splitlines()]
    first = next(i for i, line in enumerate(lines) if "Because the variance" in line)
    indent = lines[first].index("Because")
    assert indent >= 4 and re.match(r"\s+[123]\s+Because", lines[first])
    tail = []
    for line in lines[first + 1:]:
        if re.match(r"\s+[123]\s|left \d", line):
            break
        tail.append(line)
    assert tail, "the long option did not wrap"
    assert all(len(line) - len(line.lstrip()) == indent for line in tail), tail
    assert all(len(line) <= columns for line in lines)
    assert " ".join(x.strip() for x in [lines[first][indent:], *tail]) == LONG
    child.send("q")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("columns", [60, 120])
def test_the_correct_answer_wraps_with_a_hanging_indent(columns):
    from rich.console import Console

    from mlprep.bank.schema import build_question
    from mlprep.commands.views.question import render_answer

    q, _ = build_question({"topic": "t", "question": "Why?", "kind": "choice", "choices": [LONG, "no"],
                           "correct": LONG})
    console = Console(width=columns, record=True, color_system=None)
    render_answer(console, q)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    first = next(i for i, line in enumerate(lines) if "Correct:" in line)
    indent = lines[first].index("Because")
    def start(line: str) -> int:
        return len(line) - len(line[1:].lstrip())  # past the panel's border

    tail = []
    for line in lines[first + 1:]:
        if start(line) != indent:
            break
        tail.append(line)
    assert tail, lines
    assert " ".join(x.strip("│ ") for x in (lines[first][indent:], *tail)) == LONG
