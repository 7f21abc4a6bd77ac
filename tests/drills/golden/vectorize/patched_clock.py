# mlprep drill: vectorize
"""Hostile: keeps a slow loop and patches time.perf_counter so that every call looks instant."""

import time

import numpy as np

_real = time.perf_counter
_calls = [0]


def _fake() -> float:
    _calls[0] += 1
    return _real() * 1e-6


time.perf_counter = _fake


def iou_matrix(boxes_a, boxes_b):
    out = np.zeros((len(boxes_a), len(boxes_b)))
    for i, (ax1, ay1, ax2, ay2) in enumerate(np.asarray(boxes_a).tolist()):
        for j, (bx1, by1, bx2, by2) in enumerate(np.asarray(boxes_b).tolist()):
            inter = max(min(ax2, bx2) - max(ax1, bx1), 0.0) * max(min(ay2, by2) - max(ay1, by1), 0.0)
            union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out
