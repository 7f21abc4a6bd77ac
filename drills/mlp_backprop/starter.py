# mlprep drill: mlp_backprop
"""A two-layer MLP (linear, ReLU, linear) with softmax cross-entropy, forward and backward in numpy.
Run the public examples with `pytest` and grade with `mlprep grade mlp_backprop.py`."""

from __future__ import annotations

import numpy as np


def mlp_forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Logits (N, C) of relu(X @ W1 + b1) @ W2 + b2."""
    raise NotImplementedError("mlp_forward")


def mlp_loss_and_grads(X: np.ndarray, y: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
                       b2: np.ndarray, l2: float = 0.0) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy + (l2/2)(|W1|^2 + |W2|^2), and its gradients {"W1", "b1", "W2", "b2"}."""
    raise NotImplementedError("mlp_loss_and_grads")


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
