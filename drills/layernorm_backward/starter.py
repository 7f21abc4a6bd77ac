# mlprep drill: layernorm_backward
"""LayerNorm over the last axis: the forward pass and its gradients, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade layernorm_backward.py`."""

from __future__ import annotations

import numpy as np


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """gamma * (x - mean) / sqrt(var + eps) + beta over the last axis (biased variance)."""
    raise NotImplementedError("layernorm_forward")


def layernorm_backward(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray,
                       eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dgamma, dbeta) given dout = dL/dy; dgamma and dbeta are summed over all leading axes."""
    raise NotImplementedError("layernorm_backward")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
