"""The store's schema: append-only named migrations, each applied in one transaction.

Never edit or reorder an applied migration; add a new one at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from mlprep.errors import MlprepError
from mlprep.store.connection import Transaction, iso


def _m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE cards (
            qid TEXT PRIMARY KEY,
            state TEXT NOT NULL,          -- the FSRS card as JSON
            due TEXT NOT NULL,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            leech INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            qid TEXT NOT NULL,
            at TEXT NOT NULL,
            rating INTEGER NOT NULL,      -- 1 Again, 2 Hard, 3 Good, 4 Easy
            mode TEXT NOT NULL,
            cram INTEGER NOT NULL DEFAULT 0,
            duration_s REAL,
            typed_score INTEGER,
            state_before INTEGER,         -- FSRS state before the rating; NULL for a new card
            card_before TEXT,             -- the cards row before the rating (JSON), for undo
            undone INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE drill_attempts (
            id INTEGER PRIMARY KEY,
            drill TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT NOT NULL,
            passed INTEGER,
            failed INTEGER,
            errors INTEGER,
            total INTEGER,
            duration_s REAL
        )"""
    )


def _m002_card_topic_and_indexes(db: sqlite3.Connection) -> None:
    """Remember each card's topic (for per-topic stats without the banks) and index the log."""
    db.execute("ALTER TABLE cards ADD COLUMN topic TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX reviews_qid ON reviews (qid)")
    db.execute("CREATE INDEX reviews_at ON reviews (at)")
    db.execute("CREATE INDEX cards_due ON cards (due)")


def _m003_claims(db: sqlite3.Connection) -> None:
    """New cards on screen in a running session, so a second session does not serve them too."""
    db.execute(
        """CREATE TABLE claims (
            qid TEXT PRIMARY KEY,
            session TEXT NOT NULL,        -- the claiming session's random id
            expires TEXT NOT NULL         -- UTC ISO time; a claim left by a killed session lapses
        )"""
    )


def _m004_drill_runs_and_mistakes(db: sqlite3.Connection) -> None:
    """Drill runs (one attempt from a blank starter until it passes or is given up), the cards made
    from named mistakes, and the reports of mock interviews."""
    db.execute(
        """CREATE TABLE drill_runs (
            id INTEGER PRIMARY KEY,
            drill TEXT NOT NULL,
            folder TEXT NOT NULL,
            started_at TEXT NOT NULL,
            hints_before INTEGER NOT NULL DEFAULT 0,  -- hints seen when the run began
            grades INTEGER NOT NULL DEFAULT 0,        -- grades run so far
            failed_grades INTEGER NOT NULL DEFAULT 0, -- of those, grades that did not pass
            ended_at TEXT,                            -- NULL while the run is open
            passed INTEGER,                           -- 1 passed, 0 given up
            rating INTEGER                            -- the FSRS rating the run gave the drill
        )"""
    )
    db.execute("CREATE INDEX drill_runs_drill ON drill_runs (drill)")
    db.execute(
        """CREATE TABLE drill_mistakes (
            id TEXT PRIMARY KEY,          -- mistake:<drill>:<hash of the message>
            drill TEXT NOT NULL,
            test TEXT NOT NULL,           -- the hidden test that named it
            message TEXT NOT NULL,
            created_at TEXT NOT NULL,
            retired_at TEXT               -- set once the drill is passed twice in a row
        )"""
    )
    db.execute("CREATE TABLE mock_reports (id INTEGER PRIMARY KEY, at TEXT NOT NULL, report TEXT NOT NULL)")


def _m005_typed_answers(db: sqlite3.Connection) -> None:
    """What was typed and what the judge found (points, misconceptions, overrides), per review."""
    db.execute("ALTER TABLE reviews ADD COLUMN typed_text TEXT")
    db.execute("ALTER TABLE reviews ADD COLUMN verdict TEXT")  # JSON


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_card_topic_and_indexes", _m002_card_topic_and_indexes),
    ("m003_claims", _m003_claims),
    ("m004_drill_runs_and_mistakes", _m004_drill_runs_and_mistakes),
    ("m005_typed_answers", _m005_typed_answers),
]
OUR_TABLES = {"migrations", "cards", "reviews", "settings", "drill_attempts", "claims", "drill_runs",
              "drill_mistakes", "mock_reports"}



def check_ours(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not SQLite, or SQLite holding tables that are not ours."""
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise MlprepError(
            f"not a usable progress database ({exc}); move it aside (it is left untouched) and run again",
            path=path,
        ) from None
    tables = {t for t in tables if not t.startswith("sqlite_")}
    if tables and "migrations" not in tables:
        raise MlprepError(
            "this SQLite file is not an mlprep progress database; point MLPREP_HOME elsewhere or move it aside",
            path=path,
        )
    if "migrations" in tables:  # a newer mlprep's database: say so before anything else
        known = {name for name, _ in MIGRATIONS}
        unknown = [r[0] for r in db.execute("SELECT name FROM migrations") if r[0] not in known]
        if unknown:
            raise MlprepError(
                f"the progress database has migrations this mlprep does not know ({', '.join(unknown)}); "
                "upgrade mlprep",
                path=path,
            )
    foreign = tables - OUR_TABLES
    if foreign:
        raise MlprepError(
            f"unexpected tables {sorted(foreign)} in the progress database; it is left untouched", path=path
        )


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply each missing migration in its own transaction."""
    with Transaction(db, path):
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS:
        with Transaction(db, path):
            # Re-read inside the write lock: another process may have just applied it.
            done = db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone()
            if not done:
                step(db)
                db.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                    (name, iso(datetime.now(timezone.utc))),
                )
