# mlprep drill: nms_iou
"""Box IoU and non-maximum suppression, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade nms_iou.py`."""

from __future__ import annotations

import numpy as np


def box_iou(boxes1: np.ndarray, boxes2: np.ndarray) -> np.ndarray:
    """IoU of (N, 4) and (M, 4) boxes (x1, y1, x2, y2): (N, M); areas are (x2 - x1) * (y2 - y1)."""
    raise NotImplementedError("box_iou")


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Kept indices, highest score first: drop a box whose IoU with a kept box is > iou_threshold."""
    raise NotImplementedError("nms")


def batched_nms(boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray,
                iou_threshold: float) -> np.ndarray:
    """NMS within each label separately; kept indices, highest score first."""
    raise NotImplementedError("batched_nms")
