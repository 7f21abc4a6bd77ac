# mlprep drill: vectorize
# expect: no + 1
# Mistake: areas with the +1 pixel convention of integer box coordinates
"""Reference solution: pairwise IoU by broadcasting, (N, 1) against (1, M), no Python loops."""

from __future__ import annotations

import numpy as np


def iou_matrix(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU of every box in boxes_a (N, 4) with every box in boxes_b (M, 4): float64 (N, M)."""
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 4)[:, None, :]  # (N, 1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(-1, 4)[None, :, :]  # (1, M, 4)
    # the overlap rectangle of each pair; negative sides mean "no overlap", so clamp them at 0
    overlap_w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]) + 1, 0.0, None)
    overlap_h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]) + 1, 0.0, None)
    inter = overlap_w * overlap_h  # (N, M)
    area_a = (a[..., 2] - a[..., 0] + 1) * (a[..., 3] - a[..., 1] + 1)  # (N, 1)
    area_b = (b[..., 2] - b[..., 0] + 1) * (b[..., 3] - b[..., 1] + 1)  # (1, M)
    union = area_a + area_b - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
