# mlprep drill: layernorm_backward
# expect: missing the path through the variance
# Mistake: dx subtracts the mean of g (the path through mu) but forgets the path through the variance
"""Reference solution: LayerNorm over the last axis, forward and backward.

With xhat = (x - mu) * rstd and rstd = (var + eps)^(-1/2), the output is y = gamma * xhat + beta.
For one vector, with g = dL/dxhat = dout * gamma, the chain rule through mu and var collapses to

    dx = rstd * (g - mean(g) - xhat * mean(g * xhat))

(the mean(g) term is the path through mu, the xhat * mean(g * xhat) term the path through var).
"""

from __future__ import annotations

import numpy as np


def _stats(x: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """xhat and rstd over the last axis; the variance from deviations, so a large offset costs nothing."""
    mu = x.mean(axis=-1, keepdims=True)
    centred = x - mu
    rstd = 1.0 / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + eps)
    return centred * rstd, rstd


def layernorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """gamma * (x - mean) / sqrt(var + eps) + beta over the last axis (biased variance)."""
    xhat, _ = _stats(x, eps)
    return gamma * xhat + beta


def layernorm_backward(dout: np.ndarray, x: np.ndarray, gamma: np.ndarray,
                       eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dgamma, dbeta) given dout = dL/dy; dgamma and dbeta are summed over all leading axes."""
    xhat, rstd = _stats(x, eps)
    d = x.shape[-1]
    dbeta = dout.reshape(-1, d).sum(axis=0)
    dgamma = (dout * xhat).reshape(-1, d).sum(axis=0)
    g = dout * gamma  # dL/dxhat
    dx = rstd * (g - g.mean(axis=-1, keepdims=True))
    return dx, dgamma, dbeta


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
