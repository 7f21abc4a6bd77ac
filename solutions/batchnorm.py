# mlprep drill: batchnorm
"""Reference solution: one step of nn.BatchNorm1d (affine, tracking running statistics) in numpy.

Training normalises with the batch's biased variance but updates the running variance with the
unbiased one (Bessel's correction, n / (n - 1)); eval normalises with the running statistics and
leaves them alone. Statistics are per channel (axis 1), over every other axis.
"""

from __future__ import annotations

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                      running_var: np.ndarray, training: bool, momentum: float = 0.1,
                      eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y, new_running_mean, new_running_var) for x of shape (N, C) or (N, C, L), as nn.BatchNorm1d."""
    x = np.asarray(x, dtype=np.float64)
    axes = (0,) + tuple(range(2, x.ndim))  # everything but the channel axis
    shape = (1, -1) + (1,) * (x.ndim - 2)  # a (C,) vector broadcast along axis 1
    if training:
        n = x.size // x.shape[1]  # values per channel
        if n < 2:
            raise ValueError("training needs more than one value per channel")
        mu = x.mean(axis=axes)
        var = ((x - mu.reshape(shape)) ** 2).mean(axis=axes)  # biased: used to normalise
        new_mean = (1 - momentum) * running_mean + momentum * mu
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)  # unbiased: tracked
    else:
        mu, var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    y = (x - mu.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * gamma.reshape(shape) + beta.reshape(shape)
    return y, new_mean, new_var


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
