# mlprep drill: test_writing
"""Hostile: a test that ends the process running it."""

import os


def tokenize(text, max_tokens=None):
    return text.split()


def test_one():
    assert tokenize("a") == ["a"]


def test_two():
    assert tokenize("a b") == ["a", "b"]


def test_exit():
    os._exit(0)
