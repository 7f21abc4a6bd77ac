# mlprep drill: auc_roc
# expect: ran out of memory
# Mistake: the AUC compares every (positive, negative) pair: right on small inputs, O(n^2) memory

from __future__ import annotations

import numpy as np


def roc_curve(y_true, scores):
    positive = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    if positive.all() or not positive.any():
        raise ValueError("need both classes")
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], positive[order]
    ends = np.r_[np.flatnonzero(np.diff(ranked) != 0), ranked.size - 1]
    fpr = np.r_[0.0, np.cumsum(~hits)[ends] / (~hits).sum()]
    tpr = np.r_[0.0, np.cumsum(hits)[ends] / hits.sum()]
    return fpr, tpr, np.r_[np.inf, ranked[ends]]


def roc_auc(y_true, scores):
    positive = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    if positive.all() or not positive.any():
        raise ValueError("need both classes")
    pos, neg = scores[positive][:, None], scores[~positive][None, :]
    return float(((pos > neg) + 0.5 * (pos == neg)).mean())
