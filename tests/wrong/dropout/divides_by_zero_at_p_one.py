# mlprep drill: dropout
# expect: without dividing by 1 - p = 0
# Mistake: the mask is multiplied in and divided by 1 - p, which is inf * 0 = nan when p = 1
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
    keep = np.random.default_rng(seed).random(x.shape) >= p  # True with probability 1 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * keep / (1.0 - p)


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
