# mlprep drill: batchnorm
"""BatchNorm1d in numpy: one forward step in training or eval mode, with running statistics.
Run the public examples with `pytest` and grade with `mlprep grade batchnorm.py`."""

from __future__ import annotations

import numpy as np


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, running_mean: np.ndarray,
                      running_var: np.ndarray, training: bool, momentum: float = 0.1,
                      eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y, new_running_mean, new_running_var) for x of shape (N, C) or (N, C, L), as nn.BatchNorm1d."""
    raise NotImplementedError("batchnorm_forward")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
