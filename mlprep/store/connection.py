"""The SQLite connection underneath the store: opening, WAL, transactions, the time format."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from mlprep.errors import MlprepError

BUSY_TIMEOUT_MS = 10_000


def iso(moment: datetime) -> str:
    """A timezone-aware datetime as the UTC text the store keeps."""
    if moment.tzinfo is None:
        raise ValueError("the store only takes timezone-aware datetimes")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error); nests as a no-op.

    An SQLite failure (locked past the busy timeout, disk full, read-only file) becomes an
    MlprepError naming the database."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path
        self.outer = False

    def __enter__(self) -> None:
        if not self.db.in_transaction:
            self._run("BEGIN IMMEDIATE")
            self.outer = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.outer and exc_type is None:
            try:
                self.db.execute("COMMIT")
            except sqlite3.Error as commit_error:
                exc = commit_error
        if self.outer and self.db.in_transaction:
            self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            self._fail(exc)

    def _run(self, sql: str) -> None:
        try:
            self.db.execute(sql)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _fail(self, exc: sqlite3.Error) -> None:
        raise MlprepError(f"cannot write the progress database: {exc}", path=self.path) from None


def connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise MlprepError(f"cannot open the progress database: {exc}", path=path) from None
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def enable_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL once per database file.

    The switch needs an exclusive lock and SQLite does not always wait on its busy handler for
    it: two processes opening a new database at once can get "database is locked" at once. So
    retry until the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
