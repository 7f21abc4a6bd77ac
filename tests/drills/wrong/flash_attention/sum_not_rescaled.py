# mlprep drill: flash_attention
# expect: running sum l was not rescaled
# Mistake: rescales the accumulator but not the running sum l when the maximum rises
"""Reference solution: tiled attention with the online softmax (FlashAttention's forward pass) in numpy."""

from __future__ import annotations

import numpy as np


def flash_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, block_q: int = 64, block_k: int = 64,
                    causal: bool = False) -> np.ndarray:
    """softmax(q k^T / sqrt(d)) v, computed one (block_q, block_k) tile of scores at a time."""
    if block_q < 1 or block_k < 1:
        raise ValueError("block sizes must be >= 1")
    tq, d = q.shape
    tk = k.shape[0]
    scale = 1.0 / np.sqrt(d)
    out = np.empty((tq, v.shape[1]), dtype=np.float64)
    for qs in range(0, tq, block_q):
        qb = q[qs:qs + block_q] * scale  # (bq, d)
        rows = np.arange(qs, qs + qb.shape[0])[:, None]
        m = np.full((qb.shape[0], 1), -np.inf)  # running max of each row's scores
        row_sum = np.zeros((qb.shape[0], 1))  # running sum of exp(score - m)
        acc = np.zeros((qb.shape[0], v.shape[1]))  # running sum of exp(score - m) * v
        # causal: key blocks that start after this block's last query are all in the future
        k_end = min(tk, qs + qb.shape[0]) if causal else tk
        for ks in range(0, k_end, block_k):
            s = qb @ k[ks:ks + block_k].T  # (bq, bk): the only score tile alive
            if causal:
                cols = np.arange(ks, ks + s.shape[1])[None, :]
                s = np.where(cols > rows, -np.inf, s)
            m_new = np.maximum(m, s.max(axis=1, keepdims=True))
            # every row has seen key 0 <= its position in the first block, so m_new is finite
            p = np.exp(s - m_new)
            correction = np.exp(m - m_new)  # rescale what was summed under the old max
            row_sum = row_sum + p.sum(axis=1, keepdims=True)
            acc = acc * correction + p @ v[ks:ks + block_k]
            m = m_new
        out[qs:qs + qb.shape[0]] = acc / row_sum
    return out
