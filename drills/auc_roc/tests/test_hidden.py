"""Hidden tests for auc_roc: scikit-learn's roc_curve (drop_intermediate=False) and
roc_auc_score as oracles, a brute-force count over (positive, negative) pairs, and symmetry
properties; the classic ways of getting ties wrong are named when a result equals what they give."""

import ast
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from mlprep.drills.compare import assert_close, expect_array, fail
from mlprep.drills.proxy import SolutionRaised
from mlprep.drills.scalars import assert_float_close, expect_float

BANNED = {"sklearn", "scipy", "torch"}


def data(kind: str, n: int = 300, seed: int = 0):
    """Labels and scores; kinds with ties round the scores or draw them from a few values."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.4).astype(np.int64)
    s = rng.normal(size=n) + 0.8 * y
    if kind == "rounded":
        s = np.round(s, 1)  # many ties, mixed labels inside them
    elif kind == "few values":
        s = rng.integers(0, 5, n).astype(np.float64) + (rng.random(n) < 0.5 * y)
    elif kind == "imbalanced":
        y = (rng.random(n) < 0.05).astype(np.int64)
        y[:2] = [1, 0]
        s = np.round(rng.normal(size=n) + y, 1)
    elif kind == "bool labels":
        y = y.astype(bool)
        s = np.round(s, 1)
    return y, s


def brute_force_auc(y, s) -> float:
    """Every (positive, negative) pair: right = 1, tie = 1/2, wrong = 0."""
    pos, neg = s[y.astype(bool)][:, None], s[~y.astype(bool)][None, :]
    return float(((pos > neg) + 0.5 * (pos == neg)).mean())


def pair_auc(y, s, tie: float) -> float:
    """The share of (positive, negative) pairs ranked right, a tie counting ``tie`` (by sorting)."""
    pos, neg = s[y.astype(bool)], np.sort(s[~y.astype(bool)])
    below = np.searchsorted(neg, pos, side="left")  # negatives strictly below each positive
    tied = np.searchsorted(neg, pos, side="right") - below
    return float((below.sum() + tie * tied.sum()) / (len(pos) * len(neg)))


def order_dependent_auc(y, s, order) -> float:
    """The area when examples are taken one at a time in ``order`` (ties not moved together)."""
    hits = y.astype(bool)[order]
    tpr = np.r_[0.0, np.cumsum(hits) / hits.sum()]
    fpr = np.r_[0.0, np.cumsum(~hits) / (~hits).sum()]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def auc_mistakes(y, s) -> dict[str, float]:
    return {
        "ties: a tied (positive, negative) pair counts one half; your area counts it as 0 "
        "(left rectangles, or a strict > comparison instead of trapezoids)": pair_auc(y, s, 0.0),
        "ties: a tied (positive, negative) pair counts one half; your area counts it as 1 "
        "(right rectangles, or >= instead of trapezoids)": pair_auc(y, s, 1.0),
        "ties: examples with equal scores must move the curve together; your area depends on the "
        "order of the tied examples (one point per example instead of one per distinct score)":
            order_dependent_auc(y, s, np.argsort(-s, kind="stable")),
        "ties: your area depends on the order of tied examples (ranks 1..n from a sort give tied "
        "scores different ranks; tied scores need their average rank)":
            order_dependent_auc(y, s, np.argsort(s, kind="stable")[::-1]),
    }


def curve(solution, y, s, what):
    got = solution.roc_curve(y, s)
    if type(got) not in (tuple, list) or len(got) != 3:
        fail(f"{what}: expected a tuple (fpr, tpr, thresholds), got {type(got).__name__}")
    m = len(np.unique(s))
    arrays = [expect_array(a, f"{what}: {name}", kinds="f") for a, name in zip(got, ("fpr", "tpr", "thresholds"), strict=True)]
    for a, name in zip(arrays, ("fpr", "tpr", "thresholds"), strict=True):
        if a.shape == (len(s) + 1,) and m < len(s):
            fail(f"{what}: {name} has one point per example ({len(s) + 1}); examples with equal scores "
                 f"cross the threshold together, so expected one point per distinct score plus (0, 0): {m + 1}")
        if a.shape == (m,):
            fail(f"{what}: {name} has {m} points: the curve starts with the point (0, 0) at threshold +inf, "
                 f"then one point per distinct score ({m + 1} in all)")
        if a.shape != (m + 1,):
            fail(f"{what}: {name} should have shape ({m + 1},) (one point per distinct score plus (0, 0)), "
                 f"got {a.shape}")
    return arrays


KINDS = ["continuous", "rounded", "few values", "imbalanced", "bool labels"]


@pytest.mark.parametrize("kind", KINDS)
def test_curve_matches_sklearn(solution, tolerance, kind):
    """fpr, tpr and thresholds equal scikit-learn's roc_curve(drop_intermediate=False)"""
    y, s = data(kind, seed=KINDS.index(kind))
    fpr, tpr, thresholds = curve(solution, y, s, f"roc_curve ({kind} scores)")
    ref_fpr, ref_tpr, ref_thr = sk_roc_curve(y, s, drop_intermediate=False)
    if thresholds[0] != np.inf or fpr[0] != 0 or tpr[0] != 0:
        fail(f"roc_curve ({kind}): the first point must be (0, 0) with threshold +inf; got "
             f"({fpr[0]:g}, {tpr[0]:g}) at {thresholds[0]:g}")
    if np.all(np.diff(thresholds[1:]) > 0):
        fail(f"roc_curve ({kind}): thresholds go up; they must go down from the highest score to the lowest")
    assert_close(thresholds, ref_thr, f"roc_curve ({kind}): thresholds", **tolerance)
    if np.allclose(fpr, ref_tpr) and np.allclose(tpr, ref_fpr):
        fail(f"roc_curve ({kind}): fpr and tpr are swapped; the function returns (fpr, tpr, thresholds)")
    assert_close(fpr, ref_fpr, f"roc_curve ({kind}): fpr (false positives over the number of negatives)", **tolerance)
    assert_close(tpr, ref_tpr, f"roc_curve ({kind}): tpr (true positives over the number of positives)", **tolerance)


