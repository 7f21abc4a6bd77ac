"""Checkpoints: one ``.pt`` file per snapshot (model, optimizer, config, vocab, step, RNG), written atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from nanogpt.config import TrainConfig, from_dict
from nanogpt.errors import GPTError
from nanogpt.model import GPT
from nanogpt.tokenizer import CharTokenizer

LATEST = "ckpt_latest.pt"
BEST = "ckpt_best.pt"
REQUIRED = ("model", "config", "vocab", "iter")


def save(path: Path, payload: dict[str, Any]) -> None:
    """Write to a temporary file beside ``path`` and rename it over, so a crash never leaves half a file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)


def resolve(path: Path, prefer: str = BEST) -> Path:
    """A checkpoint file from a file path or a run folder (its best checkpoint, else its latest)."""
    path = Path(path)
    if path.is_dir():
        for name in (prefer, LATEST, BEST):
            if (path / name).is_file():
                return path / name
        raise GPTError(f"no {BEST} or {LATEST} in this folder; train one with `mlprep train-gpt --out {path}`", path=path)
    if not path.is_file():
        raise GPTError("no such checkpoint; train one with `mlprep train-gpt`", path=path)
    return path


def load(path: Path, prefer: str = BEST, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    path = resolve(path, prefer)
    try:
        ckpt = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # torch raises many kinds for a damaged or foreign file
        raise GPTError(f"not a readable checkpoint ({type(exc).__name__})", path=path) from None
    if not isinstance(ckpt, dict) or any(key not in ckpt for key in REQUIRED):
        raise GPTError(f"not an mlprep GPT checkpoint (needs keys {', '.join(REQUIRED)})", path=path)
    ckpt["path"] = str(path)
    return ckpt


def restore_model(ckpt: dict[str, Any]) -> tuple[GPT, CharTokenizer, TrainConfig]:
    """Rebuild the model (on CPU, eval mode) and its tokenizer from a loaded checkpoint."""
    try:
        cfg = from_dict(ckpt["config"])
        tok = CharTokenizer.from_json(ckpt["vocab"])
        model = GPT(cfg.model)
        model.load_state_dict(ckpt["model"])
    except (TypeError, KeyError, ValueError, RuntimeError, AssertionError) as exc:
        raise GPTError(f"checkpoint does not match the model code: {exc}", path=ckpt.get("path")) from None
    model.eval()
    return model, tok, cfg
