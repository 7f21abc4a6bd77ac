# mlprep drill: test_writing
"""Write pytest tests for `tokenize` below. Run them with `pytest test_writing.py`; grade with
`mlprep grade test_writing.py` (your tests run against the correct tokenize and against
hidden broken versions: each broken one must make at least one of your tests fail).

Rules: test functions are named test_..., take no arguments (no fixtures), and call
`tokenize` by that name, e.g. `tokenize("Hi there", max_tokens=1)`. The grader swaps in
each version for `tokenize`; editing the function below changes nothing.
"""

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


# Your tests go here.
