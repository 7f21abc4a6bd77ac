# mlprep drill: pca
"""PCA by SVD with explained variance, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade pca.py`."""

from __future__ import annotations

import numpy as np


def pca(X: np.ndarray, n_components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(components (k, d), explained_variance (k,), explained_variance_ratio (k,), mean (d,))."""
    raise NotImplementedError("pca")


def transform(X: np.ndarray, mean: np.ndarray, components: np.ndarray) -> np.ndarray:
    """Coordinates of the rows of X along the components, (n, k)."""
    raise NotImplementedError("transform")
