# mlprep drill: naive_bayes
# expect: not each feature's own variance
# Mistake: epsilon scaled by each feature's own variance
"""Reference solution: Gaussian and multinomial naive Bayes, fitted and applied in log space.

Both models score a test row x for class c as log P(c) + sum_j log P(x_j | c) and normalise the
scores with a log-sum-exp, never leaving log space: with hundreds of features, or documents
thousands of words long, the likelihoods themselves underflow to 0.
"""

from __future__ import annotations

import numpy as np


def _log_normalise(joint: np.ndarray) -> np.ndarray:
    """Rows of log joint probabilities -> log posteriors (each row's exp sums to 1)."""
    top = joint.max(axis=1, keepdims=True)
    return joint - (top + np.log(np.exp(joint - top).sum(axis=1, keepdims=True)))


def _classes(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted classes, each row's class index, and the log prior of each class."""
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    counts = np.bincount(codes, minlength=len(classes))
    return classes, codes, np.log(counts / counts.sum())


def gaussian_nb(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                var_smoothing: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels (m,), log posteriors (m, K)) of a Gaussian naive Bayes."""
    X = np.asarray(X_train, dtype=np.float64)
    T = np.asarray(X_test, dtype=np.float64)
    classes, codes, log_prior = _classes(y_train)
    epsilon = var_smoothing * X.var(axis=0)
    mean = np.stack([X[codes == c].mean(axis=0) for c in range(len(classes))])  # (K, d)
    var = np.stack([X[codes == c].var(axis=0) for c in range(len(classes))]) + epsilon  # ddof = 0
    joint = (log_prior[None, :]
             - 0.5 * np.sum(np.log(2.0 * np.pi * var), axis=1)[None, :]
             - 0.5 * np.sum((T[:, None, :] - mean[None]) ** 2 / var[None], axis=2))  # (m, K)
    return classes[np.argmax(joint, axis=1)], _log_normalise(joint)


def multinomial_nb(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                   alpha: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(predicted labels (m,), log posteriors (m, K)) of a multinomial naive Bayes on counts."""
    X = np.asarray(X_train, dtype=np.float64)
    T = np.asarray(X_test, dtype=np.float64)
    classes, codes, log_prior = _classes(y_train)
    counts = np.stack([X[codes == c].sum(axis=0) for c in range(len(classes))]) + alpha  # (K, d)
    log_theta = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))  # alpha once per feature
    joint = T @ log_theta.T + log_prior[None, :]
    return classes[np.argmax(joint, axis=1)], _log_normalise(joint)
