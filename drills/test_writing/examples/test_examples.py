"""Public example for test_writing: run `pytest` next to your test_writing.py.

It runs your tests against one easy mutant, a tokenize that splits on spaces only (so
punctuation stays glued to words): at least one of your tests must fail on it."""

import test_writing

from mlprep.drills.services import run_learner_tests


def split_on_spaces(text, max_tokens=None):
    tokens = text.lower().split()
    return tokens if max_tokens is None else tokens[:max_tokens]


def test_your_tests_catch_a_whitespace_tokenizer():
    """your tests catch a tokenize that splits on spaces only"""
    outcomes = run_learner_tests(test_writing, "tokenize", {"spaces only": split_on_spaces})["spaces only"]
    assert outcomes, "write at least one test_ function in test_writing.py"
    assert any(o["status"] != "pass" for o in outcomes.values()), \
        "all your tests passed on a tokenize that leaves punctuation attached to words ('end.')"
