# mlprep drill: flash_attention
# expect: ran out of memory
# Mistake: tiles the queries only; each query block meets all keys at once (a block_q x Tk strip), no online softmax
from __future__ import annotations

import numpy as np


def flash_attention(q, k, v, block_q=64, block_k=64, causal=False):
    if block_q < 1 or block_k < 1:
        raise ValueError("block sizes must be >= 1")
    out = np.empty((q.shape[0], v.shape[1]))
    for qs in range(0, q.shape[0], block_q):
        s = q[qs:qs + block_q] @ k.T / np.sqrt(q.shape[1])
        if causal:
            rows = np.arange(qs, qs + s.shape[0])[:, None]
            s = np.where(np.arange(k.shape[0])[None, :] > rows, -np.inf, s)
        w = np.exp(s - s.max(axis=1, keepdims=True))
        out[qs:qs + s.shape[0]] = (w / w.sum(axis=1, keepdims=True)) @ v
    return out
