# mlprep drill: gmm_em
# expect: log-sum-exp
# Mistake: densities computed directly, so a far point gives 0/0

from __future__ import annotations

import numpy as np


def _log_gaussian(X: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log N(x | mean, cov) for every row of X, through a Cholesky factor (no explicit inverse)."""
    d = X.shape[1]
    L = np.linalg.cholesky(cov)  # cov = L L^T
    z = np.linalg.solve(L, (X - mean).T)  # (d, n) whitened deviations
    log_det = 2.0 * np.log(np.diag(L)).sum()
    return -0.5 * ((z**2).sum(axis=0) + d * np.log(2 * np.pi) + log_det)


def e_step(X: np.ndarray, weights: np.ndarray, means: np.ndarray,
           covs: np.ndarray) -> tuple[np.ndarray, float]:
    """Responsibilities (n, k), rows summing to 1, and the mean log-likelihood per point."""
    X = np.asarray(X, dtype=np.float64)
    # log pi_j + log N(x_i | mu_j, Sigma_j), shape (n, k)
    log_joint = np.stack([np.log(w) + _log_gaussian(X, m, c) for w, m, c in zip(weights, means, covs, strict=True)], axis=1)
    joint = np.exp(log_joint)
    px = joint.sum(axis=1, keepdims=True)
    return joint / px, float(np.log(px).mean())


def m_step(X: np.ndarray, resp: np.ndarray,
           reg: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood (weights (k,), means (k, d), covs (k, d, d)) for given responsibilities."""
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    nk = resp.sum(axis=0)  # (k,) effective number of points per component
    means = resp.T @ X / nk[:, None]  # (k, d)
    covs = np.empty((len(nk), d, d))
    for j in range(len(nk)):
        diff = X - means[j]  # (n, d), centred on the *new* mean
        covs[j] = (resp[:, j, None] * diff).T @ diff / nk[j] + reg * np.eye(d)
    return nk / n, means, covs


def fit_gmm(X: np.ndarray, weights: np.ndarray, means: np.ndarray, covs: np.ndarray,
            n_iter: int = 100, reg: float = 1e-6) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """n_iter EM rounds from the given parameters.

    Returns (weights, means, covs, history): history[t] is the mean log-likelihood before
    round t, and history[n_iter] the one of the returned parameters; it never decreases.
    """
    history = []
    for _ in range(n_iter):
        resp, log_lik = e_step(X, weights, means, covs)
        history.append(log_lik)
        weights, means, covs = m_step(X, resp, reg)
    history.append(e_step(X, weights, means, covs)[1])
    return weights, means, covs, np.array(history)

