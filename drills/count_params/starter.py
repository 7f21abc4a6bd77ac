# mlprep drill: count_params
"""Parameter counts of common layers, from a plain description.
Run the public examples with `pytest` and grade with `mlprep grade count_params.py`."""

from __future__ import annotations


def count_params(spec: dict) -> int:
    """Trainable parameters of the layer ``spec`` describes (see the prompt's table of keys)."""
    raise NotImplementedError("count_params")
