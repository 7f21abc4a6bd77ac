# mlprep drill: nms_iou
# expect: suppresses nothing
# Mistake: every visited box suppresses, even one that was itself suppressed
"""Reference solution: pairwise IoU of boxes and greedy non-maximum suppression, with
torchvision's conventions (continuous (x1, y1, x2, y2) coordinates, suppress when IoU > threshold).

NMS walks the boxes from the highest score down; a box survives unless it overlaps an already
*kept* box by more than the threshold. Per-category NMS (batched) shifts every category's boxes
far from all the others, so one ordinary NMS call never lets categories suppress each other.
"""

from __future__ import annotations

import numpy as np


def _area(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])  # no +1: coordinates are continuous


def box_iou(boxes1: np.ndarray, boxes2: np.ndarray) -> np.ndarray:
    """IoU of every box in boxes1 (N, 4) with every box in boxes2 (M, 4): (N, M) float64."""
    a = np.asarray(boxes1, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(boxes2, dtype=np.float64).reshape(-1, 4)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])  # (N, M, 2)
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(bottom_right - top_left, 0.0, None)  # width and height clamped apart: disjoint -> 0
    inter = wh[..., 0] * wh[..., 1]
    union = _area(a)[:, None] + _area(b)[None, :] - inter
    return inter / union


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the kept boxes, highest score first (equal scores: smaller index first)."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    iou = box_iou(boxes, boxes)
    suppressed = np.zeros(len(boxes), dtype=bool)
    keep = []
    for i in order:
        if not suppressed[i]:
            keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return np.array(keep, dtype=np.int64)


def batched_nms(boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray, iou_threshold: float) -> np.ndarray:
    """NMS within each label separately; indices of the kept boxes, highest score first."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    _, group = np.unique(np.asarray(labels), return_inverse=True)
    span = boxes.max() - boxes.min() + 1.0
    shifted = boxes + (group * span)[:, None]  # categories far apart: they never overlap
    return nms(shifted, scores, iou_threshold)
