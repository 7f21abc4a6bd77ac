# mlprep drill: paged_kv_cache
"""A paged KV cache: fixed-size pages, a block table per sequence, decode attention through it.
Run the public examples with `pytest` and grade with `mlprep grade paged_kv_cache.py`."""

from __future__ import annotations

import torch


class PagedKVCache:
    def __init__(self, num_pages: int, page_size: int, n_heads: int, head_dim: int):
        """Key and value pools (num_pages, page_size, n_heads, head_dim), float32 zeros; all pages free."""
        raise NotImplementedError("PagedKVCache.__init__")

    def append(self, seq_id: int, k: torch.Tensor, v: torch.Tensor) -> None:
        """Store k, v (T_new, n_heads, head_dim) after the sequence's tokens; new pages lowest id first.
        Not enough free pages: raise RuntimeError and change nothing."""
        raise NotImplementedError("append")

    def length(self, seq_id: int) -> int:
        raise NotImplementedError("length")

    def block_table(self, seq_id: int) -> list[int]:
        raise NotImplementedError("block_table")

    def read(self, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(keys, values), each (length, n_heads, head_dim), gathered through the block table."""
        raise NotImplementedError("read")

    def attend(self, seq_id: int, q: torch.Tensor) -> torch.Tensor:
        """q (n_heads, head_dim) -> (n_heads, head_dim): softmax(K q / sqrt(head_dim)) V per head."""
        raise NotImplementedError("attend")

    def free(self, seq_id: int) -> None:
        raise NotImplementedError("free")

    def num_free_pages(self) -> int:
        raise NotImplementedError("num_free_pages")

    def pages(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The key and value pools, (num_pages, page_size, n_heads, head_dim) each."""
        raise NotImplementedError("pages")


def run(config: dict, ops: list) -> list:
    """How the grader drives your cache: leave this function as it is.

    Builds PagedKVCache(**config), then runs each op = (method name, *arguments) in order and
    returns what each returned (tensors copied at that moment, since later ops may overwrite the
    pools), or {"raised": exception class name} when it raised.
    """

    def snapshot(x):
        if isinstance(x, torch.Tensor):
            return x.detach().clone()
        return type(x)(snapshot(i) for i in x) if isinstance(x, (list, tuple)) else x

    cache = PagedKVCache(**config)
    results = []
    for name, *args in ops:
        try:
            results.append(snapshot(getattr(cache, name)(*args)))
        except Exception as exc:  # noqa: BLE001 - the grader checks which exception
            results.append({"raised": type(exc).__name__})
    return results
