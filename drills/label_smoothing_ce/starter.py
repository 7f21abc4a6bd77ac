# mlprep drill: label_smoothing_ce
"""Cross-entropy with label smoothing and ignore_index, and its gradient, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade label_smoothing_ce.py`."""

from __future__ import annotations

import numpy as np


def smoothed_cross_entropy(logits: np.ndarray, targets: np.ndarray, smoothing: float = 0.0,
                           ignore_index: int = -100, reduction: str = "mean") -> float | np.ndarray:
    """Cross-entropy against (1 - smoothing) * one_hot + smoothing / K, skipping ignore_index rows.

    reduction: "mean" (over the rows not ignored), "sum", or "none" (0.0 for ignored rows).
    """
    raise NotImplementedError("smoothed_cross_entropy")


def smoothed_cross_entropy_grad(logits: np.ndarray, targets: np.ndarray, smoothing: float = 0.0,
                                ignore_index: int = -100) -> np.ndarray:
    """d(mean loss)/d logits, shape (N, K); zeros on ignored rows."""
    raise NotImplementedError("smoothed_cross_entropy_grad")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
