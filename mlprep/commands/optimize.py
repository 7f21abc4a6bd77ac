"""`mlprep optimize`: fit FSRS to your own review log, keep the fit only when it predicts better."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, err_console, print_json


def optimize(
    set_retention: Annotated[bool, typer.Option("--set-retention", help="Also use the suggested desired retention from now on.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Forget fitted parameters: back to fsrs's defaults.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit FSRS parameters to your reviews (fsrs's optimizer, on a time split), keep them only
    when they predict your later reviews better than the defaults, and suggest the desired
    retention that costs the least study time for your interview date."""
    from mlprep.quiz.optimize import fit_store
    from mlprep.quiz.settings import load_settings, save_parameters
    from mlprep.store import open_store

    now = datetime.now().astimezone()
    with open_store() as store:
        if reset:
            save_parameters(store, None)
            console.print("FSRS parameters reset to fsrs's defaults.")
            return
        settings = load_settings(store)
        report = fit_store(store, settings, now)
        if report["kept"]:
            save_parameters(store, tuple(report["parameters"]))
        if set_retention and report.get("suggested_retention"):
            store.set_setting("retention", str(report["suggested_retention"]))
            report["retention_set"] = True
    if as_json:
        print_json(report)
        return
    _print(report, set_retention)


def _print(r: dict, set_retention: bool) -> None:
    if r["needed"]:
        err_console.print(
            f"Not enough reviews to fit FSRS yet: {r['reviews']} in the log, {r['train_reviews']} + "
            f"{r['test_reviews']} a day or more apart before/after the split. About {r['needed']} more "
            "reviews are needed (the optimizer wants 512 such reviews to learn from and 100 to check on)."
        )
        return
    table = Table(title=f"Held-out reviews after {r['split_at'][:10]} ({r['test_reviews']})", header_style="bold")
    for col in ("parameters", "log-loss", "RMSE (bins)"):
        table.add_column(col, justify="left" if col == "parameters" else "right")
    table.add_row("fsrs defaults", f"{r['default']['log_loss']:.4f}", f"{r['default']['rmse_bins']:.4f}")
    table.add_row("fitted to you", f"{r['fitted']['log_loss']:.4f}", f"{r['fitted']['rmse_bins']:.4f}")
    console.print(table)
    if r["kept"]:
        console.print(f"[green]Kept the fitted parameters[/] (trained on {r['train_reviews']} reviews): "
                      "every session schedules with them from now on (`--reset` undoes it).")
    else:
        console.print("The fitted parameters predict no better than the defaults: not kept.")
    if r.get("suggested_retention"):
        horizon = f"the interview in {r['horizon_days']} days" if r["interview"] else f"the next {r['horizon_days']} days"
        line = (f"Desired retention with the least study time per card known for {horizon}: "
                f"[bold]{r['suggested_retention']:.2f}[/] (now {r['retention']:.2f})")
        if r.get("retention_set"):
            line += " - set."
        elif set_retention is False:
            line += f"; use it with `mlprep optimize --set-retention` or `mlprep quiz --retention {r['suggested_retention']:.2f}`."
        console.print(line)
