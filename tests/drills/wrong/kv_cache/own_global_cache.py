# mlprep drill: kv_cache
# expect: the cache passed in must be used
"""Keeps its own cache in a module-level variable and ignores the one passed in: right when calls
come in one sequence, wrong when one cache is reused for two different continuations."""
import math

import torch

Cache = tuple[torch.Tensor, torch.Tensor]  # keys, values: each (B, n_head, T_cached, head_size)
_STORE: list = []


def attend_with_cache(x: torch.Tensor, w_qkv: torch.Tensor, w_out: torch.Tensor, n_head: int,
                      cache: Cache | None = None) -> tuple[torch.Tensor, Cache]:
    """x (B, T_new, C) are the next tokens; returns their outputs (B, T_new, C) and the new cache.

    q, k, v = split(x @ w_qkv, 3) with w_qkv (C, 3C); the output is heads @ w_out with w_out (C, C).
    The new tokens sit at positions T_cached .. T_cached + T_new - 1: token t sees every cached
    token and the new tokens up to and including itself.
    """
    B, T, C = x.shape
    hs = C // n_head
    q, k, v = (x @ w_qkv).split(C, dim=-1)
    q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
    if cache is None:
        _STORE.clear()
    else:
        cache = _STORE[-1]
        k = torch.cat([cache[0], k], dim=2)  # time is axis 2
        v = torch.cat([cache[1], v], dim=2)
    past = k.shape[2] - T  # how many tokens came before these
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, past + T)
    # new token t (absolute position past + t) may see keys at positions <= past + t
    allowed = torch.ones(T, past + T, dtype=torch.bool).tril(diagonal=past)
    scores = scores.masked_fill(~allowed, float("-inf"))
    y = scores.softmax(dim=-1) @ v  # (B, nh, T, hs)
    y = y.transpose(1, 2).reshape(B, T, C)
    _STORE.append((k, v))
    return y @ w_out, (k, v)
