# mlprep drill: test_writing
# expect: write at least 3
# Mistake: two thorough tests catch every mutant, but the drill asks for at least three test functions

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



def test_tokens():
    assert tokenize("Hello, World! GPT4 in 2024: don't b a b") == [
        "hello", "world", "gpt4", "in", "2024", "don't", "b", "a", "b"]


def test_max_tokens():
    assert tokenize("a b c", 2) == ["a", "b"]
    assert tokenize("a b c", 0) == []
    assert tokenize("a b c", None) == ["a", "b", "c"]
