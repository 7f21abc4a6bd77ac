# mlprep drill: flash_attention
# expect: ran out of memory
# Mistake: right numbers, but builds the whole (Tq, Tk) score matrix: plain attention, not tiled
from __future__ import annotations

import numpy as np


def flash_attention(q, k, v, block_q=64, block_k=64, causal=False):
    if block_q < 1 or block_k < 1:
        raise ValueError("block sizes must be >= 1")
    s = q @ k.T / np.sqrt(q.shape[1])
    if causal:
        s = np.where(np.triu(np.ones(s.shape, dtype=bool), 1), -np.inf, s)
    w = np.exp(s - s.max(axis=1, keepdims=True))
    return (w / w.sum(axis=1, keepdims=True)) @ v
