# mlprep drill: bpe_tokenizer
"""Byte-level BPE: learn merges from a text, encode new text with them, decode ids back.
Run the public examples with `pytest` and grade with `mlprep grade bpe_tokenizer.py`."""

from __future__ import annotations


def train_bpe(text: str, num_merges: int) -> list[tuple[int, int]]:
    """Learn up to num_merges merges from the UTF-8 bytes of text.

    Each round merges the most frequent adjacent pair (overlapping pairs counted; ties go to the
    smallest (first, second) pair) into the new token 256 + i, replacing occurrences left to
    right without overlap. Stops early when fewer than two tokens remain.
    """
    raise NotImplementedError("train_bpe")


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """The UTF-8 bytes of text with merges[0], merges[1], ... applied in order."""
    raise NotImplementedError("encode")


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    """The bytes of every token joined, decoded as UTF-8 with errors="replace"."""
    raise NotImplementedError("decode")
