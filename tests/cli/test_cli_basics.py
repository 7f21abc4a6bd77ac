"""CLI-wide contracts: version, help for every command, docs mention every command, no torch at start."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from mlprep import __version__
from mlprep.cli import app


def _commands(group=None, prefix=()):
    import typer.main

    group = group or typer.main.get_command(app)
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))


def test_version(cli):
    r = cli("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"mlprep {__version__}"


def test_every_command_has_help_and_is_documented(cli):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = list(_commands())
    assert ("questions",) in commands
    for path in commands:
        r = cli(*path, "--help")
        assert r.exit_code == 0, (path, r.output)
        assert "Usage" in r.stdout
        assert f"mlprep {' '.join(path)}" in readme, f"README does not show `mlprep {' '.join(path)}`"


def test_help_does_not_import_torch():
    code = "import sys; from mlprep.cli import app; import typer.main; typer.main.get_command(app); print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_python_dash_m_entry_point():
    r = subprocess.run([sys.executable, "-m", "mlprep", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and __version__ in r.stdout
