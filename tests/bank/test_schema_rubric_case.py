"""Rubrics in the bank schema: points and misconceptions, validated with the field at fault."""

from __future__ import annotations

import pytest

from mlprep.bank.loader import parse_bank_text
from mlprep.bank.schema import Claim, Rubric, build_question

BASE = {"id": "t.q", "question": "L1 vs L2?", "answer": "L1 sparse.", "topic": "ml-fundamentals"}
GOOD = {
    "points": [
        {"claim": "L1 gives exact zeros", "match": [["l1", "lasso"], ["sparse", "exactly zero"]]},
        {"claim": "L2 rarely reaches zero", "match": [["l2"], ["exactly zero"]], "negated": True},
    ],
    "misconceptions": [{"claim": "L2 is sparse", "match": [["l2"], ["sparse"]], "correction": "L1 is."}],
}


def test_a_rubric_round_trips_through_the_schema_and_the_cache_record():
    q, problems = build_question({**BASE, "rubric": GOOD})
    assert not problems
    assert q.rubric.points[1] == Claim("L2 rarely reaches zero", (("l2",), ("exactly zero",)), negated=True)
    assert q.to_dict()["rubric"] == {**GOOD, "points": GOOD["points"]}
    import dataclasses

    assert Rubric.from_record(dataclasses.asdict(q)["rubric"]) == q.rubric


def test_a_flat_match_list_is_one_group():
    raw = {"points": [{"claim": "a", "match": ["x", "y"]}, {"claim": "b", "match": ["z"]}]}
    q, problems = build_question({**BASE, "rubric": raw})
    assert not problems and q.rubric.points[0].match == (("x", "y"),)


@pytest.mark.parametrize(("rubric", "message"), [
    ({"points": [{"claim": "a", "match": ["x"]}]}, "2-5 `points`"),
    ({**GOOD, "misconceptions": [{"claim": "w", "match": ["x"]}]}, "needs its one-line `correction`"),
    ({**GOOD, "points": [{"claim": "a", "match": []}, {"claim": "b", "match": ["y"]}]}, "`match` must be"),
    ({**GOOD, "points": [{"claim": "", "match": ["x"]}, {"claim": "b", "match": ["y"]}]}, "`claim` must be"),
    ({**GOOD, "extra": 1}, "unknown rubric key"),
    ({**GOOD, "points": [{"claim": "a", "match": ["x"], "correction": "c"}, {"claim": "b", "match": ["y"]}]},
     "only misconceptions"),
])
def test_bad_rubrics_name_the_problem(rubric, message):
    q, problems = build_question({**BASE, "rubric": rubric})
    assert q is None and any(message in m for _, m in problems), problems


def test_only_open_questions_take_a_rubric_and_errors_carry_the_line():
    text = (
        "- id: t.c\n  question: Pick one\n  kind: choice\n  choices: [a, b]\n  correct: a\n  topic: x\n"
        "  rubric:\n    points: [{claim: a, match: [a]}, {claim: b, match: [b]}]\n"
    )
    questions, problems = parse_bank_text(text, "bank.yaml")
    assert not questions and "only open questions take a rubric" in str(problems[0])
    assert str(problems[0]).startswith("bank.yaml:7")


CASE = {"id": "t.feed", "kind": "case", "question": "Design a feed ranker.", "topic": "ml-system-design",
        "parts": [{"part": "clarify and scope", "answer": "Users, items, scale."},
                  {"part": "metrics", "answer": "Offline NDCG@10; online dwell time."},
                  {"part": "model and baseline", "answer": "Popularity, then two towers and a GBDT ranker."}]}


def test_a_case_keeps_its_parts_in_order_and_gets_a_whole_answer():
    q, problems = build_question(CASE)
    assert not problems
    assert [p.part for p in q.parts] == ["clarify and scope", "metrics", "model and baseline"]
    assert "**metrics**: Offline NDCG@10" in q.answer
    assert q.to_dict()["parts"] == CASE["parts"]


@pytest.mark.parametrize(("change", "message"), [
    ({"parts": None}, "a case needs `parts`"),
    ({"parts": CASE["parts"][:2]}, "at least 3 `parts`"),
    ({"parts": [{"part": "x"}, *CASE["parts"]]}, "exactly `part` and `answer`"),
    ({"parts": [{"part": "x", "answer": " "}, *CASE["parts"]]}, "non-empty strings"),
    ({"kind": "open", "answer": "a"}, "belong to `kind: case`"),
])
def test_bad_cases_name_the_problem(change, message):
    q, problems = build_question({**CASE, **change})
    assert q is None and any(message in m for _, m in problems), problems


def test_a_case_survives_the_bank_cache(tmp_path):
    from mlprep.bank.loader import load_questions

    bank = tmp_path / "design.yaml"
    import yaml

    bank.write_text(yaml.safe_dump([CASE]))
    first = load_questions([bank])
    again = load_questions([bank])  # from the JSON cache
    assert first == again and again[0].parts[1].answer.startswith("Offline")
