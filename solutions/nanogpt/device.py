"""Which torch device to run on: shared by training, generation and the benchmarks."""

from __future__ import annotations

import torch

from nanogpt.errors import GPTError


def pick_device(name: str) -> str:
    """``auto`` -> cuda, else mps, else cpu; an explicit device that is not present is an error."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda" and not cuda:
        raise GPTError("--device cuda but no CUDA GPU is visible to torch; use --device cpu or auto")
    if name == "mps" and not mps:
        raise GPTError("--device mps but Apple's MPS backend is not available; use --device cpu or auto")
    if name not in ("cpu", "cuda", "mps"):
        raise GPTError(f"unknown device {name!r}; use auto, cpu, cuda or mps")
    return name
