# mlprep drill: top_k
"""The note's top-k, made to run on batches: exp without subtracting the max, and no temperature."""
import numpy as np


def _one(logits, k, rng):
    top_k_indices = np.argsort(logits)[-k:]
    top_k_logits = logits[top_k_indices]
    top_k_probs = np.exp(top_k_logits) / np.sum(np.exp(top_k_logits))
    return rng.choice(top_k_indices, p=top_k_probs)


def top_k_sample(logits, k, temperature=1.0, seed=None):
    rng = np.random.default_rng(seed)
    if np.ndim(logits) == 1:
        return _one(logits, k, rng)
    return np.array([_one(row, k, rng) for row in logits])
