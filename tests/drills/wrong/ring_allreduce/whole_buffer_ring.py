# mlprep drill: ring_allreduce
# expect: sent its whole buffer
# Mistake: the naive ring: every step passes a whole buffer along (N - 1 steps of the full size)

from __future__ import annotations

import numpy as np


def ring_allreduce(buffers, exchange):
    n = len(buffers)
    totals = [np.array(b, copy=True) for b in buffers]
    passing = [np.array(b, copy=True) for b in buffers]
    sent = [0] * n
    for _ in range(n - 1):
        for i in range(n):
            sent[i] += passing[i].nbytes
        passing = exchange(passing)  # forward what arrived last time
        for i in range(n):
            totals[i] = totals[i] + passing[i]
    return totals, sent
