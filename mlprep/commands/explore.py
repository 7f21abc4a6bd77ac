"""`mlprep explore gmm` and `mlprep explore posenc`: the notes' notebooks as plotted explorations.

The numbers come from ``mlprep.explore.gmm`` / ``mlprep.explore.posenc`` and the figures from
``mlprep.explore.plots``; this module parses options, writes the files and prints the summary.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, print_json
from mlprep.paths import explore_dir

app = typer.Typer(help="Plotted explorations: a GMM fitted by EM, and positional encodings.", no_args_is_help=True)

SeedOption = Annotated[int, typer.Option("--seed", help="Seed for the random data and vectors.")]
DISTANCES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)


class Covariance(str, Enum):
    full = "full"
    diag = "diag"
    spherical = "spherical"


@app.command("gmm")
def gmm(
    dim: Annotated[int, typer.Option("--dim", min=2, max=3, help="Data dimension: 2 or 3.")] = 2,
    k: Annotated[int, typer.Option("--k", min=1, max=8, help="Gaussians to generate and to fit.")] = 3,
    covariance: Annotated[Covariance, typer.Option(
        "--covariance", help="Last stage: full (k-means, diag, full), diag (k-means, diag) or spherical (k-means, spherical).")] = Covariance.full,
    n: Annotated[int, typer.Option("--n", min=20, max=200_000, help="Points to generate.")] = 600,
    noise: Annotated[float, typer.Option("--noise", min=0.0, help="Standard deviation of the noise added to every point.")] = 0.5,
    seed: SeedOption = 0,
    max_iter: Annotated[int, typer.Option("--max-iter", min=1, help="EM rounds per stage at most.")] = 300,
    out: Annotated[Path | None, typer.Option("--out", help="The PNG to write (default: <MLPREP_HOME>/explore/gmm.png).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Mock data from k Gaussians plus noise, fitted by k-means then EM in stages: a PNG and a table per stage."""
    from mlprep.explore import gmm as mixture
    from mlprep.explore import plots

    if n < 10 * k:
        raise typer.BadParameter(f"needs at least 10 points per Gaussian ({10 * k} for --k {k})", param_hint="--n")
    plots.pyplot()  # a missing matplotlib is reported before any work is done
    path = out or explore_dir() / "gmm.png"
    X, truth = mixture.make_data(k, dim, n, noise, seed)
    stages = mixture.fit_stages(X, k, covariance.value, truth.means, seed, max_iter)
    final = stages[-1]
    planes = [(0, 1)] if dim == 2 else [(0, 1), (0, 2), (1, 2)]
    ellipses = {p: mixture.projected_ellipses(final.mixture.means, final.mixture.covs, p) for p in planes}
    histories = [(s.name, s.history) for s in stages]
    title = f"{k} Gaussians in {dim}-D + noise {noise:g}, fitted with {final.name} covariances"
    plots.plot_gmm(X, final.resp, ellipses, final.mixture.means, truth.means, histories, title, path)
    summary = {
        "dim": dim, "k": k, "n": n, "noise": noise, "seed": seed, "covariance": covariance.value,
        "stages": [{"stage": s.name, "loglik_per_point": s.loglik, "bic": s.bic, "em_rounds": s.iterations,
                    "mean_error": s.mean_error, "max_error": s.max_error} for s in stages],
        "best_bic": min(stages, key=lambda s: s.bic).name,
        "file": str(path),
    }
    _report(summary, json_out, _print_gmm)


def _print_gmm(s: dict[str, Any]) -> None:
    table = Table(title=f"{s['k']} Gaussians in {s['dim']}-D, {s['n']} points, noise {s['noise']:g}, seed {s['seed']}")
    for name in ("stage", "log-lik / point", "BIC", "EM rounds", "mean error", "max error"):
        table.add_column(name, justify="left" if name == "stage" else "right")
    for st in s["stages"]:
        rounds = "-" if st["em_rounds"] is None else str(st["em_rounds"])
        table.add_row(st["stage"], f"{st['loglik_per_point']:.4f}", f"{st['bic']:.1f}", rounds,
                      f"{st['mean_error']:.3f}", f"{st['max_error']:.3f}")
    console.print(table)
    console.print(f"lowest BIC: {s['best_bic']}; errors are distances from each true mean to its matched fitted mean")
    console.print(f"wrote {s['file']}", soft_wrap=True)  # a path the user may copy stays on one line


