"""Public examples for nms_iou: run `pytest` next to your nms_iou.py."""

import numpy as np
from nms_iou import batched_nms, box_iou, nms

boxes = np.array([[0.0, 0.0, 4.0, 1.0], [1.0, 0.0, 5.0, 1.0], [2.0, 0.0, 6.0, 1.0]])
scores = np.array([0.9, 0.8, 0.7])


def test_iou():
    """overlap 3 over union 5, overlap 2 over union 6; boxes that only touch have IoU 0"""
    assert np.allclose(box_iou(boxes, boxes)[0], [1.0, 0.6, 1 / 3])
    assert np.allclose(box_iou(boxes[:1], np.array([[4.0, 0.0, 6.0, 1.0]])), [[0.0]])


def test_threshold_is_strict():
    """an IoU equal to the threshold does not suppress"""
    assert nms(boxes, scores, 0.6).tolist() == [0, 1, 2]


def test_suppressed_boxes_suppress_nothing():
    """box 1 is suppressed by box 0, so it cannot suppress box 2"""
    assert nms(boxes, scores, 0.5).tolist() == [0, 2]


def test_per_label():
    """boxes with different labels never suppress each other"""
    assert batched_nms(boxes, scores, np.array([0, 1, 0]), 0.5).tolist() == [0, 1, 2]
