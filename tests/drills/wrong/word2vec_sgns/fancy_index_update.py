# mlprep drill: word2vec_sgns
# expect: np.add.at
# Mistake: the update W[ids] -= g keeps only one update per repeated id
"""Reference solution: skip-gram with negative sampling (word2vec), loss and gradients by hand.

For a centre vector v, its true context vector u_o and K noise vectors u_k, the loss is
-log sigma(u_o . v) - sum_k log sigma(-u_k . v). With s = u . v, d/ds[-log sigma(s)] = sigma(s) - 1
and d/ds[-log sigma(-s)] = sigma(s), which gives every gradient by the chain rule. -log sigma(x)
is log(1 + exp(-x)), computed as np.logaddexp(0, -x) so that no score overflows.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sgns_loss_and_grads(v: np.ndarray, u_pos: np.ndarray, u_neg: np.ndarray
                        ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Mean loss over the batch and its gradients for v (B, d), u_pos (B, d), u_neg (B, K, d)."""
    v, u_pos, u_neg = (np.asarray(a, dtype=np.float64) for a in (v, u_pos, u_neg))
    B = v.shape[0]
    s_pos = np.einsum("bd,bd->b", u_pos, v)  # (B,)
    s_neg = np.einsum("bkd,bd->bk", u_neg, v)  # (B, K)
    loss = (np.logaddexp(0.0, -s_pos).sum() + np.logaddexp(0.0, s_neg).sum()) / B
    g_pos = (_sigmoid(s_pos) - 1.0) / B  # dL/ds_pos, (B,)
    g_neg = _sigmoid(s_neg) / B  # dL/ds_neg, (B, K)
    grad_v = g_pos[:, None] * u_pos + np.einsum("bk,bkd->bd", g_neg, u_neg)
    grad_pos = g_pos[:, None] * v
    grad_neg = g_neg[:, :, None] * v[:, None, :]
    return float(loss), grad_v, grad_pos, grad_neg


def sgns_step(W_in: np.ndarray, W_out: np.ndarray, centers: np.ndarray, contexts: np.ndarray,
              negatives: np.ndarray, lr: float) -> tuple[float, np.ndarray, np.ndarray]:
    """One SGD step on the embedding tables; returns (loss before the step, new W_in, new W_out)."""
    W_in = np.array(W_in, dtype=np.float64)  # copies: the caller's tables stay as they were
    W_out = np.array(W_out, dtype=np.float64)
    loss, grad_v, grad_pos, grad_neg = sgns_loss_and_grads(W_in[centers], W_out[contexts], W_out[negatives])
    # a word can appear several times in the batch: every occurrence adds its gradient
    W_in[centers] -= lr * grad_v
    W_out[contexts] -= lr * grad_pos
    W_out[negatives] -= lr * grad_neg
    return loss, W_in, W_out


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """P(w) proportional to count(w) ** power; words never seen get probability 0."""
    counts = np.asarray(counts, dtype=np.float64)
    weights = np.where(counts > 0, counts ** power, 0.0)  # 0 ** 0 would be 1
    return weights / weights.sum()
