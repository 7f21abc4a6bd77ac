"""Hidden tests for vectorize: the drill's own loop (read from its starter, never the learner's
copy) is the oracle for values, and the sandbox times both versions side by side for speed."""

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.given import given_function, starter_source
from mlprep.drills.mistakes import assert_close_or_named

GIVEN = starter_source("vectorize")  # the drill's own slow loop, never the learner's copy
SPEED_UP = 20.0
iou_matrix_slow = given_function("vectorize", "iou_matrix_slow")


def boxes(n, seed, spread=10.0):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(0, spread, (n, 2))
    return np.hstack([corners, corners + rng.uniform(0, 4, (n, 2))])


def known_mistakes(a, b):
    """What the usual slips give on the same boxes."""
    A, B = a[:, None, :], b[None, :, :]
    w = np.minimum(A[..., 2], B[..., 2]) - np.maximum(A[..., 0], B[..., 0])
    h = np.minimum(A[..., 3], B[..., 3]) - np.maximum(A[..., 1], B[..., 1])
    area_a = (A[..., 2] - A[..., 0]) * (A[..., 3] - A[..., 1])
    area_b = (B[..., 2] - B[..., 0]) * (B[..., 3] - B[..., 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    raw = w * h
    inter1 = np.clip(w + 1, 0, None) * np.clip(h + 1, 0, None)
    area1_a = (A[..., 2] - A[..., 0] + 1) * (A[..., 3] - A[..., 1] + 1)
    area1_b = (B[..., 2] - B[..., 0] + 1) * (B[..., 3] - B[..., 1] + 1)
    return {
        "boxes that do not overlap: clamp the overlap's width and height at 0 before multiplying":
            ratio(raw, area_a + area_b - raw),
        "the union is area_a + area_b - intersection (the overlap is counted twice otherwise)":
            ratio(inter, area_a + area_b),
        "coordinates are continuous: a box's area is (x2 - x1) * (y2 - y1), no + 1":
            ratio(inter1, area1_a + area1_b - inter1),
    }


def ratio(inter, union):
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


@pytest.mark.parametrize("n,m,spread", [(40, 30, 10.0), (25, 60, 30.0)], ids=["crowded", "sparse"])
def test_same_as_the_loop(solution, tolerance, n, m, spread):
    """iou_matrix equals the given loop on random boxes"""
    a, b = boxes(n, 1, spread), boxes(m, 2, spread)
    got = solution.iou_matrix(a, b)
    assert_close_or_named(got, iou_matrix_slow(a, b), f"iou_matrix of {n} x {m} boxes", known_mistakes(a, b),
                          **tolerance)


def test_disjoint_boxes(solution):
    """boxes that are far apart have IoU exactly 0"""
    a = np.array([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 20.0, 10.0]])
    b = np.array([[11.0, 11.0, 12.0, 12.0], [21.0, 12.0, 22.0, 13.0]])
    got = expect_array(solution.iou_matrix(a, b), "iou_matrix of disjoint boxes", shape=(2, 2), kinds="f")
    if np.any(got != 0):
        fail("boxes that do not overlap must have IoU 0: clamp the overlap's width and height at 0 "
             "before multiplying (two negative sides make a positive area)")


def test_empty_boxes(solution):
    """two empty boxes (union 0) have IoU 0, not nan"""
    a = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 2.0, 2.0]])
    got = expect_array(solution.iou_matrix(a, a[:1]), "iou_matrix with an empty box", shape=(2, 1), kinds="f")
    if not np.all(np.isfinite(got)):
        fail("a pair whose union is 0 must give IoU 0.0, not nan or inf (divide only where the union is > 0)")
    if np.any(got != 0):
        fail(f"an empty box overlaps nothing: expected IoU 0, got {got.ravel().tolist()}")


def test_no_boxes(solution):
    """N = 0 gives an empty (0, M) array"""
    expect_array(solution.iou_matrix(np.zeros((0, 4)), boxes(3, 0)), "iou_matrix with N = 0", shape=(0, 3), kinds="f")


def test_speed(solution, tolerance):
    """at least 20x faster than the given loop, timed in the same process on the same boxes"""
    a, b = boxes(200, 5), boxes(150, 6)
    timing = solution.mlprep_time_against("iou_matrix", GIVEN, "iou_matrix_slow", [a, b])
    if type(timing) is not dict or not {"fast_s", "slow_s", "result"} <= set(timing):
        fail("the timing could not be read back from the process running your code")
    assert_close_or_named(timing["result"], iou_matrix_slow(a, b), "iou_matrix of 200 x 150 boxes",
                          known_mistakes(a, b), **tolerance)
    fast, slow = float(timing["fast_s"]), float(timing["slow_s"])
    ratio = slow / max(fast, 1e-9)
    if ratio < SPEED_UP:
        fail(f"iou_matrix took {fast * 1e3:.1f} ms, the loop {slow * 1e3:.0f} ms: {ratio:.1f}x faster, "
             f"needs {SPEED_UP:.0f}x; broadcast (N, 1) against (1, M) instead of looping over boxes")
