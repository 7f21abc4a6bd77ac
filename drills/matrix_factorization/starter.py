# mlprep drill: matrix_factorization
"""Matrix factorisation by alternating least squares, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade matrix_factorization.py`."""

from __future__ import annotations

import numpy as np


def als_update(R: np.ndarray, mask: np.ndarray, V: np.ndarray, reg: float) -> np.ndarray:
    """Exact minimiser U (m, k) of the loss for fixed V: (V_i^T V_i + reg I) u_i = V_i^T r_i per user.
    R holds nan where mask is False."""
    raise NotImplementedError("als_update")


def als_loss(R: np.ndarray, mask: np.ndarray, U: np.ndarray, V: np.ndarray, reg: float) -> float:
    """Sum of squared errors over observed entries + reg * (|U|^2 + |V|^2)."""
    raise NotImplementedError("als_loss")


def als(R: np.ndarray, mask: np.ndarray, rank: int, reg: float = 0.1, n_iters: int = 20,
        seed: int | None = None) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """(U, V, losses): start from rng = np.random.default_rng(seed), U = rng.normal(scale=0.1, size=(m, rank)),
    then V likewise (n, rank); n_iters iterations of (all users, then all items); n_iters + 1 losses."""
    raise NotImplementedError("als")
