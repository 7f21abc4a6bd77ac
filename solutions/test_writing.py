# mlprep drill: test_writing
"""Reference solution: tests for the given `tokenize`, one per promise of its specification,
each comparing whole token lists so that a single wrong token fails."""

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


def test_lowercases():
    assert tokenize("Hello World") == ["hello", "world"]


def test_punctuation_separates_tokens():
    assert tokenize("end. Start,again!(x)") == ["end", "start", "again", "x"]


def test_digits_are_token_characters():
    assert tokenize("GPT4 was 2023's model") == ["gpt4", "was", "2023's", "model"]
    assert tokenize("42") == ["42"]


def test_contractions_stay_whole():
    assert tokenize("Don't stop") == ["don't", "stop"]


def test_repeats_and_order_are_kept():
    assert tokenize("b a b") == ["b", "a", "b"]


def test_max_tokens_keeps_the_first_ones():
    assert tokenize("one two three four", 2) == ["one", "two"]
    assert tokenize("one two three", max_tokens=1) == ["one"]
    assert tokenize("one two", 5) == ["one", "two"]


def test_max_tokens_zero_and_none():
    assert tokenize("one two", 0) == []
    assert tokenize("one two", None) == ["one", "two"]


def test_empty_and_punctuation_only():
    assert tokenize("") == []
    assert tokenize(" ... !? ") == []
