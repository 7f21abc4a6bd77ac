# mlprep drill: ring_allreduce
"""Ring all-reduce (reduce-scatter, then all-gather) over simulated workers, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade ring_allreduce.py`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Exchange = Callable[[list[np.ndarray]], list[np.ndarray]]  # outgoing[i] -> worker i+1; returns incoming


def ring_allreduce(buffers: list[np.ndarray], exchange: Exchange) -> tuple[list[np.ndarray], list[int]]:
    """(results, bytes_sent): every worker's copy of the sum, and the bytes each worker sent.

    Chunks: np.array_split(buffer, N). Reduce-scatter step s: worker i sends chunk (i - s) % N,
    the receiver adds it. All-gather step s: worker i sends chunk (i + 1 - s) % N, the receiver
    stores it."""
    raise NotImplementedError("ring_allreduce")
