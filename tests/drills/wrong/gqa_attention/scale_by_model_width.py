# mlprep drill: gqa_attention
# expect: divided by sqrt(C)
# Mistake: scales the scores by the model width C instead of head_dim
from __future__ import annotations

import math

import torch


def gqa_attention(x, w_q, w_k, w_v, w_o, n_heads, n_kv_heads, causal=True):
    if n_heads % n_kv_heads:
        raise ValueError("n_kv_heads must divide n_heads")
    B, T, _ = x.shape
    D = w_q.shape[1] // n_heads
    q = (x @ w_q).view(B, T, n_heads, D).transpose(1, 2)
    k = (x @ w_k).view(B, T, n_kv_heads, D).transpose(1, 2)
    v = (x @ w_v).view(B, T, n_kv_heads, D).transpose(1, 2)
    group = n_heads // n_kv_heads
    k, v = k.repeat_interleave(group, 1), v.repeat_interleave(group, 1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(x.shape[-1])
    if causal:
        scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
    y = scores.softmax(-1) @ v
    return y.transpose(1, 2).reshape(B, T, n_heads * D) @ w_o
