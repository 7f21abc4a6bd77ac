"""`mlprep doctor`: which walls the grader puts around your code on this machine."""

from __future__ import annotations

from rich import box
from rich.markup import escape
from rich.table import Table

from mlprep.commands.common import JsonOption
from mlprep.commands.views.console import console, print_json


def doctor(as_json: JsonOption = False) -> None:
    """Show which sandbox protections grading uses here, and what each one prevents."""
    from mlprep.drills import isolation

    try:
        plan = isolation.plan()
        mode, problem = plan.mode, ""
    except isolation.SandboxUnavailable as exc:
        plan, mode, problem = None, "unavailable", str(exc)
    rows = isolation.protections(plan)
    if as_json:
        print_json({"mode": mode, "problem": problem or None,
                    "protections": [{"name": r.name, "active": r.active, "prevents": r.prevents, "detail": r.detail}
                                    for r in rows]})
        return
    table = Table(header_style="bold", box=box.SIMPLE_HEAD)
    table.add_column("protection", no_wrap=True)
    table.add_column("active", no_wrap=True)
    table.add_column("prevents")
    table.add_column("detail", style="dim")
    for r in rows:
        table.add_row(escape(r.name), "[green]yes[/]" if r.active else "[red]no[/]", escape(r.prevents), escape(r.detail))
    console.print(table)
    summary = {"full": "full sandbox: namespaces (bubblewrap), Landlock and seccomp where listed",
               "basic": "basic sandbox: no namespaces here; rlimits, a new session, and Landlock/seccomp where listed",
               "none": "no sandbox walls (MLPREP_SANDBOX=none): only a separate process with resource limits"}
    console.print(f"grading mode: [bold]{mode}[/] " + escape(f"({problem or summary.get(mode, '')})"))
