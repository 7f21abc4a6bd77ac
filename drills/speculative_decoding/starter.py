# mlprep drill: speculative_decoding
"""Speculative decoding's verify step with the exact acceptance rule, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade speculative_decoding.py`."""

from __future__ import annotations

import numpy as np


def speculative_verify(draft: np.ndarray, q: np.ndarray, p: np.ndarray, seed: int | None = None,
                       greedy: bool = False) -> np.ndarray:
    """draft (N, k) tokens drawn from q (N, k, V); target p (N, k + 1, V) -> emitted tokens (N, k + 1), -1 padded.

    Accept draft[n, i] when u < p/q (u uniform in [0, 1)); at the first rejection emit a token from
    max(0, p_i - q_i) normalised and stop; if all k are accepted emit a bonus token from p_k.
    greedy=True: accept while draft == argmax p_i (lowest id on ties), then emit argmax p_i.
    """
    raise NotImplementedError("speculative_verify")
