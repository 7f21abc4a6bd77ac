"""Shared fixtures: every test gets its own MLPREP_HOME; ../shared is optional."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NOTES_DIR = SHARED / "notes"
SHAKESPEARE = SHARED / "data" / "tinyshakespeare.txt"

# rich sizes its module-level consoles when mlprep is first imported, which under pytest-xdist can
# happen before any fixture runs: fix the width for the whole process, not only per test.
os.environ["COLUMNS"] = "120"


@pytest.fixture(autouse=True)
def mlprep_home(tmp_path_factory, monkeypatch) -> Path:
    """Point MLPREP_HOME at a fresh temporary folder for every test."""
    home = tmp_path_factory.mktemp("mlprep_home")
    monkeypatch.setenv("MLPREP_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("MLPREP_DEBUG", raising=False)
    return home


@pytest.fixture
def notes_dir() -> Path:
    if not NOTES_DIR.is_dir():
        pytest.skip(f"the user's notes are not here ({NOTES_DIR}); CI provides ../shared beside the clone")
    return NOTES_DIR


@pytest.fixture
def shakespeare() -> Path:
    if not SHAKESPEARE.is_file():
        pytest.skip(f"Tiny Shakespeare is not here ({SHAKESPEARE}); CI provides ../shared beside the clone")
    return SHAKESPEARE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner):
    """Invoke the mlprep app like a user would; returns the click Result."""
    from mlprep.cli import app

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke
