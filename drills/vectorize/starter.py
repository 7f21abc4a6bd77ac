# mlprep drill: vectorize
"""Vectorise the pairwise IoU loop. Run the public examples with
`pytest test_vectorize_examples.py` and grade with `mlprep grade vectorize.py`."""

from __future__ import annotations

import numpy as np


def iou_matrix_slow(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """The given version: IoU of every box in boxes_a with every box in boxes_b, one pair at a time.

    boxes_a: (N, 4), boxes_b: (M, 4), float rows (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2.
    Returns float64 (N, M). Do not edit it: the grader times its own copy.
    """
    out = np.zeros((len(boxes_a), len(boxes_b)))
    for i in range(len(boxes_a)):
        for j in range(len(boxes_b)):
            ax1, ay1, ax2, ay2 = boxes_a[i]
            bx1, by1, bx2, by2 = boxes_b[j]
            overlap_w = min(ax2, bx2) - max(ax1, bx1)
            overlap_h = min(ay2, by2) - max(ay1, by1)
            inter = max(overlap_w, 0.0) * max(overlap_h, 0.0)
            union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out


def iou_matrix(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """Same result as iou_matrix_slow, without Python loops: at least 20x faster."""
    raise NotImplementedError("iou_matrix")
