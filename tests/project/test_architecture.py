"""The package's one-way arrows, checked on the import graph of every module under mlprep/.

Engines compute and return plain values; only the CLI (``mlprep.commands``, ``mlprep.cli``)
draws on the terminal. Each rule names the modules allowed to cross it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from conftest import REPO

PACKAGE = REPO / "mlprep"
ENGINES = ("mlprep.bank", "mlprep.quiz", "mlprep.drills", "mlprep.importer", "mlprep.store", "mlprep.explore")


def _module_name(path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _under(module: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _offenders(imported: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    return [f"{mod} imports {dep}" for mod, deps in GRAPH.items() if not _under(mod, allowed)
            for dep in sorted(deps) if _under(dep, imported)]


def test_the_graph_sees_every_part():
    for part in ENGINES + ("mlprep.commands", "mlprep.commands.views", "mlprep.paths", "mlprep.cli"):
        assert any(_under(m, part) for m in GRAPH), part
    assert "mlprep.commands.views.console" in GRAPH and "rich.console" in GRAPH["mlprep.commands.views.console"]


def test_engines_never_import_the_cli_or_terminal_libraries():
    bad = [f"{mod} imports {dep}" for mod, deps in GRAPH.items() if _under(mod, ENGINES)
           for dep in sorted(deps) if _under(dep, ("mlprep.commands", "mlprep.cli", "rich", "typer", "click"))]
    assert not bad, "engines must return values, not draw: " + "; ".join(bad)


def test_only_the_store_touches_sqlite():
    bad = _offenders(("sqlite3",), ("mlprep.store",))
    assert not bad, bad


def test_only_banks_importer_and_drill_catalogue_touch_yaml():
    bad = _offenders(("yaml",), ("mlprep.bank", "mlprep.importer", "mlprep.drills.catalog"))
    assert not bad, bad


def test_only_paths_decides_where_user_state_lives():
    bad = _offenders(("platformdirs", "importlib.resources"), ("mlprep.paths",))
    assert not bad, bad
    for path in PACKAGE.rglob("*.py"):
        if _module_name(path) == "mlprep.paths":
            continue
        text = path.read_text(encoding="utf-8")
        assert "user_home()" not in text and "MLPREP_HOME\"" not in text, \
            f"{path.relative_to(REPO)} builds a user-state path itself; add a function to mlprep/paths.py"


def test_engines_do_not_depend_on_each_others_screens():
    """Nothing but the CLI imports a screen module."""
    bad = _offenders(("mlprep.commands.views",), ("mlprep.commands", "mlprep.cli"))
    assert not bad, bad


@pytest.mark.parametrize("args, keys", [(["--help"], None), (["questions", "-n", "3"], None), (["quiz", "-n", "1"], "q")])
def test_the_quiz_path_imports_neither_torch_nor_numpy(args, keys, tmp_path):
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from mlprep.cli import app\n"
        f"r = CliRunner().invoke(app, {args!r}, input={keys!r})\n"
        "print(json.dumps([r.exit_code, sorted(m for m in ('torch', 'numpy') if m in sys.modules)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120,
                         env={"MLPREP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    exit_code, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    assert exit_code == 0
    assert heavy == [], f"`mlprep {' '.join(args)}` imported {heavy}"
