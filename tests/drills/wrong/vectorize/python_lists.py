# mlprep drill: vectorize
# expect: needs 20x
# Mistake: the loop is kept, only moved onto Python lists: faster, but nowhere near 20x

from __future__ import annotations

import numpy as np


def iou_matrix(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    rows_a, rows_b = np.asarray(boxes_a).tolist(), np.asarray(boxes_b).tolist()
    out = []
    for ax1, ay1, ax2, ay2 in rows_a:
        row = []
        for bx1, by1, bx2, by2 in rows_b:
            inter = max(min(ax2, bx2) - max(ax1, bx1), 0.0) * max(min(ay2, by2) - max(ay1, by1), 0.0)
            union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
            row.append(inter / union if union > 0 else 0.0)
        out.append(row)
    return np.array(out, dtype=np.float64).reshape(len(rows_a), len(rows_b))
