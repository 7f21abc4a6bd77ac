# mlprep drill: kv_cache
"""Causal self-attention with a key/value cache for incremental decoding, in PyTorch.
Run the public examples with `pytest` and grade with `mlprep grade kv_cache.py`."""

from __future__ import annotations

import torch

Cache = tuple[torch.Tensor, torch.Tensor]  # keys, values: each (B, n_head, T_cached, head_size)


def attend_with_cache(x: torch.Tensor, w_qkv: torch.Tensor, w_out: torch.Tensor, n_head: int,
                      cache: Cache | None = None) -> tuple[torch.Tensor, Cache]:
    """x (B, T_new, C) -> (outputs (B, T_new, C), cache of all keys and values so far).

    q, k, v = split(x @ w_qkv, 3); new token t (position T_cached + t) sees every cached token
    and the new tokens up to itself; the output is the heads side by side @ w_out.
    """
    raise NotImplementedError("attend_with_cache")
