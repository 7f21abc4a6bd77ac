"""Training text: Tiny Shakespeare (cached, downloaded once, verified), 90/10 split, random batches.

Token ids live in memory-mapped ``uint16`` files (``train.bin``, ``val.bin``) beside ``vocab.json``.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import torch

from nanogpt.errors import GPTError
from nanogpt.tokenizer import CharTokenizer

SHAKESPEARE_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
SHAKESPEARE_FILE = "tinyshakespeare.txt"
TRAIN_FRACTION = 0.9


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_shakespeare(cache_dir: Path, url: str = SHAKESPEARE_URL, sha256: str = SHAKESPEARE_SHA256) -> Path:
    """Tiny Shakespeare in ``cache_dir``: reused when its hash matches, else fetched once and verified."""
    target = Path(cache_dir) / SHAKESPEARE_FILE
    if target.is_file() and sha256_of(target.read_bytes()) == sha256:
        return target
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            payload = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise GPTError(f"could not download Tiny Shakespeare from {url} ({exc}); pass --data FILE") from None
    digest = sha256_of(payload)
    if digest != sha256:
        raise GPTError(f"download from {url} has SHA-256 {digest}, expected {sha256}; not saved")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(payload)
    os.replace(tmp, target)
    return target


def read_text(path: Path) -> str:
    path = Path(path)
    if not path.is_file():
        raise GPTError("no such data file; pass a UTF-8 text file to --data", path=path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GPTError(f"not UTF-8 text (byte {exc.start}); pass a UTF-8 text file", path=path) from None


def prepare(text_path: Path, data_dir: Path) -> CharTokenizer:
    """Tokenise a text file into ``data_dir``: vocab.json, train.bin (first 90%), val.bin (the rest)."""
    text = read_text(text_path)
    if len(text) < 100:
        raise GPTError(f"only {len(text)} characters; need at least 100 to split and train", path=text_path)
    tok = CharTokenizer.from_text(text)
    ids = tok.encode_array(text)
    n_train = int(len(ids) * TRAIN_FRACTION)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    ids[:n_train].tofile(data_dir / "train.bin")
    ids[n_train:].tofile(data_dir / "val.bin")
    tok.save(data_dir / "vocab.json")
    return tok


class Batches:
    """Random (input, target) windows from the memory-mapped splits.

    Every DDP rank draws the same global batch from the same seeded generator and keeps its own
    rows, so a run's batches do not depend on how many processes share them.
    """

    def __init__(self, data_dir: Path, block_size: int, seed: int):
        data_dir = Path(data_dir)
        self.splits = {
            split: np.memmap(data_dir / f"{split}.bin", dtype=np.uint16, mode="r") for split in ("train", "val")
        }
        shortest = min(len(a) for a in self.splits.values())
        if shortest <= block_size + 1:
            raise GPTError(
                f"the validation split has {shortest} tokens, fewer than block_size {block_size} + 2; "
                "use more text or a smaller --block-size",
                path=data_dir,
            )
        self.block_size = block_size
        self.generator = torch.Generator().manual_seed(seed)

    def sample(self, split: str, batch_size: int, generator: torch.Generator | None = None,
               rows: slice = slice(None)) -> tuple[torch.Tensor, torch.Tensor]:
        data = self.splits[split]
        T = self.block_size
        starts = torch.randint(len(data) - T - 1, (batch_size,), generator=generator or self.generator)
        windows = np.stack([data[s : s + T + 1] for s in starts[rows].tolist()]).astype(np.int64)
        chunk = torch.from_numpy(windows)
        return chunk[:, :-1], chunk[:, 1:]
