# mlprep drill: auc_roc
# expect: counts it as 0
# Mistake: the area sums left rectangles instead of trapezoids
"""Reference solution: the ROC curve (one point per distinct score) and its area.

Sorting by decreasing score once gives, by cumulative sums, the true and false positives above
every position. Reading those counts only at the last position of each run of equal scores
moves tied examples together; the trapezoid over such a mixed step is exactly the half credit
a tied (positive, negative) pair deserves, so the area equals the Mann-Whitney statistic.
"""

from __future__ import annotations

import numpy as np


def roc_curve(y_true: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds): (0, 0) at +inf, then one point per distinct score, highest first."""
    positive = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(np.count_nonzero(positive))
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("the ROC curve needs at least one positive and one negative example")
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], positive[order]
    tp = np.cumsum(hits)  # positives scored >= ranked[i]  (once i ends a run of ties)
    fp = np.cumsum(~hits)
    ends = np.r_[np.flatnonzero(np.diff(ranked) != 0), ranked.size - 1]  # last index of each run
    fpr = np.r_[0.0, fp[ends] / n_neg]
    tpr = np.r_[0.0, tp[ends] / n_pos]
    thresholds = np.r_[np.inf, ranked[ends]]
    return fpr, tpr, thresholds


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Trapezoidal area under the ROC curve."""
    fpr, tpr, _ = roc_curve(y_true, scores)
    return float(np.sum(np.diff(fpr) * tpr[:-1]))
