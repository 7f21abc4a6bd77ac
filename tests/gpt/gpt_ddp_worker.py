"""Run by the DDP test under torchrun: train a tiny config, then save this rank's weights."""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from gpt_helpers import tiny_config
from nanogpt.train import train

if __name__ == "__main__":
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    torch.set_num_threads(1)
    result = train(tiny_config(), out, data=data, device="cpu")
    rank = torch.distributed.get_rank()
    torch.save(result.model.state_dict(), out / f"rank{rank}.pt")
