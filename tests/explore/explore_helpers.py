"""Shared by the explore tests: tiny trained GPT runs (learned and rotary positions) and a PNG reader."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
import torch
from gpt_helpers import tiny_config, write_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _train(folder: Path, pos: str) -> Path:
    from nanogpt.train import train

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        train(tiny_config(pos=pos, max_iters=3, eval_interval=3), folder, data=write_text(folder), device="cpu")
    finally:
        torch.set_num_threads(before)
    return folder


@pytest.fixture(scope="module", name="learned_run")
def learned_run_fixture(tmp_path_factory) -> Path:
    """A run folder whose model learned an absolute position table (block 16, width 32)."""
    return _train(tmp_path_factory.mktemp("learned_run"), "learned")


@pytest.fixture(scope="module", name="rope_run")
def rope_run_fixture(tmp_path_factory) -> Path:
    """A run folder whose model uses rotary positions (no table to plot)."""
    return _train(tmp_path_factory.mktemp("rope_run"), "rope")


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails unless the file starts like a PNG."""
    head = Path(path).read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])
