"""The question schema, the bank loader and its file:line validation messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlprep.bank.loader import load_questions, parse_bank_text, validate
from mlprep.bank.schema import question_id
from mlprep.errors import MlprepError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
topic: sampling
tags: [decoding]
questions:
  - question: What is top-k sampling?
    answer: |
      Keep the $k$ most likely tokens, renormalise, sample.
    keywords: [top k, renormalise]
    difficulty: easy
  - id: sampling.stable
    question: Which is numerically stable?
    kind: choice
    choices: ["exp(z)", "exp(z - max z)"]
    correct: "exp(z - max z)"
    tags: [softmax]
  - question: "Nucleus sampling keeps the {{c1::smallest}} set whose mass reaches p."
    kind: cloze
    difficulty: 3
"""


def test_good_bank_loads_with_defaults_and_derived_fields(tmp_path):
    path = write(tmp_path, "good.yaml", GOOD)
    qs = load_questions([path])
    assert [q.kind for q in qs] == ["open", "choice", "cloze"]
    assert all(q.topic == "sampling" for q in qs)
    assert qs[0].tags == ["decoding"] and qs[1].tags == ["softmax"]
    assert qs[0].id == question_id("What is top-k sampling?")
    assert qs[1].id == "sampling.stable"
    assert qs[1].answer == "exp(z - max z)"  # a choice question's answer defaults to its correct choice
    assert qs[2].answer == "Nucleus sampling keeps the **smallest** set whose mass reaches p."
    assert [q.difficulty_name for q in qs] == ["easy", "medium", "hard"]
    assert qs[0].bank == "good"


def test_id_is_stable_under_formatting_changes():
    assert question_id("What is  top-k sampling?") == question_id("what is **top-k** sampling")
    assert question_id("What is top-k sampling?") != question_id("What is top-p sampling?")


BAD = """\
- question: ok?
  answer: "fine"
  topic: x
  colour: red
- question: ""
  answer: "fine"
  topic: x
- question: pick one
  kind: choice
  choices: [a, b]
  correct: c
  topic: x
- question: typed
  answer: yes
  topic: x
- id: dup
  question: one
  answer: a
  topic: x
- id: dup
  question: two
  answer: b
  topic: x
- question: no topic
  answer: a
- question: bad difficulty
  answer: a
  topic: x
  difficulty: 7
- question: tags wrong
  answer: a
  topic: x
  tags: "not-a-list"
"""


def test_validation_names_file_and_line_for_each_problem(tmp_path):
    path = write(tmp_path, "bad.yaml", BAD)
    questions, problems = validate([path])
    rendered = [str(p) for p in problems]
    expected = [
        (4, "unknown key 'colour'"),
        (5, "empty question text"),
        (11, "correct answer 'c' is not among the choices"),
        (14, "'answer' must be a string, got bool (quote it"),
        (20, "duplicate id 'dup' (first used at"),
        (24, "missing topic"),
        (29, "difficulty 7 is not 1-3"),
        (33, "'tags' must be a list of strings"),
    ]
    assert len(problems) == len(expected), rendered
    for problem, (line, text) in zip(problems, expected, strict=True):
        assert problem.path == str(path)
        assert problem.line == line, str(problem)
        assert text in problem.message, str(problem)
    assert [q.question for q in questions] == ["one"]


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, "a.yaml", "- {id: same, question: a, answer: x, topic: t}\n")
    write(tmp_path, "b.yaml", "- {id: same, question: b, answer: y, topic: t}\n")
    _, problems = validate([tmp_path])
    assert len(problems) == 1
    assert problems[0].path.endswith("b.yaml") and "duplicate id 'same'" in problems[0].message


def test_malformed_yaml_is_a_user_error_with_line(tmp_path):
    path = write(tmp_path, "broken.yaml", "- question: ok\n  answer: fine\n- question: [unclosed\n  answer: x\n")
    with pytest.raises(MlprepError) as info:
        load_questions([path])
    assert info.value.path == str(path) and info.value.line == 4
    assert "malformed YAML" in str(info.value)


def test_load_reports_first_problem_and_count(tmp_path):
    path = write(tmp_path, "bad.yaml", BAD)
    with pytest.raises(MlprepError) as info:
        load_questions([path])
    assert info.value.line == 4 and "more problems" in str(info.value)


def test_unanswered_questions_are_kept_and_marked():
    qs, problems = parse_bank_text("- {question: Why?, topic: t, unanswered: true}\n", "x.yaml")
    assert not problems and qs[0].unanswered and qs[0].answer == ""


@pytest.mark.parametrize(
    "text, message",
    [
        ("42\n", "a bank must be a list"),
        ("{questions: [], colour: red}\n", "unknown bank keys"),
        ("- just a string\n", "each question must be a mapping"),
        ("- {question: q, answer: a, topic: t, kind: essay}\n", "kind 'essay' is not one of"),
        ("- {question: q, topic: t, kind: cloze}\n", "needs at least one {{c1::...}}"),
        ("- {question: q, answer: a, topic: t, choices: [a, b]}\n", "kind is not `choice`"),
        ("- {question: q, answer: a, topic: t, id: 'bad id!'}\n", "must be letters, digits"),
        ("- {question: q, answer: a, topic: t, source: {file: f, page: 3}}\n", "unknown source keys"),
    ],
)
def test_schema_errors(text, message):
    _, problems = parse_bank_text(text, "x.yaml")
    assert problems and message in problems[0].message, problems


def test_missing_bank_path_is_user_error(tmp_path):
    with pytest.raises(MlprepError, match="no such bank"):
        load_questions([tmp_path / "nope"])


def test_non_utf8_bank_is_user_error(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"- question: caf\xe9\n")
    with pytest.raises(MlprepError, match="not UTF-8"):
        load_questions([path])


def test_cache_serves_unchanged_bank_and_misses_after_edit(tmp_path, mlprep_home):
    path = write(tmp_path, "good.yaml", GOOD)
    first = load_questions([path])
    assert list((mlprep_home / "cache" / "banks").glob("*.json")), "a valid bank is cached"
    again = load_questions([path])
    assert [q.id for q in again] == [q.id for q in first] and again[0].bank == "good"
    path.write_text(GOOD.replace("difficulty: easy", "difficulty: 9"), encoding="utf-8")
    with pytest.raises(MlprepError, match="difficulty 9"):
        load_questions([path])