@app.command("posenc")
def posenc(
    positions: Annotated[int, typer.Option("--positions", min=2, max=4096, help="Positions to encode.")] = 128,
    d_model: Annotated[int, typer.Option("--d-model", min=2, max=4096, help="Encoding width (even).")] = 64,
    seed: SeedOption = 0,
    checkpoint: Annotated[Path | None, typer.Option(
        "--checkpoint", help="A GPT run folder or .pt trained with `train-gpt --pos learned`: plot its learned positions.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the PNGs (default: <MLPREP_HOME>/explore).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Sinusoidal encodings, RoPE and (with --checkpoint) learned positions: PNGs and a summary."""
    from mlprep.explore import plots
    from mlprep.explore import posenc as pe

    if d_model % 2:
        raise typer.BadParameter(f"must be even, got {d_model}", param_hint="--d-model")
    plots.pyplot()  # a missing matplotlib is reported before any work is done
    learned = pe.learned_table(checkpoint) if checkpoint is not None else None
    folder = out or explore_dir()
    table = pe.sinusoidal_table(positions, d_model)
    gram = table @ table.T
    q, k = pe.content_vectors(d_model, seed)
    additive = pe.additive_scores(q, k, table)
    rope = pe.rope_scores(q, k, positions)
    files = [
        plots.plot_sinusoidal(table, folder / "posenc_sinusoidal.png"),
        plots.plot_scores(gram, additive, rope, folder / "posenc_scores.png"),
    ]
    summary: dict[str, Any] = {
        "positions": positions, "d_model": d_model, "seed": seed,
        "sinusoidal": {"similarity_by_distance": pe.summarise(gram / (d_model / 2), DISTANCES),
                       "shift_deviation": pe.shift_deviation(gram)},
        "additive": {"shift_deviation": pe.shift_deviation(additive)},
        "rope": {"shift_deviation": pe.shift_deviation(rope)},
    }
    if learned is not None:
        path, summary["learned"] = _plot_learned(*learned, folder / "posenc_learned.png")
        files.append(path)
    summary["files"] = [str(f) for f in files]
    _report(summary, json_out, _print_posenc)


def _plot_learned(weights, facts: dict[str, Any], path: Path) -> tuple[Path, dict[str, Any]]:
    """Plot a learned position table (beside a sinusoidal one of the same shape) and summarise it."""
    from mlprep.explore import plots
    from mlprep.explore import posenc as pe

    cosine = pe.cosine_matrix(weights)
    sin_curve = pe.by_distance(pe.cosine_matrix(pe.sinusoidal_table(*weights.shape)))  # n_embd is even
    where = Path(facts["checkpoint"])
    title = f"{where.parent.name}/{where.name}, iteration {facts['iter']}, {weights.shape[0]} x {weights.shape[1]}"
    path = plots.plot_learned(cosine, pe.by_distance(cosine), sin_curve, title, path)
    return path, {**facts, "shape": list(weights.shape), "cosine_by_distance": pe.summarise(cosine, DISTANCES),
                  "shift_deviation": pe.shift_deviation(cosine)}


def _report(summary: dict[str, Any], json_out: bool, show) -> None:
    """The summary as one JSON document, or as text through ``show``."""
    if json_out:
        print_json(summary)
    else:
        show(summary)


def _print_posenc(s: dict[str, Any]) -> None:
    table = Table(title=f"mean similarity by distance ({s['positions']} positions, width {s['d_model']})")
    table.add_column("distance", justify="right")
    table.add_column("sinusoidal PE.PE / (d/2)", justify="right")
    if "learned" in s:
        table.add_column("learned, cosine", justify="right")
    for d, value in s["sinusoidal"]["similarity_by_distance"].items():
        row = [d, f"{value:+.3f}"]
        if "learned" in s:
            learned = s["learned"]["cosine_by_distance"].get(d)
            row.append("-" if learned is None else f"{learned:+.3f}")
        table.add_row(*row)
    console.print(table)
    console.print("spread of the score along a diagonal (0 = depends on n - m only):")
    console.print(f"  sinusoidal PE.PE {s['sinusoidal']['shift_deviation']:.2e}, "
                  f"q+PE (content plus absolute) {s['additive']['shift_deviation']:.2e}, "
                  f"RoPE {s['rope']['shift_deviation']:.2e}")
    for path in s["files"]:
        console.print(f"wrote {path}", soft_wrap=True)
