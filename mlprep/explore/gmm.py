"""The numbers behind `mlprep explore gmm`: mock data from k Gaussians, a staged fit, and its scores.

The fit follows the notes' notebook: k-means first, then EM with diagonal covariances, then EM with
full ones. It is built on the reference solutions ``solutions/kmeans.py`` (k-means++ and Lloyd) and
``solutions/gmm_em.py`` (the E and M steps). The reference M step estimates full covariances; the
diagonal and spherical maximum-likelihood estimates are exact projections of that estimate (keep
its diagonal; average its diagonal), so the constrained stages reuse it and stay monotone.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from mlprep.solutions import ensure_importable

COVARIANCES = ("full", "diag", "spherical")
# The EM stages that follow k-means for each --covariance: "k-means, then diagonal, then full".
STAGES = {"full": ("diag", "full"), "diag": ("diag",), "spherical": ("spherical",)}
MAX_K = 8  # true and fitted means are matched by trying every permutation


@dataclass
class Mixture:
    weights: np.ndarray  # (k,)
    means: np.ndarray  # (k, d)
    covs: np.ndarray  # (k, d, d)


@dataclass
class Stage:
    name: str  # "k-means" or a covariance kind
    mixture: Mixture
    resp: np.ndarray  # (n, k) responsibilities under ``mixture``
    loglik: float  # mean log-likelihood per point
    bic: float
    iterations: int | None  # EM rounds run (None for k-means)
    history: np.ndarray  # mean log-likelihood before each EM round and after the last
    mean_error: float  # mean distance from each true mean to its matched fitted mean
    max_error: float


def _reference():
    ensure_importable()
    import gmm_em
    import kmeans

    return gmm_em, kmeans


def make_data(k: int, dim: int, n: int, noise: float, seed: int,
              min_gap: float = 3.0) -> tuple[np.ndarray, Mixture]:
    """n points from k random, tilted, elongated Gaussians in ``dim`` dimensions, plus N(0, noise^2 I) noise.

    The means are at least ``min_gap`` apart where that can be had; axis standard deviations are
    0.4 to 1.6, so the default gap lets neighbours overlap. Returns the points (n, dim) and the
    generating mixture (covariances without the noise).
    """
    rng = np.random.default_rng(seed)
    means = _spread_means(rng, k, dim, min_gap)
    covs = np.empty((k, dim, dim))
    for j in range(k):
        rotation, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
        scales = rng.uniform(0.4, 1.6, size=dim)  # standard deviations along the principal axes
        covs[j] = rotation @ np.diag(scales**2) @ rotation.T
    weights = rng.dirichlet(np.full(k, 5.0))
    labels = rng.choice(k, size=n, p=weights)
    X = np.empty((n, dim))
    for j in range(k):
        rows = labels == j
        X[rows] = rng.multivariate_normal(means[j], covs[j], size=int(rows.sum()))
    X += noise * rng.standard_normal((n, dim))
    return X, Mixture(weights, means, covs)


def _spread_means(rng: np.random.Generator, k: int, dim: int, min_gap: float) -> np.ndarray:
    """k points in a box that grows with k, each at least ``min_gap`` from the others (when it can be had)."""
    half_width = min_gap * k ** (1 / dim)
    best, best_gap = None, -1.0
    for _ in range(200):
        means = rng.uniform(-half_width, half_width, size=(k, dim))
        gap = min((np.linalg.norm(a - b) for a, b in itertools.combinations(means, 2)), default=math.inf)
        if gap >= min_gap:
            return means
        if gap > best_gap:
            best, best_gap = means, gap
    return best


def constrain(covs: np.ndarray, kind: str) -> np.ndarray:
    """The maximum-likelihood covariance of ``kind`` given the full weighted estimate ``covs`` (k, d, d)."""
    if kind == "full":
        return covs
    variances = np.diagonal(covs, axis1=1, axis2=2)  # (k, d)
    if kind == "spherical":
        variances = np.repeat(variances.mean(axis=1, keepdims=True), covs.shape[1], axis=1)
    elif kind != "diag":
        raise ValueError(f"unknown covariance {kind!r}; expected one of {COVARIANCES}")
    return variances[:, :, None] * np.eye(covs.shape[1])  # (k, d, d) diagonal matrices


def em(X: np.ndarray, start: Mixture, kind: str, max_iter: int = 300,
       tol: float = 1e-7) -> tuple[Mixture, np.ndarray, np.ndarray]:
    """EM with ``kind`` covariances from ``start``, until a round gains less than ``tol`` per point.

    Returns the fitted mixture, its responsibilities, and the log-likelihood history (mean per point
    before each round, then after the last).
    """
    gmm_em, _ = _reference()
    mix = Mixture(start.weights, start.means, constrain(start.covs, kind))
    resp, loglik = gmm_em.e_step(X, mix.weights, mix.means, mix.covs)
    history = [loglik]
    for _ in range(max_iter):
        weights, means, covs = gmm_em.m_step(X, resp)
        mix = Mixture(weights, means, constrain(covs, kind))
        resp, loglik = gmm_em.e_step(X, mix.weights, mix.means, mix.covs)
        history.append(loglik)
        if history[-1] - history[-2] < tol:
            break
    return mix, resp, np.array(history)


def kmeans_mixture(X: np.ndarray, k: int, seed: int) -> Mixture:
    """k-means as the mixture it implicitly fits: cluster shares, centres, one shared spherical variance."""
    _, kmeans = _reference()
    centres, labels, inertia = kmeans.kmeans(X, k, seed=seed)
    n, d = X.shape
    weights = np.bincount(labels, minlength=k) / n
    variance = max(inertia / (n * d), 1e-6)
    return Mixture(np.maximum(weights, 1e-12), centres, np.repeat(variance * np.eye(d)[None], k, axis=0))


def n_parameters(kind: str, k: int, d: int) -> int:
    """Free parameters of a k-component mixture in d dimensions ("k-means": one shared variance)."""
    per_cov = {"full": d * (d + 1) // 2, "diag": d, "spherical": 1}
    covariance = 1 if kind == "k-means" else k * per_cov[kind]
    return (k - 1) + k * d + covariance


def bic(mean_loglik: float, n: int, n_params: int) -> float:
    """Bayesian information criterion, -2 log L + p log n (lower is better)."""
    return -2.0 * mean_loglik * n + n_params * math.log(n)


def match_error(true_means: np.ndarray, fitted: np.ndarray) -> tuple[float, float]:
    """Mean and largest distance between true and fitted means, under the pairing that minimises the sum."""
    k = len(true_means)
    if k > MAX_K:
        raise ValueError(f"at most {MAX_K} components can be matched, got {k}")
    dist = np.linalg.norm(true_means[:, None, :] - fitted[None, :, :], axis=-1)  # (k, k)
    perms = np.array(list(itertools.permutations(range(k))))  # (k!, k)
    costs = dist[np.arange(k), perms]  # (k!, k): distance of true mean i to fitted mean perm[i]
    best = costs[costs.sum(axis=1).argmin()]
    return float(best.mean()), float(best.max())


def fit_stages(X: np.ndarray, k: int, covariance: str, true_means: np.ndarray, seed: int,
               max_iter: int = 300) -> list[Stage]:
    """k-means, then one EM stage per covariance kind in ``STAGES[covariance]``, each starting where the last ended."""
    if covariance not in STAGES:
        raise ValueError(f"unknown covariance {covariance!r}; expected one of {COVARIANCES}")
    gmm_em, _ = _reference()
    n, d = X.shape
    mix = kmeans_mixture(X, k, seed)
    resp, loglik = gmm_em.e_step(X, mix.weights, mix.means, mix.covs)
    stages = [_stage("k-means", mix, resp, np.array([loglik]), None, true_means, n, d)]
    for kind in STAGES[covariance]:
        mix, resp, history = em(X, mix, kind, max_iter)
        stages.append(_stage(kind, mix, resp, history, len(history) - 1, true_means, n, d))
    return stages


def _stage(name: str, mix: Mixture, resp: np.ndarray, history: np.ndarray, iterations: int | None,
           true_means: np.ndarray, n: int, d: int) -> Stage:
    mean_error, max_error = match_error(true_means, mix.means)
    loglik = float(history[-1])
    return Stage(name, mix, resp, loglik, bic(loglik, n, n_parameters(name, len(mix.weights), d)),
                 iterations, history, mean_error, max_error)


def projected_ellipses(means: np.ndarray, covs: np.ndarray, axes: tuple[int, int],
                       sigmas: tuple[float, ...] = (1.0, 2.0)) -> list[tuple[float, float, float, float, float, float]]:
    """(x, y, width, height, angle in degrees, n_sigma) of each component's n-sigma contour in the plane ``axes``.

    The shadow of a d-dimensional n-sigma ellipsoid on a coordinate plane is the n-sigma ellipse of
    the marginal there (the 2x2 block of the covariance), so this is exact in 3-D too. The
    geometry is the reference's ``gmm_em.ellipse``.
    """
    gmm_em, _ = _reference()
    block = np.ix_(axes, axes)
    out = []
    for mean, cov in zip(means, covs, strict=True):
        for n_sigma in sigmas:
            width, height, angle = gmm_em.ellipse(cov[block], n_sigma)
            out.append((float(mean[axes[0]]), float(mean[axes[1]]), width, height, angle, n_sigma))
    return out
