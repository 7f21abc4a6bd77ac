# mlprep drill: word2vec_sgns
"""Skip-gram with negative sampling: loss, gradients and an SGD step, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade word2vec_sgns.py`."""

from __future__ import annotations

import numpy as np


def sgns_loss_and_grads(v: np.ndarray, u_pos: np.ndarray, u_neg: np.ndarray
                        ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Mean over the batch of -log sigma(u_pos . v) - sum_k log sigma(-u_neg_k . v), and its
    gradients: (loss, grad_v (B, d), grad_u_pos (B, d), grad_u_neg (B, K, d))."""
    raise NotImplementedError("sgns_loss_and_grads")


def sgns_step(W_in: np.ndarray, W_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
              negatives: np.ndarray, lr: float) -> tuple[float, np.ndarray, np.ndarray]:
    """(loss before the step, new W_in, new W_out) after one SGD step; repeated words add up."""
    raise NotImplementedError("sgns_step")


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """Probabilities proportional to counts ** power; zero counts get 0."""
    raise NotImplementedError("noise_distribution")
