"""The numbers behind `mlprep explore posenc`: sinusoidal tables, RoPE scores, learned position tables.

Built on the reference solutions ``solutions/sinusoidal_pe.py`` and ``solutions/rope.py``; a learned
table comes from a checkpoint of the reference GPT (``solutions/nanogpt``, trained with ``--pos learned``).
Every function takes and returns plain numpy values, so the plots and the tests read the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mlprep.errors import MlprepError
from mlprep.solutions import ensure_importable


def sinusoidal_table(n_positions: int, d_model: int) -> np.ndarray:
    """The (n_positions, d_model) sinusoidal encoding of the reference solution."""
    ensure_importable()
    from sinusoidal_pe import sinusoidal_pe

    return sinusoidal_pe(n_positions, d_model)


def rope_scores(q: np.ndarray, k: np.ndarray, n_positions: int) -> np.ndarray:
    """S[m, n] = RoPE(q at position m) . RoPE(k at position n), by the reference ``apply_rope``."""
    ensure_importable()
    from rope import apply_rope

    positions = np.arange(n_positions)
    queries = apply_rope(np.tile(q, (n_positions, 1)), positions)  # (n, d)
    keys = apply_rope(np.tile(k, (n_positions, 1)), positions)  # (n, d)
    return queries @ keys.T


def additive_scores(q: np.ndarray, k: np.ndarray, table: np.ndarray) -> np.ndarray:
    """S[m, n] = (q + table[m]) . (k + table[n]): content plus an absolute encoding, as in the original Transformer."""
    return (q + table) @ (k + table).T


def cosine_matrix(table: np.ndarray) -> np.ndarray:
    """Cosine similarity between every pair of rows of ``table``."""
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    unit = table / np.where(norms == 0, 1.0, norms)
    return unit @ unit.T


def by_distance(matrix: np.ndarray, max_distance: int | None = None) -> np.ndarray:
    """Mean of ``matrix[m, m + d]`` over m, for d = 0 .. max_distance (a square matrix)."""
    n = matrix.shape[0]
    top = n - 1 if max_distance is None else min(max_distance, n - 1)
    return np.array([np.diagonal(matrix, offset=d).mean() for d in range(top + 1)])


def shift_deviation(matrix: np.ndarray) -> float:
    """Largest spread (max - min) along any diagonal of a square matrix.

    Zero (up to rounding) exactly when ``matrix[m, n]`` depends on ``n - m`` only, i.e. shifting both
    positions by the same amount leaves the score unchanged.
    """
    n = matrix.shape[0]
    spreads = [np.ptp(np.diagonal(matrix, offset=d)) for d in range(-(n - 1), n)]
    return float(max(spreads))


def content_vectors(d_model: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random query and key, scaled to the norm of a sinusoidal row (sqrt(d/2)) so neither term dominates."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, d_model))
    scale = np.sqrt(d_model / 2)
    return q / np.linalg.norm(q) * scale, k / np.linalg.norm(k) * scale


def learned_table(checkpoint: Path) -> tuple[np.ndarray, dict]:
    """The learned absolute position table (block_size, n_embd) of a reference-GPT checkpoint, and its facts.

    A checkpoint trained with rotary positions has no such table: that is a user error (exit 2).
    """
    ensure_importable()
    from nanogpt import checkpoint as ckpt_io
    from nanogpt.errors import GPTError

    try:
        ckpt = ckpt_io.load(Path(checkpoint))
        model, _, cfg = ckpt_io.restore_model(ckpt)
    except GPTError as exc:
        raise MlprepError(exc.message, path=exc.path) from None
    if model.wpe is None:
        raise MlprepError(
            f"this model uses {cfg.model.pos} positions, not a learned table; "
            "train one with `mlprep train-gpt --pos learned`", path=ckpt["path"])
    table = model.wpe.weight.detach().float().cpu().numpy().astype(np.float64)
    return table, {"checkpoint": ckpt["path"], "iter": int(ckpt["iter"])}


def summarise(matrix: np.ndarray, distances: tuple[int, ...]) -> dict[str, float]:
    """Mean similarity at a few distances, keyed by distance (those that fit in the matrix)."""
    curve = by_distance(matrix)
    return {str(d): float(curve[d]) for d in distances if d < len(curve)}
