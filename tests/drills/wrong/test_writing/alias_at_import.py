# mlprep drill: test_writing
# expect: max_tokens = 0 returns every token instead of none
# Mistake: the tests call an alias bound at import time, so the grader's versions are never called

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str, max_tokens: int | None = None) -> list[str]:
    """Lowercase word tokens of `text`, in order, repeats kept.

    A token is a run of letters a-z and digits 0-9 (after lowercasing), optionally followed
    by one apostrophe and more letters ("don't", "model's"); every other character separates
    tokens. With `max_tokens`, only the first `max_tokens` tokens are returned (0 gives []).
    """
    tokens = _TOKEN.findall(text.lower())
    return tokens if max_tokens is None else tokens[:max_tokens]


tok = tokenize  # bound once: replacing `tokenize` later does not change `tok`


def test_lowercases():
    assert tok("Hello World") == ["hello", "world"]


def test_zero():
    assert tok("a b", 0) == []


def test_digits():
    assert tok("gpt4") == ["gpt4"]
