"""Hidden tests for nms_iou: a pure-Python reference with torchvision's semantics (continuous
coordinates, clamped overlap, suppression when IoU > threshold, visit by score with equal scores
in index order, only kept boxes suppress, per-label independence, output by decreasing score),
written here since torchvision is not available. Each classic mistake has its own variant of the
reference, so a result that equals one is named."""

import ast
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills.compare import expect_array, fail
from mlprep.drills.mistakes import assert_close_or_named

BANNED = {"torch", "torchvision", "sklearn", "scipy"}


def ref_iou(a, b, plus_one=False, clamp=True, subtract=True):
    """IoU of two boxes, or of a classic mistake (pixel +1 areas, no clamp, union without - inter)."""
    e = 1.0 if plus_one else 0.0
    w = min(a[2], b[2]) - max(a[0], b[0]) + e
    h = min(a[3], b[3]) - max(a[1], b[1]) + e
    if clamp:
        w, h = max(w, 0.0), max(h, 0.0)
    inter = w * h
    area = lambda z: (z[2] - z[0] + e) * (z[3] - z[1] + e)  # noqa: E731
    return inter / (area(a) + area(b) - (inter if subtract else 0.0))


def ref_matrix(A, B, **mistake):
    return np.array([[ref_iou(a, b, **mistake) for b in B] for a in A], dtype=np.float64).reshape(len(A), len(B))


def ref_nms(boxes, scores, threshold, strict=True, chain=False, by_score=True, sort_output=False,
            ties_reversed=False):
    """Greedy NMS; the flags switch on one classic mistake each."""
    n = len(boxes)
    tie = -1 if ties_reversed else 1
    order = sorted(range(n), key=lambda i: (-scores[i], tie * i)) if by_score else list(range(n))
    iou = ref_matrix(boxes, boxes)
    keep, removed, seen = [], set(), []
    for i in order:
        over = (lambda v: v > threshold) if strict else (lambda v: v >= threshold)
        if chain and any(over(iou[i, j]) for j in seen):
            seen.append(i)
            continue
        seen.append(i)
        if i in removed:
            continue
        keep.append(i)
        removed |= {j for j in range(n) if j != i and over(iou[i, j])}
    return np.array(sorted(keep) if sort_output else keep, dtype=np.int64)


def ref_batched(boxes, scores, labels, threshold, ignore_labels=False, by_label=False):
    if ignore_labels:
        return ref_nms(boxes, scores, threshold)
    kept = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        kept.extend(members[ref_nms(boxes[members], scores[members], threshold)].tolist())
    if not by_label:
        kept.sort(key=lambda i: (-scores[i], i))
    return np.array(kept, dtype=np.int64)


