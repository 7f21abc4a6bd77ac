"""Where things are: bundled content (questions, drills, solutions) and every path in the user's state folder.

Nothing else in the package computes these paths.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

CONTENT_KINDS = ("questions", "drills", "solutions")
HOME_ENV = "MLPREP_HOME"


def content_dir(kind: str) -> Path:
    """The folder holding bundled content of ``kind``.

    An installed wheel carries it as ``mlprep/_content/<kind>``; an editable install or a source
    checkout resolves ``mlprep`` to the checkout, where the folders sit at the top level.
    """
    if kind not in CONTENT_KINDS:
        raise ValueError(f"unknown content kind {kind!r}; expected one of {CONTENT_KINDS}")
    installed = Path(str(files("mlprep"))) / "_content" / kind
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / kind


def user_home() -> Path:
    """The user's state folder (progress DB, workspace, downloads, checkpoints), created on demand.

    ``$MLPREP_HOME`` when set, else the platform's user data dir.
    """
    env = os.environ.get(HOME_ENV)
    if env:
        home = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        home = Path(user_data_dir("mlprep", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


# Every sub-path of the user's state folder, decided here and nowhere else.


def progress_db() -> Path:
    """The SQLite progress database (cards, review log, settings, drill attempts)."""
    return user_home() / "progress.db"


def bank_cache_dir() -> Path:
    """Parsed banks cached as JSON, keyed by the bank file's path and content."""
    return user_home() / "cache" / "banks"


def imported_banks_dir() -> Path:
    """The user's library of imported banks: where `mlprep import` writes without ``--out``."""
    return user_home() / "banks" / "imported"


def bank_registry() -> Path:
    """The registry of the library's banks (origin, source, last import, enabled), as JSON."""
    return user_home() / "banks" / "registry.json"


def runs_dir() -> Path:
    """Training runs of the reference GPT (checkpoints, logs, plots), one folder per run."""
    return user_home() / "runs"


def data_dir() -> Path:
    """Downloaded data sets (Tiny Shakespeare)."""
    return user_home() / "data"


def explore_dir() -> Path:
    """Figures written by `mlprep explore`."""
    return user_home() / "explore"


def workspace_dir() -> Path:
    """Drill attempts: one folder per drill and date (``workspace/<drill>/<date>/``)."""
    return user_home() / "workspace"
