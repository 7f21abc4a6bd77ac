# mlprep drill: ring_allreduce
# expect: counts elements
# Mistake: bytes_sent counts array elements, not bytes
"""Reference solution: ring all-reduce (reduce-scatter, then all-gather) over simulated workers.

Every worker cuts its buffer into N chunks. In the reduce-scatter phase, at step s worker i sends
chunk (i - s) mod N to worker i + 1, which adds it to its own copy of that chunk; after N - 1
steps worker i holds the complete sum of chunk (i + 1) mod N. In the all-gather phase, at step s
worker i forwards chunk (i + 1 - s) mod N, which the receiver stores as is. Each worker sends
2 (N - 1) chunks of about L / N values: 2 (N - 1) / N of its buffer, whatever N is.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def ring_allreduce(buffers: list[np.ndarray],
                   exchange: Callable[[list[np.ndarray]], list[np.ndarray]]) -> tuple[list[np.ndarray], list[int]]:
    """(every worker's copy of the element-wise sum, bytes each worker sent)."""
    n = len(buffers)
    chunks = [[c.copy() for c in np.array_split(np.asarray(buf), n)] for buf in buffers]  # chunks[worker][c]
    sent = [0] * n

    def step(chunk_of: Callable[[int], int], accumulate: bool) -> None:
        outgoing = [chunks[i][chunk_of(i)] for i in range(n)]  # worker i -> worker i + 1
        for i, msg in enumerate(outgoing):
            sent[i] += msg.size
        incoming = exchange(outgoing)  # incoming[i] came from worker i - 1
        for i in range(n):
            c = chunk_of((i - 1) % n)  # the chunk index the left neighbour sent
            chunks[i][c] = chunks[i][c] + incoming[i] if accumulate else np.array(incoming[i])

    for s in range(n - 1):  # reduce-scatter
        step(lambda i, s=s: (i - s) % n, accumulate=True)
    for s in range(n - 1):  # all-gather
        step(lambda i, s=s: (i + 1 - s) % n, accumulate=False)
    return [np.concatenate(ch) for ch in chunks], sent
