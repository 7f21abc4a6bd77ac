"""`mlprep explore gmm` and `mlprep explore posenc`: the notes' notebooks as plotted explorations.

The numbers come from ``mlprep.explore.gmm`` / ``mlprep.explore.posenc`` and the figures from
``mlprep.explore.plots``; this module parses options, writes the files and prints the summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.console import console, print_json
from mlprep.content import user_home

app = typer.Typer(help="Plotted explorations: a GMM fitted by EM, and positional encodings.", no_args_is_help=True)

SeedOption = Annotated[int, typer.Option("--seed", help="Seed for the random data and vectors.")]
DISTANCES = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)


def _default_out() -> Path:
    return user_home() / "explore"


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
    folder = out or _default_out()
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
        weights, facts = learned
        cosine = pe.cosine_matrix(weights)
        reference = pe.sinusoidal_table(*weights.shape) if weights.shape[1] % 2 == 0 else None
        sin_curve = pe.by_distance(pe.cosine_matrix(reference)) if reference is not None else []
        where = Path(facts["checkpoint"])
        title = f"{where.parent.name}/{where.name}, iteration {facts['iter']}, {weights.shape[0]} x {weights.shape[1]}"
        files.append(plots.plot_learned(cosine, pe.by_distance(cosine), sin_curve, title,
                                        folder / "posenc_learned.png"))
        summary["learned"] = {**facts, "shape": list(weights.shape),
                              "cosine_by_distance": pe.summarise(cosine, DISTANCES),
                              "shift_deviation": pe.shift_deviation(cosine)}
    summary["files"] = [str(f) for f in files]
    if json_out:
        print_json(summary)
        return
    _print_posenc(summary)


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
        console.print(f"wrote {path}")
