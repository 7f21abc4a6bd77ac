# mlprep drill: auc_roc
# expect: tied scores need their average rank
# Mistake: Mann-Whitney AUC from ordinal ranks (argsort of argsort), so ties get different ranks

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
    n_pos, n_neg = positive.sum(), (~positive).sum()
    if n_pos == 0 or n_neg == 0:
        raise ValueError("need both classes")
    ranks = np.argsort(np.argsort(scores, kind="stable"), kind="stable") + 1  # 1 = lowest score
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))
