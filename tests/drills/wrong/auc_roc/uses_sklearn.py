# mlprep drill: auc_roc
# expect: your file uses sklearn
# Mistake: calls scikit-learn instead of writing the curve

from __future__ import annotations

import numpy as np
from sklearn import metrics


def roc_curve(y_true, scores):
    if len(np.unique(y_true)) < 2:
        raise ValueError("need both classes")
    return metrics.roc_curve(y_true, scores, drop_intermediate=False)


def roc_auc(y_true, scores):
    return float(metrics.roc_auc_score(y_true, scores))
