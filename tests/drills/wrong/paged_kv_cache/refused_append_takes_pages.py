# mlprep drill: paged_kv_cache
# expect: must change nothing
# Mistake: takes pages one by one and raises only when none is left, keeping the pages it took
"""Reference solution: a paged KV cache with per-sequence block tables and lowest-first page reuse."""

from __future__ import annotations

import heapq
import math

import torch


class PagedKVCache:
    def __init__(self, num_pages: int, page_size: int, n_heads: int, head_dim: int):
        """Key and value pools (num_pages, page_size, n_heads, head_dim), float32 zeros; all pages free."""
        self.page_size = page_size
        self.k_pool = torch.zeros(num_pages, page_size, n_heads, head_dim)
        self.v_pool = torch.zeros(num_pages, page_size, n_heads, head_dim)
        self.free_ids = list(range(num_pages))  # a min-heap: the lowest free page comes out first
        self.tables: dict[int, list[int]] = {}
        self.lengths: dict[int, int] = {}

    def append(self, seq_id: int, k: torch.Tensor, v: torch.Tensor) -> None:
        """Store k, v (T_new, n_heads, head_dim) after the sequence's tokens; new pages lowest id first.
        Not enough free pages: raise RuntimeError and change nothing."""
        table = self.tables.setdefault(seq_id, [])
        start = self.lengths.get(seq_id, 0)
        end = start + k.shape[0]
        needed = math.ceil(end / self.page_size) - len(table)
        for _ in range(needed):
            if not self.free_ids:
                self.tables[seq_id] = table
                self.lengths.setdefault(seq_id, start)
                raise RuntimeError("out of pages")
            table.append(heapq.heappop(self.free_ids))
        for p in range(start, end):  # position p lives at (table[p // P], p % P)
            page, slot = table[p // self.page_size], p % self.page_size
            self.k_pool[page, slot] = k[p - start]
            self.v_pool[page, slot] = v[p - start]
        self.tables[seq_id], self.lengths[seq_id] = table, end

    def length(self, seq_id: int) -> int:
        return self.lengths[seq_id]

    def block_table(self, seq_id: int) -> list[int]:
        return list(self.tables[seq_id])

    def read(self, seq_id: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(keys, values), each (length, n_heads, head_dim), gathered through the block table."""
        table, n = torch.tensor(self.tables[seq_id], dtype=torch.long), self.lengths[seq_id]
        shape = (-1, *self.k_pool.shape[2:])
        return self.k_pool[table].reshape(shape)[:n], self.v_pool[table].reshape(shape)[:n]

    def attend(self, seq_id: int, q: torch.Tensor) -> torch.Tensor:
        """q (n_heads, head_dim) -> (n_heads, head_dim): softmax(K q / sqrt(head_dim)) V per head."""
        keys, values = self.read(seq_id)  # (L, H, D)
        scores = torch.einsum("hd,lhd->hl", q, keys) / math.sqrt(q.shape[-1])
        return torch.einsum("hl,lhd->hd", scores.softmax(dim=-1), values)

    def free(self, seq_id: int) -> None:
        for page in self.tables.pop(seq_id):
            heapq.heappush(self.free_ids, page)
        del self.lengths[seq_id]

    def num_free_pages(self) -> int:
        return len(self.free_ids)

    def pages(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The key and value pools, (num_pages, page_size, n_heads, head_dim) each."""
        return self.k_pool, self.v_pool


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
