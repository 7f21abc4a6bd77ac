"""A character vocabulary, saved as JSON beside the checkpoint that was trained with it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class CharTokenizer:
    """Maps each distinct character of a text to an id (sorted by code point)."""

    def __init__(self, chars: list[str]):
        assert len(set(chars)) == len(chars), "vocabulary characters must be distinct"
        self.chars = list(chars)
        self.stoi = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text: str) -> CharTokenizer:
        return cls(sorted(set(text)))

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        missing = sorted({c for c in text if c not in self.stoi})
        if missing:
            raise ValueError(f"characters not in the vocabulary: {''.join(missing)!r}")
        return [self.stoi[c] for c in text]

    def encode_array(self, text: str) -> np.ndarray:
        assert self.vocab_size <= 65536, "uint16 token arrays hold at most 65,536 characters"
        return np.array(self.encode(text), dtype=np.uint16)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)

    def to_json(self) -> str:
        return json.dumps({"chars": self.chars}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CharTokenizer:
        return cls(json.loads(text)["chars"])

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CharTokenizer:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))
