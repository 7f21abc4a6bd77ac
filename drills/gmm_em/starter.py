# mlprep drill: gmm_em
"""Gaussian mixture with full covariances, fitted by EM, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade gmm_em.py`."""

from __future__ import annotations

import numpy as np


def e_step(X: np.ndarray, weights: np.ndarray, means: np.ndarray,
           covs: np.ndarray) -> tuple[np.ndarray, float]:
    """Responsibilities (n, k) whose rows sum to 1, and the mean log-likelihood per point."""
    raise NotImplementedError("e_step")


def m_step(X: np.ndarray, resp: np.ndarray,
           reg: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood (weights (k,), means (k, d), covs (k, d, d)) for the responsibilities;
    reg is added to the diagonal of every covariance."""
    raise NotImplementedError("m_step")


def fit_gmm(X: np.ndarray, weights: np.ndarray, means: np.ndarray, covs: np.ndarray,
            n_iter: int = 100, reg: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """n_iter rounds of E then M; returns (weights, means, covs, history) with history of
    length n_iter + 1 (mean log-likelihood before each round, then for the result)."""
    raise NotImplementedError("fit_gmm")
