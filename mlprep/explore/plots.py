"""PNG figures for `mlprep explore`, drawn with matplotlib's non-interactive Agg backend.

matplotlib is the optional ``plot`` extra and is imported only when a figure is drawn. Figures have
a fixed size (``SIZES``, in pixels at ``DPI``) so a plot looks the same wherever it is made.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mlprep.errors import MlprepError

DPI = 100
SIZES = {  # (width, height) in pixels
    "sinusoidal": (1200, 500),
    "scores": (1100, 950),
    "learned": (1200, 500),
    "gmm": (1400, 620),
}


def pyplot():
    """matplotlib.pyplot on the Agg backend, or a one-line error saying how to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MlprepError("plots need matplotlib: pip install 'mlprep[plot]'") from None
    return plt


def _figure(kind: str, *grid: int):
    width, height = SIZES[kind]
    return pyplot().subplots(*grid, figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    pyplot().close(fig)
    return path


def _heatmap(fig, ax, matrix: np.ndarray, title: str, xlabel: str, ylabel: str, label: str, centred: bool = True):
    """A matrix as an image with its colour bar; ``centred`` puts zero at the middle of a diverging map."""
    limit = float(np.abs(matrix).max()) or 1.0
    kwargs = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit} if centred else {"cmap": "viridis"}
    image = ax.imshow(matrix, aspect="auto", origin="upper", interpolation="nearest", **kwargs)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    fig.colorbar(image, ax=ax, label=label)


def plot_sinusoidal(table: np.ndarray, path: Path) -> Path:
    """The sinusoidal table as a heatmap, beside a few of its channels drawn against position."""
    fig, (left, right) = _figure("sinusoidal", 1, 2)
    n, d = table.shape
    _heatmap(fig, left, table, f"sinusoidal encoding ({n} positions x {d} dims)", "dimension", "position", "PE value")
    for channel in sorted({2 * (d * j // 16) for j in range(4)}):  # sine channels across the width
        right.plot(np.arange(n), table[:, channel], label=f"dim {channel} (sin)")
    right.set(title="low dimensions turn fast, high ones slowly", xlabel="position", ylabel="PE value")
    right.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return _save(fig, path)


def plot_scores(sinusoidal: np.ndarray, additive: np.ndarray, rope: np.ndarray, path: Path) -> Path:
    """Position-by-position dot products (three heatmaps) and score against offset from a few anchors."""
    fig, axes = _figure("scores", 2, 2)
    n = rope.shape[0]
    _heatmap(fig, axes[0, 0], sinusoidal, "sinusoidal PE[m] . PE[n]: bands = distance only", "position n",
             "position m", "dot product")
    _heatmap(fig, axes[0, 1], additive, "(q + PE[m]) . (k + PE[n]): absolute position leaks", "position n",
             "position m", "dot product")
    _heatmap(fig, axes[1, 0], rope, "RoPE(q, m) . RoPE(k, n): relative position only", "position n",
             "position m", "dot product")
    ax = axes[1, 1]
    anchors = (0, n // 4, n // 2)
    offsets = np.arange(n - anchors[-1])
    colours = pyplot().rcParams["axes.prop_cycle"].by_key()["color"]
    for anchor, colour, width in zip(anchors, colours, (5.0, 3.0, 1.2), strict=False):  # nested, so all show
        ax.plot(offsets, rope[anchor, anchor + offsets], color=colour, linewidth=width, label=f"RoPE, m = {anchor}")
        ax.plot(offsets, additive[anchor, anchor + offsets], color=colour, linestyle="--",
                label=f"q+PE, m = {anchor}")
    ax.set(title="score against offset n - m (RoPE lines coincide)", xlabel="offset n - m", ylabel="dot product")
    ax.legend(fontsize="small", ncol=2)
    return _save(fig, path)


def plot_learned(cosine: np.ndarray, learned_curve: np.ndarray, sinusoidal_curve: np.ndarray, title: str,
                 path: Path) -> Path:
    """A learned table's cosine-similarity matrix, and mean similarity against distance beside sinusoidal's."""
    fig, (left, right) = _figure("learned", 1, 2)
    _heatmap(fig, left, cosine, f"learned positions: cosine similarity\n{title}", "position n", "position m", "cosine")
    right.plot(np.arange(len(learned_curve)), learned_curve, label="learned")
    right.plot(np.arange(len(sinusoidal_curve)), sinusoidal_curve, label="sinusoidal (same width)", linestyle="--")
    right.axhline(0.0, color="grey", linewidth=0.8)
    right.set(title="mean cosine similarity against distance", xlabel="distance |n - m|", ylabel="cosine")
    right.legend()
    return _save(fig, path)
