"""`mlprep stats --plot FILE.png`: the due forecast and the predicted recall curve (matplotlib,
imported only here: `pip install 'mlprep[plot]'`)."""

from __future__ import annotations

from pathlib import Path

from mlprep.errors import MlprepError


def save_stats_plot(path: Path, forecast: dict[str, int], curve: list[tuple[str, float]], readiness: dict) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MlprepError("--plot needs matplotlib: pip install 'mlprep[plot]'") from None
    if path.suffix.lower() != ".png":
        raise MlprepError("--plot writes a PNG: give a file name ending in .png", path=path)
    if not path.parent.is_dir():
        raise MlprepError("the folder for the plot does not exist", path=path.parent)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), constrained_layout=True)
    days = list(forecast)
    top.bar([d[5:] for d in days], list(forecast.values()), color="#4c9f70")
    top.set_title("Reviews due (next 7 days)")
    top.set_ylabel("cards")
    xs = list(range(len(curve)))
    top_label = f"interview {readiness['date']}" if readiness["days_left"] else "next 30 days"
    bottom.plot(xs, [r for _, r in curve], color="#3b6ea5", label="predicted recall if you stop now")
    bottom.axhline(readiness["target_retention"], color="#999999", linestyle="--", label="desired retention")
    bottom.set_ylim(0, 1)
    bottom.set_xlabel(f"days from today ({top_label})")
    bottom.set_ylabel("mean recall (unseen = 0)")
    bottom.set_title("Retention curve")
    bottom.legend(loc="lower left")
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise MlprepError(f"cannot write the plot: {exc.strerror}", path=path) from None
    finally:
        plt.close(fig)
