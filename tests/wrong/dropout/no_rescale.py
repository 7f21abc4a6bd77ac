# mlprep drill: dropout
# expect: yours are left as they were
# Mistake: plain dropout: the kept values are not rescaled, so the expectation shrinks by (1 - p)
"""Reference solution: inverted dropout.

Each element survives with probability 1 - p and is then scaled by 1 / (1 - p), so
E[output] = (1 - p) * x / (1 - p) = x: the layer needs no rescaling at inference, where it is
the identity.
"""

from __future__ import annotations

import numpy as np


def dropout(x: np.ndarray, p: float, training: bool = True, seed: int | None = None) -> np.ndarray:
    """Training: each element is 0 with probability p, else x / (1 - p). Eval: x unchanged."""
    x = np.asarray(x, dtype=np.float64)
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    if not training or p == 0.0:
        return x.copy()
    if p == 1.0:
        return np.zeros_like(x)  # everything dropped; 1 / (1 - p) would be inf
    keep = np.random.default_rng(seed).random(x.shape) >= p  # True with probability 1 - p
    return np.where(keep, x, 0.0)


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
