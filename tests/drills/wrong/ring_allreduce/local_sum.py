# mlprep drill: ring_allreduce
# expect: exchange was never called
# Mistake: sums the buffers directly and reports the ring's theoretical byte count

from __future__ import annotations

import numpy as np


def ring_allreduce(buffers, exchange):
    n = len(buffers)
    total = np.sum(np.stack(buffers), axis=0)
    per_worker = 2 * (n - 1) * buffers[0].nbytes // n
    return [total.copy() for _ in range(n)], [per_worker] * n
