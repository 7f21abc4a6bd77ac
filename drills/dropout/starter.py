# mlprep drill: dropout
"""Inverted dropout in numpy: drop with probability p and rescale the survivors while training,
the identity in eval mode. Run the public examples with `pytest` and grade with `mlprep grade dropout.py`."""

from __future__ import annotations

import numpy as np


def dropout(x: np.ndarray, p: float, training: bool = True, seed: int | None = None) -> np.ndarray:
    """Training: each element is 0 with probability p, else x / (1 - p). Eval: x unchanged."""
    raise NotImplementedError("dropout")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