@pytest.mark.parametrize("kind", KINDS)
def test_auc_matches_sklearn(solution, tolerance, kind):
    """roc_auc equals scikit-learn's roc_auc_score"""
    y, s = data(kind, seed=10 + KINDS.index(kind))
    assert_float_close(solution.roc_auc(y, s), float(roc_auc_score(y, s)), f"roc_auc ({kind} scores)",
                       auc_mistakes(y, s), **tolerance)


@pytest.mark.parametrize("seed", range(3), ids=["pairs 0", "pairs 1", "pairs 2"])
def test_auc_is_the_pair_probability(solution, tolerance, seed):
    """AUC = P(positive scores above negative), a tie counting one half (brute force over pairs)"""
    rng = np.random.default_rng(100 + seed)
    y = np.r_[1, 0, (rng.random(38) < 0.5)].astype(np.int64)
    s = rng.integers(0, 6, 40).astype(np.float64) / 4  # six values: ties everywhere
    assert_float_close(solution.roc_auc(y, s), brute_force_auc(y, s), "roc_auc against the pair count",
                       auc_mistakes(y, s), **tolerance)


@pytest.mark.parametrize("case,y,s,expected", [
    ("perfect", [0, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.5], 1.0),
    ("reversed", [1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.5], 0.0),
    ("all tied", [1, 0, 0, 1, 0], [0.3] * 5, 0.5),
    ("one of each", [0, 1], [2.0, 2.0], 0.5),
], ids=["perfect ranking", "reversed ranking", "all scores equal", "two examples, tied"])
def test_boundary_values(solution, tolerance, case, y, s, expected):
    """extremes: 1.0 for a perfect ranking, 0.0 reversed, 0.5 when every score is equal"""
    y, s = np.array(y), np.array(s)
    assert_float_close(solution.roc_auc(y, s), expected, f"roc_auc ({case})", auc_mistakes(y, s), **tolerance)
    if case == "all tied":
        fpr, tpr, thresholds = curve(solution, y, s, "roc_curve (all scores equal)")
        if not (np.array_equal(fpr, [0.0, 1.0]) and np.array_equal(tpr, [0.0, 1.0])):
            fail(f"roc_curve with all scores equal must be the two points (0, 0) and (1, 1); "
                 f"got fpr {fpr.tolist()}, tpr {tpr.tolist()}")


def test_symmetries(solution, tolerance):
    """negating the scores gives 1 - AUC; shuffling the examples changes nothing"""
    y, s = data("rounded", n=200, seed=7)
    auc = expect_float(solution.roc_auc(y, s), "roc_auc")
    flipped = expect_float(solution.roc_auc(y, -s), "roc_auc with negated scores")
    if abs(flipped - (1 - auc)) > 1e-12:
        fail(f"negating the scores should give 1 - AUC = {1 - auc:.6f}, got {flipped:.6f}: "
             "tied scores must be handled the same from either side")
    perm = np.random.default_rng(8).permutation(len(y))
    shuffled = expect_float(solution.roc_auc(y[perm], s[perm]), "roc_auc of the shuffled examples")
    if abs(shuffled - auc) > 1e-12:
        fail(f"shuffling the examples changed the AUC from {auc:.6f} to {shuffled:.6f}: the result must not "
             "depend on the order of tied examples")


@pytest.mark.parametrize("label", [0, 1], ids=["only negatives", "only positives"])
def test_one_class_raises(solution, label):
    """a single class raises ValueError"""
    y, s = np.full(6, label), np.linspace(0, 1, 6)
    for fn in ("roc_curve", "roc_auc"):
        try:
            got = getattr(solution, fn)(y, s)
        except SolutionRaised as exc:
            if "raised ValueError" not in str(exc):
                fail(f"{fn} with one class should raise ValueError; {exc}")
            continue
        fail(f"{fn} with labels all {label} should raise ValueError (a rate would divide by zero), "
             f"but it returned {type(got).__name__}")


def test_large_input(solution, tolerance):
    """100,000 examples with ties: sort once, no loop over pairs"""
    y, s = data("continuous", n=100_000, seed=11)
    s = np.round(s, 2)
    assert_float_close(solution.roc_auc(y, s), float(roc_auc_score(y, s)), "roc_auc on 100,000 examples",
                       auc_mistakes(y, s), **tolerance)


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


def test_numpy_only(solution, tolerance):
    """numpy only: a working roc_auc with no scikit-learn, scipy or torch"""
    y, s = np.array([0, 1, 1, 0]), np.array([0.2, 0.9, 0.2, 0.5])
    assert_float_close(solution.roc_auc(y, s), 0.625, "roc_auc on four examples", auc_mistakes(y, s), **tolerance)
    source = Path(solution.source_file).read_text(encoding="utf-8", errors="replace")  # read, never run
    used = imported_banned(source)
    if used:
        fail(f"your file uses {', '.join(sorted(used))}: write the ROC curve and the AUC with numpy alone")
