"""What a run leaves behind besides checkpoints: metrics.jsonl, summary.json, TensorBoard events, a PNG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class MetricsLog:
    """Appends one JSON object per evaluation to metrics.jsonl, and mirrors it to TensorBoard if installed."""

    def __init__(self, run_dir: Path):
        self.path = Path(run_dir) / "metrics.jsonl"
        self.tensorboard = _tensorboard_writer(Path(run_dir) / "tb")

    def write(self, row: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
        if self.tensorboard is not None:
            for key, value in row.items():
                if key != "iter" and isinstance(value, (int, float)):
                    self.tensorboard.add_scalar(key, value, row["iter"])
            self.tensorboard.flush()

    def rows(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def close(self) -> None:
        if self.tensorboard is not None:
            self.tensorboard.close()


def _tensorboard_writer(folder: Path):
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:  # tensorboard is optional
        return None
    return SummaryWriter(str(folder))


def write_summary(run_dir: Path, summary: dict[str, Any]) -> None:
    (Path(run_dir) / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def plot_losses(rows: list[dict[str, Any]], path: Path) -> bool:
    """Train and val loss against iteration as a PNG; False when matplotlib is missing or there is nothing to plot."""
    if len(rows) < 2:
        return False
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # matplotlib is the optional `plot` extra
        return False
    iters = [r["iter"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(iters, [r["train_loss"] for r in rows], label="train")
    ax.plot(iters, [r["val_loss"] for r in rows], label="val")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cross-entropy (nats/char)")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True
