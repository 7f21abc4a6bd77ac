# mlprep drill: matrix_factorization
# expect: regularise both factors
# Mistake: the item half-step has no ridge term
"""Reference solution: matrix factorisation by alternating least squares (explicit feedback).

The loss sum_{observed (i, j)} (R_ij - u_i . v_j)^2 + reg * (sum_i |u_i|^2 + sum_j |v_j|^2) is a
ridge regression in U when V is fixed, and one in V when U is fixed: user i's row solves
(V_i^T V_i + reg I) u_i = V_i^T r_i, where V_i holds the item vectors of the items i rated. Each
half-step is an exact minimiser, so the loss can never go up. Unobserved entries of R are
never read (they may hold nan).
"""

from __future__ import annotations

import numpy as np


def als_update(R: np.ndarray, mask: np.ndarray, V: np.ndarray, reg: float) -> np.ndarray:
    """The exact minimiser U (m, k) of the loss for fixed V (n, k); items: als_update(R.T, mask.T, U, reg)."""
    mask = np.asarray(mask, dtype=bool)
    V = np.asarray(V, dtype=np.float64)
    W = mask.astype(np.float64)  # (m, n)
    R0 = np.where(mask, R, 0.0)  # unobserved entries never enter (they may be nan)
    k = V.shape[1]
    A = np.einsum("ij,jk,jl->ikl", W, V, V) + reg * np.eye(k)  # (m, k, k): V_i^T V_i + reg I
    b = R0 @ V  # (m, k): V_i^T r_i
    return np.linalg.solve(A, b[:, :, None])[:, :, 0]


def als_loss(R: np.ndarray, mask: np.ndarray, U: np.ndarray, V: np.ndarray, reg: float) -> float:
    """Squared error over the observed entries plus reg times both factors' squared norms."""
    mask = np.asarray(mask, dtype=bool)
    err = np.where(mask, np.where(mask, R, 0.0) - U @ V.T, 0.0)
    return float(np.sum(err**2) + reg * (np.sum(U**2) + np.sum(V**2)))


def als(R: np.ndarray, mask: np.ndarray, rank: int, reg: float = 0.1, n_iters: int = 20,
        seed: int | None = None) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """n_iters rounds of (all users, then all items); returns (U, V, losses) with n_iters + 1 losses."""
    m, n = np.shape(R)
    rng = np.random.default_rng(seed)
    U = rng.normal(scale=0.1, size=(m, rank))
    V = rng.normal(scale=0.1, size=(n, rank))
    losses = [als_loss(R, mask, U, V, reg)]
    for _ in range(n_iters):
        U = als_update(R, mask, V, reg)
        V = als_update(np.transpose(R), np.transpose(mask), U, 0.0)
        losses.append(als_loss(R, mask, U, V, reg))
    return U, V, losses
