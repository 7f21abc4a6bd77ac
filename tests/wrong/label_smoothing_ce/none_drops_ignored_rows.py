# mlprep drill: label_smoothing_ce
# expect: left the ignored rows out
# Mistake: reduction='none' returns only the rows that are not ignored
"""Reference solution: cross-entropy with label smoothing and ignore_index, as F.cross_entropy.

The smoothed target is q = (1 - eps) * one_hot(y) + eps / K over all K classes, so a row's loss
is -sum_k q_k logp_k = (1 - eps) * nll + eps * mean_k(-logp_k). Ignored rows are masked out of
both the numerator and the count; the gradient of a row's loss is softmax - q.
"""

from __future__ import annotations

import numpy as np


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _row_losses(logits, targets, smoothing, ignore_index):
    logp = _log_softmax(np.asarray(logits, dtype=np.float64))
    valid = targets != ignore_index
    safe = np.where(valid, targets, 0)  # any class will do for the ignored rows: they are masked
    nll = -logp[np.arange(len(targets)), safe]
    uniform = -logp.mean(axis=1)  # the smoothing mass, spread over all K classes
    losses = np.where(valid, (1.0 - smoothing) * nll + smoothing * uniform, 0.0)
    return losses, valid, logp, safe


def smoothed_cross_entropy(logits: np.ndarray, targets: np.ndarray, smoothing: float = 0.0,
                           ignore_index: int = -100, reduction: str = "mean") -> float | np.ndarray:
    """Cross-entropy against (1 - smoothing) * one_hot + smoothing / K, skipping ignore_index rows."""
    losses, valid, _, _ = _row_losses(logits, targets, smoothing, ignore_index)
    if reduction == "none":
        return losses[valid]
    if reduction == "sum":
        return float(losses.sum())
    if reduction == "mean":
        count = int(valid.sum())
        return float(losses.sum() / count) if count else float("nan")  # 0 / 0, as PyTorch
    raise ValueError(f"unknown reduction {reduction!r}")


def smoothed_cross_entropy_grad(logits: np.ndarray, targets: np.ndarray, smoothing: float = 0.0,
                                ignore_index: int = -100) -> np.ndarray:
    """d(mean loss)/d logits, shape (N, K); zeros on ignored rows."""
    _, valid, logp, safe = _row_losses(logits, targets, smoothing, ignore_index)
    n, k = logp.shape
    q = np.full((n, k), smoothing / k)
    q[np.arange(n), safe] += 1.0 - smoothing
    grad = (np.exp(logp) - q) * valid[:, None]
    return grad / max(int(valid.sum()), 1)


# The grader calls this to check the "numpy only" rule: leave it as it is.
def loaded_modules() -> list[str]:
    import sys
    return sorted(name for name in sys.modules if name.split(".")[0] == "torch")