def clusters(seed, n=60, spread=0.6):
    """Boxes jittered around a few objects, so many overlap by a lot; scores all distinct."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 20, (5, 2))
    c = centres[rng.integers(0, 5, n)] + rng.normal(scale=spread, size=(n, 2))
    wh = rng.uniform(1.0, 4.0, (n, 2))
    return np.hstack([c - wh / 2, c + wh / 2]), rng.permutation(n) / n + 0.01


NMS_MISTAKES = {
    "strict": "an IoU equal to the threshold must not suppress: suppress only when IoU > iou_threshold",
    "chain": "a suppressed box suppresses nothing: compare each box only with the boxes already kept",
    "by_score": "visit the boxes from the highest score down, not in index order",
    "sort_output": "return the kept indices in decreasing order of score, not sorted by index",
    "ties_reversed": "equal scores: visit the smaller index first (np.argsort(scores)[::-1] puts equal scores "
                     "in reverse index order; sort -scores with a stable sort)",
}


def check_nms(solution, boxes, scores, threshold, what):
    got = expect_array(solution.nms(boxes, scores, threshold), what, kinds="iu")
    expected = ref_nms(boxes, scores, threshold)
    if got.shape == expected.shape and np.array_equal(got, expected):
        return
    iou = solution.box_iou(boxes, boxes)
    if type(iou) is not np.ndarray or iou.shape != (len(boxes),) * 2 or not np.allclose(iou, ref_matrix(boxes, boxes)):
        fail(f"{what}: wrong boxes kept, and your box_iou is wrong on these boxes too: fix box_iou first "
             f"(expected {len(expected)} kept, got {len(got)})")
    variants = {
        NMS_MISTAKES["strict"]: ref_nms(boxes, scores, threshold, strict=False),
        NMS_MISTAKES["chain"]: ref_nms(boxes, scores, threshold, chain=True),
        NMS_MISTAKES["by_score"]: ref_nms(boxes, scores, threshold, by_score=False),
        NMS_MISTAKES["sort_output"]: ref_nms(boxes, scores, threshold, sort_output=True),
        NMS_MISTAKES["ties_reversed"]: ref_nms(boxes, scores, threshold, ties_reversed=True),
    }
    for message, alt in variants.items():
        if got.shape == alt.shape and np.array_equal(got, alt):
            fail(f"{what}: {message}")
    fail(f"{what}: expected the indices {expected.tolist()[:12]}{' ...' if len(expected) > 12 else ''} "
         f"({len(expected)} kept), got {got.tolist()[:12]}{' ...' if len(got) > 12 else ''} ({len(got)} kept)")


def iou_mistakes(A, B):
    return {
        "coordinates are continuous: a box's width is x2 - x1, with no + 1": ref_matrix(A, B, plus_one=True),
        "clamp the overlap's width and height at 0 separately: disjoint boxes must have IoU 0":
            ref_matrix(A, B, clamp=False),
        "the union is area1 + area2 - intersection (the overlap is counted once)": ref_matrix(A, B, subtract=False),
    }


def test_iou_matches_reference(solution, tolerance):
    """box_iou equals the reference on overlapping, disjoint and nested boxes"""
    boxes, _ = clusters(1, n=12, spread=2.0)
    A, B = boxes[:7], boxes[7:]
    got = solution.box_iou(A, B)
    assert_close_or_named(got, ref_matrix(A, B), "box_iou (7 x 5 boxes)", iou_mistakes(A, B), **tolerance)


def test_iou_special_cases(solution, tolerance):
    """identical boxes 1, nested boxes area ratio, touching or far apart boxes 0"""
    A = np.array([[0.0, 0.0, 2.0, 2.0]])
    B = np.array([[0.0, 0.0, 2.0, 2.0],     # identical
                  [0.5, 0.5, 1.5, 1.5],     # nested: 1 / 4
                  [2.0, 0.0, 3.0, 2.0],     # touches along x = 2
                  [3.0, 3.0, 4.0, 5.0],     # apart along both axes
                  [0.5, 3.0, 1.5, 4.0],     # overlaps in x only
                  [-1.0, 1.0, 1.0, 3.0]])   # corner overlap: 1 / 7
    expected = np.array([[1.0, 0.25, 0.0, 0.0, 0.0, 1 / 7]])
    assert_close_or_named(solution.box_iou(A, B), expected, "box_iou of special cases", iou_mistakes(A, B), **tolerance)
    assert_close_or_named(solution.box_iou(B, A), expected.T, "box_iou with the arguments swapped", {}, **tolerance)
    for shape, (X, Y) in {(0, 6): (np.zeros((0, 4)), B), (6, 0): (B, np.zeros((0, 4)))}.items():
        expect_array(solution.box_iou(X, Y), f"box_iou with {shape[0]} and {shape[1]} boxes", shape=shape, kinds="f")


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7], ids=["iou 0.3", "iou 0.5", "iou 0.7"])
def test_nms_matches_reference(solution, threshold):
    """nms keeps exactly the reference's boxes, in decreasing order of score"""
    for seed in range(3):
        boxes, scores = clusters(10 + seed)
        check_nms(solution, boxes, scores, threshold, f"nms (threshold {threshold}, 60 boxes, set {seed})")


def test_threshold_is_strict(solution):
    """an IoU exactly equal to the threshold does not suppress"""
    boxes = np.array([[0.0, 0.0, 4.0, 1.0], [1.0, 0.0, 5.0, 1.0], [10.0, 0.0, 11.0, 2.0], [10.0, 1.0, 11.0, 3.0]])
    scores = np.array([0.9, 0.8, 0.7, 0.6])  # IoU(0, 1) = 3 / 5, IoU(2, 3) = 1 / 3
    check_nms(solution, boxes, scores, 0.6, "nms with an IoU of exactly 0.6 at threshold 0.6")
    check_nms(solution, boxes, scores, 1 / 3, "nms with an IoU of exactly 1/3 at threshold 1/3")
    check_nms(solution, boxes, scores, 0.59, "nms at threshold 0.59")


