# mlprep drill: sinusoidal_pe
"""Sinusoidal positional encodings, in numpy.
Run the public examples with `pytest` and grade with `mlprep grade sinusoidal_pe.py`."""

from __future__ import annotations

import numpy as np


def sinusoidal_pe(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """(n_positions, d_model) float64: PE[pos, 2i] = sin(pos / base**(2i/d)), PE[pos, 2i+1] = cos(...).

    Raises ValueError when d_model is odd.
    """
    raise NotImplementedError("sinusoidal_pe")
