# mlprep drill: gmm_em
# expect: forgot to add reg to the diagonal of every covariance
# Mistake: m_step accepts reg but never adds it to the covariances
"""Gaussian mixture with full covariances, fitted by expectation-maximisation.

E step: each point's responsibilities r[i, j] = P(component j | x_i), computed in log space
(log pi_j + log N(x_i | mu_j, Sigma_j), normalised with log-sum-exp) so that a point far from
every component gives finite numbers instead of 0/0.
M step: weighted maximum-likelihood estimates, with N_j = sum_i r[i, j]:
    pi_j = N_j / n,   mu_j = sum_i r_ij x_i / N_j,   Sigma_j = sum_i r_ij (x_i - mu_j)(x_i - mu_j)^T / N_j
(divided by N_j, not N_j - 1: this is the maximum-likelihood estimate), plus reg * I on the
diagonal to keep every covariance invertible. Each EM round can only raise the likelihood.

``plot_gmm`` saves a picture of a fit (points, means, 1- and 2-sigma ellipses) as a PNG; it
imports matplotlib only when called and draws with the Agg canvas (no display needed).
"""

from __future__ import annotations

from pathlib import Path

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
    top = log_joint.max(axis=1, keepdims=True)
    log_px = top + np.log(np.exp(log_joint - top).sum(axis=1, keepdims=True))  # log-sum-exp, (n, 1)
    return np.exp(log_joint - log_px), float(log_px.mean())


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
        covs[j] = (resp[:, j, None] * diff).T @ diff / nk[j]
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


def ellipse(cov: np.ndarray, n_sigma: float) -> tuple[float, float, float]:
    """Width, height and angle (degrees) of the n_sigma contour of a 2-D Gaussian.

    The axes follow the covariance's eigenvectors; their full lengths are 2 * n_sigma * sqrt(eigenvalue).
    """
    vals, vecs = np.linalg.eigh(cov)  # ascending eigenvalues
    angle = np.degrees(np.arctan2(vecs[1, 1], vecs[0, 1]))  # direction of the major axis
    return 2 * n_sigma * float(np.sqrt(vals[1])), 2 * n_sigma * float(np.sqrt(vals[0])), float(angle)


def plot_gmm(X: np.ndarray, means: np.ndarray, covs: np.ndarray, resp: np.ndarray, path: str | Path) -> Path:
    """Save a PNG of the points (coloured by their most likely component), the means and the
    1- and 2-sigma ellipses of each component. Data with d > 2 is shown in its first two
    coordinates (where the marginal of each Gaussian is exactly its first two means and the
    top-left 2x2 block of its covariance)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Ellipse

    X, means, covs = np.asarray(X)[:, :2], np.asarray(means)[:, :2], np.asarray(covs)[:, :2, :2]
    fig = Figure(figsize=(6, 6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colours = [f"C{j % 10}" for j in range(len(means))]
    ax.scatter(X[:, 0], X[:, 1], s=6, alpha=0.5, c=[colours[j] for j in np.argmax(resp, axis=1)])
    for j, (mean, cov) in enumerate(zip(means, covs, strict=True)):
        for n_sigma in (1, 2):
            width, height, angle = ellipse(cov, n_sigma)
            ax.add_patch(Ellipse(tuple(mean), width, height, angle=angle, fill=False,
                                 color=colours[j], lw=1.5 if n_sigma == 1 else 0.8))
        ax.plot(*mean, marker="x", ms=10, mew=2.5, color="black")
    ax.set_title(f"Gaussian mixture: {len(means)} components (1- and 2-sigma ellipses)")
    ax.set_aspect("equal", adjustable="datalim")
    path = Path(path)
    fig.savefig(path, dpi=100)
    return path
