# mlprep drill: mlp_backprop
# expect: biases are not penalised
# Mistake: the L2 penalty (and its gradient) also covers b1 and b2
"""Reference solution: forward and backward of a two-layer MLP with softmax cross-entropy.

Forward:  z = X W1 + b1,  h = relu(z),  logits = h W2 + b2,  loss = mean_i -log p[i, y_i] + l2/2 (|W1|^2 + |W2|^2)
Backward, layer by layer, each step the transpose of the forward one:
  dlogits = (p - onehot(y)) / N           (softmax and the mean cross-entropy together)
  dW2 = h^T dlogits + l2 W2,  db2 = sum over rows of dlogits,  dh = dlogits W2^T
  dz = dh * [z > 0]
  dW1 = X^T dz + l2 W1,       db1 = sum over rows of dz
"""

from __future__ import annotations

import numpy as np


def mlp_forward(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Logits (N, C) of relu(X @ W1 + b1) @ W2 + b2."""
    return np.maximum(X @ W1 + b1, 0.0) @ W2 + b2


def mlp_loss_and_grads(X: np.ndarray, y: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
                       b2: np.ndarray, l2: float = 0.0) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy + (l2/2)(|W1|^2 + |W2|^2), and its gradients {"W1", "b1", "W2", "b2"}."""
    n = X.shape[0]
    z = X @ W1 + b1  # (N, H)
    h = np.maximum(z, 0.0)
    logits = h @ W2 + b2  # (N, C)
    shifted = logits - logits.max(axis=1, keepdims=True)  # no overflow in exp
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    loss = -logp[rows, y].mean() + 0.5 * l2 * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(b1 * b1) + np.sum(b2 * b2))

    dlogits = np.exp(logp)  # softmax probabilities
    dlogits[rows, y] -= 1.0
    dlogits /= n  # the loss is a mean over rows
    dW2 = h.T @ dlogits + l2 * W2
    db2 = dlogits.sum(axis=0) + l2 * b2
    dz = (dlogits @ W2.T) * (z > 0)  # relu'(z) = 1 for z > 0, else 0
    dW1 = X.T @ dz + l2 * W1
    db1 = dz.sum(axis=0) + l2 * b1
    return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
