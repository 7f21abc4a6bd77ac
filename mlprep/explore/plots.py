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
    "gmm": (1400, 620),  # 2-D data: one scatter panel and the log-likelihood
    "gmm3d": (1300, 1100),  # 3-D data: three coordinate-plane projections and the log-likelihood
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


def plot_gmm(X: np.ndarray, resp: np.ndarray, ellipses: dict[tuple[int, int], list], fitted_means: np.ndarray,
             true_means: np.ndarray, histories: list[tuple[str, np.ndarray]], title: str, path: Path) -> Path:
    """Points coloured by responsibility with 1- and 2-sigma ellipses per coordinate plane, and log-likelihood per EM round.

    ``ellipses`` maps a plane (i, j) to ``(x, y, width, height, angle, n_sigma)`` rows, component by
    component; ``histories`` holds (stage name, log-likelihood per round) in stage order.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Ellipse

    planes = list(ellipses)
    fig, axes = _figure("gmm" if len(planes) == 1 else "gmm3d", *((1, 2) if len(planes) == 1 else (2, 2)))
    axes = np.ravel(axes)
    k = resp.shape[1]
    palette = np.array([pyplot().get_cmap("tab10")(j % 10)[:3] for j in range(k)])  # (k, 3)
    colours = np.clip(resp @ palette, 0.0, 1.0)  # a point shares its components' colours by responsibility
    per_component = len(ellipses[planes[0]]) // k
    for ax, (i, j) in zip(axes, planes, strict=False):
        ax.scatter(X[:, i], X[:, j], s=7, c=colours, alpha=0.55, linewidths=0)
        for row, (x, y, width, height, angle, n_sigma) in enumerate(ellipses[(i, j)]):
            ax.add_patch(Ellipse((x, y), width, height, angle=angle, fill=False, color=palette[row // per_component],
                                 linewidth=2.0 if n_sigma == 1 else 1.2, linestyle="-" if n_sigma == 1 else "--"))
        ax.scatter(true_means[:, i], true_means[:, j], marker="*", s=220, c="white", edgecolors="black", zorder=3)
        ax.scatter(fitted_means[:, i], fitted_means[:, j], marker="x", s=90, c="black", linewidths=2.5, zorder=4)
        plane = "data and fit" if len(planes) == 1 else f"x{i + 1}-x{j + 1} plane: shadows of the ellipsoids"
        ax.set(title=plane, xlabel=f"x{i + 1}", ylabel=f"x{j + 1}")
        ax.set_aspect("equal", adjustable="datalim")
    key = [Line2D([], [], marker="*", linestyle="", markersize=13, markerfacecolor="white", markeredgecolor="black",
                  label="true mean"),
           Line2D([], [], marker="x", linestyle="", markersize=9, markeredgewidth=2.5, color="black", label="fitted mean"),
           Line2D([], [], color="grey", linewidth=2.0, label="1 sigma"),
           Line2D([], [], color="grey", linewidth=1.2, linestyle="--", label="2 sigma")]
    axes[0].legend(handles=key, loc="best", fontsize="small")
    fig.suptitle(title)
    _plot_histories(axes[len(planes)], histories)
    return _save(fig, path)


def _plot_histories(ax, histories: list[tuple[str, np.ndarray]]) -> None:
    """Each stage's log-likelihood per round, laid end to end; stage boundaries dotted."""
    start = 0
    for name, history in histories:
        rounds = start + np.arange(len(history))
        if len(history) == 1:  # k-means: no EM rounds, one value where the first EM stage starts
            ax.plot(rounds, history, marker="s", markersize=9, linestyle="", zorder=3, label=f"{name} (start)")
            continue
        ax.plot(rounds, history, marker="o" if len(history) < 30 else None, markersize=3, label=name)
        if start:
            ax.axvline(start, color="grey", linestyle=":", linewidth=1)
        start = rounds[-1]
    ax.set(title="log-likelihood per EM round, stage after stage", xlabel="EM round (all stages)",
           ylabel="mean log-likelihood per point")
    ax.legend()
