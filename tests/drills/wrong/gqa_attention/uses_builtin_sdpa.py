# mlprep drill: gqa_attention
# expect: write the attention yourself
# Mistake: correct numbers, but lets F.scaled_dot_product_attention(enable_gqa=True) do the work
from __future__ import annotations

import torch.nn.functional as F


def gqa_attention(x, w_q, w_k, w_v, w_o, n_heads, n_kv_heads, causal=True):
    if n_heads % n_kv_heads:
        raise ValueError("n_kv_heads must divide n_heads")
    B, T, _ = x.shape
    D = w_q.shape[1] // n_heads
    q = (x @ w_q).view(B, T, n_heads, D).transpose(1, 2)
    k = (x @ w_k).view(B, T, n_kv_heads, D).transpose(1, 2)
    v = (x @ w_v).view(B, T, n_kv_heads, D).transpose(1, 2)
    y = F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
    return y.transpose(1, 2).reshape(B, T, n_heads * D) @ w_o