def test_suppressed_boxes_suppress_nothing(solution):
    """a chain A-B-C: B is suppressed by A, so it cannot suppress C"""
    boxes = np.array([[2.0, 0.0, 6.0, 1.0], [0.0, 0.0, 4.0, 1.0], [1.0, 0.0, 5.0, 1.0]])
    scores = np.array([0.5, 0.9, 0.7])  # visit order 1, 2, 0: IoU(1, 2) = IoU(2, 0) = 0.6, IoU(1, 0) = 1/3
    check_nms(solution, boxes, scores, 0.5, "nms on a chain of three boxes")


def test_score_order_and_ties(solution):
    """scores decide the visiting order; equal scores go by smaller index"""
    boxes, scores = clusters(20, n=40)
    perm = np.random.default_rng(21).permutation(40)
    check_nms(solution, boxes[perm], scores[perm], 0.5, "nms on boxes given in shuffled order")
    same = np.array([[0.0, 0.0, 2.0, 2.0], [5.0, 5.0, 6.0, 6.0], [0.0, 0.0, 2.0, 2.0], [0.1, 0.0, 2.1, 2.0]])
    check_nms(solution, same, np.array([0.3, 0.8, 0.3, 0.3]), 0.5, "nms with equal scores (identical boxes 0 and 2)")


def test_extreme_thresholds(solution):
    """threshold 1 keeps everything, threshold 0 drops every overlap, no boxes gives no indices"""
    boxes, scores = clusters(30, n=30)
    check_nms(solution, boxes, scores, 1.0, "nms at threshold 1.0 (nothing has IoU > 1)")
    check_nms(solution, boxes, scores, 0.0, "nms at threshold 0.0 (any overlap suppresses; touching does not)")
    touching = np.array([[0.0, 0.0, 1.0, 1.0], [1.0, 0.0, 2.0, 1.0], [0.5, 0.5, 1.5, 1.5]])
    check_nms(solution, touching, np.array([0.9, 0.8, 0.1]), 0.0, "nms at threshold 0.0 on boxes that touch")
    got = expect_array(solution.nms(np.zeros((0, 4)), np.zeros(0), 0.5), "nms of no boxes", kinds="iu")
    if got.shape != (0,):
        fail(f"nms of no boxes must return an empty integer array, got shape {got.shape}")


@pytest.mark.parametrize("threshold", [0.3, 0.6], ids=["iou 0.3", "iou 0.6"])
def test_batched_nms(solution, threshold):
    """batched_nms: labels never suppress each other; all kept indices by decreasing score"""
    for seed in range(2):
        boxes, scores = clusters(40 + seed, n=50)
        labels = np.random.default_rng(seed).choice(np.array([3, 7, 11]), 50)
        what = f"batched_nms (threshold {threshold}, 3 labels, set {seed})"
        got = expect_array(solution.batched_nms(boxes, scores, labels, threshold), what, kinds="iu")
        expected = ref_batched(boxes, scores, labels, threshold)
        if got.shape == expected.shape and np.array_equal(got, expected):
            continue
        for message, alt in {
            "boxes with different labels must not suppress each other": ref_batched(
                boxes, scores, labels, threshold, ignore_labels=True),
            "return all kept indices in decreasing order of score, not grouped by label": ref_batched(
                boxes, scores, labels, threshold, by_label=True),
        }.items():
            if got.shape == alt.shape and np.array_equal(got, alt):
                fail(f"{what}: {message}")
        fail(f"{what}: expected {len(expected)} kept boxes {expected.tolist()[:10]} ..., got {len(got)}: "
             f"{got.tolist()[:10]} ...")


def imported_banned(source: str) -> set[str]:
    """Banned top-level modules the source imports (or names in a string, as for __import__)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & BANNED
    return found


def test_numpy_only(solution):
    """numpy only: a working nms with no torch, torchvision, scikit-learn or scipy"""
    boxes, scores = clusters(50, n=20)
    check_nms(solution, boxes, scores, 0.5, "nms (20 boxes)")
    used = imported_banned(Path(solution.source_file).read_text(encoding="utf-8", errors="replace"))  # read, never run
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: write IoU and NMS with numpy alone")
