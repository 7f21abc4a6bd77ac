"""Tiny configs and a few KB of text for the GPT tests (no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from mlprep.solutions import ensure_importable

ensure_importable()

from nanogpt.config import GPTConfig, lite, with_overrides  # noqa: E402

TEXT = (
    "First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
    "All:\nSpeak, speak.\n\n"
    "First Citizen:\nYou are all resolved rather to die than to famish?\n\n"
    "All:\nResolved. resolved.\n\n"
    "First Citizen:\nFirst, you know Caius Marcius is chief enemy to the people.\n\n"
) * 12  # about 3.6 KB

TINY = {
    "n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 16, "dropout": 0.0, "batch_size": 8,
    "max_iters": 6, "warmup_iters": 2, "eval_interval": 3, "eval_iters": 2, "log_interval": 1,
    "learning_rate": 3e-3, "min_lr": 3e-4,
}


def tiny_config(**overrides):
    return with_overrides(lite(), {**TINY, **overrides})


def tiny_model_config(**overrides) -> GPTConfig:
    fields = {"vocab_size": 23, "block_size": 8, "n_layer": 3, "n_head": 2, "n_embd": 16, "dropout": 0.0}
    return GPTConfig(**{**fields, **overrides})


def write_text(folder: Path, text: str = TEXT) -> Path:
    path = Path(folder) / "corpus.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def one_thread():
    """Tiny models gain nothing from threads, and on a busy 2-core box spinning threads cost a lot."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
