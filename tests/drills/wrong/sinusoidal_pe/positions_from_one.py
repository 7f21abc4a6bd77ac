# mlprep drill: sinusoidal_pe
# expect: positions start at 0
# Mistake: numbers positions from 1
from __future__ import annotations

import numpy as np


def sinusoidal_pe(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The (n_positions, d_model) table PE with, for pair i = 0 .. d_model/2 - 1,

        PE[pos, 2i]   = sin(pos / base ** (2i / d_model))
        PE[pos, 2i+1] = cos(pos / base ** (2i / d_model))

    Positions start at 0, so PE[0] is [0, 1, 0, 1, ...].
    """
    if d_model % 2:
        raise ValueError(f"d_model must be even, got {d_model}")
    pos = np.arange(1, n_positions + 1, dtype=np.float64)[:, None]  # (n, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)  # (d/2,) the even channel indices 2i
    angles = pos / base ** (two_i / d_model)  # (n, d/2): one frequency per pair
    pe = np.empty((n_positions, d_model))
    pe[:, 0::2] = np.sin(angles)  # even channels
    pe[:, 1::2] = np.cos(angles)  # odd channels
    return pe
