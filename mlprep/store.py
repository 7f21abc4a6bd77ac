"""The progress store: the only module that touches SQLite.

One file, ``<user_home()>/progress.db``, in WAL mode with a busy timeout so two sessions can
write at once. The schema grows through append-only named migrations (``m001_initial``, ...),
each applied in one transaction and recorded in the ``migrations`` table. A file that is not
SQLite, or SQLite that is not ours, raises :class:`MlprepError` naming it and is never touched.

Every write commits at once: a rating given is a rating kept, even if the process is killed
a moment later. Times are stored as UTC ISO-8601 strings, so they sort as text.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from mlprep.content import user_home
from mlprep.errors import MlprepError

DB_NAME = "progress.db"
BUSY_TIMEOUT_MS = 10_000


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


# Append only: never edit or reorder an applied migration; add a new one at the end.
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_card_topic_and_indexes", _m002_card_topic_and_indexes),
]
OUR_TABLES = {"migrations", "cards", "reviews", "settings", "drill_attempts"}


def iso(moment: datetime) -> str:
    """A timezone-aware datetime as the UTC text the store keeps."""
    if moment.tzinfo is None:
        raise ValueError("the store only takes timezone-aware datetimes")
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class CardRow:
    """A card's scheduling record: FSRS state (JSON), when it is due, and its flags."""

    qid: str
    state: str
    due: datetime
    topic: str = ""
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False


@dataclass
class ReviewRow:
    id: int
    qid: str
    at: datetime
    rating: int
    mode: str
    cram: bool
    duration_s: float | None
    typed_score: int | None
    state_before: int | None


_CARD_COLS = "qid, state, due, topic, suspended, buried_until, leech"
_REVIEW_COLS = "id, qid, at, rating, mode, cram, duration_s, typed_score, state_before"


def _card(row: tuple) -> CardRow:
    qid, state, due, topic, suspended, buried, leech = row
    return CardRow(qid, state, parse_iso(due), topic, bool(suspended), parse_iso(buried) if buried else None, bool(leech))


def _review(row: tuple) -> ReviewRow:
    rid, qid, at, rating, mode, cram, duration, score, before = row
    return ReviewRow(rid, qid, parse_iso(at), rating, mode, bool(cram), duration, score, before)


def _card_json(card: CardRow | None) -> str | None:
    if card is None:
        return None
    return json.dumps(
        {
            "qid": card.qid,
            "state": card.state,
            "due": iso(card.due),
            "topic": card.topic,
            "suspended": card.suspended,
            "buried_until": iso(card.buried_until) if card.buried_until else None,
            "leech": card.leech,
        }
    )


def _card_from_json(text: str) -> CardRow:
    d = json.loads(text)
    return CardRow(
        d["qid"], d["state"], parse_iso(d["due"]), d["topic"], d["suspended"],
        parse_iso(d["buried_until"]) if d["buried_until"] else None, d["leech"],
    )


class Store:
    """An open progress database. Use :func:`open_store`; close it (or use ``with``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = _connect(self.path)
        try:
            _check_ours(self._db, self.path)
            _enable_wal(self._db)
            _migrate(self._db, self.path)
        except sqlite3.Error as exc:
            self._db.close()
            raise MlprepError(f"cannot use the progress database: {exc}", path=self.path) from None
        except BaseException:
            self._db.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM migrations ORDER BY rowid")]

    # -- cards -----------------------------------------------------------------------------
    def card(self, qid: str) -> CardRow | None:
        row = self._db.execute(f"SELECT {_CARD_COLS} FROM cards WHERE qid = ?", (qid,)).fetchone()
        return _card(row) if row else None

    def cards(self) -> dict[str, CardRow]:
        return {r[0]: _card(r) for r in self._db.execute(f"SELECT {_CARD_COLS} FROM cards")}

    def save_card(self, card: CardRow) -> None:
        with self.write():
            self._upsert(card)

    def _upsert(self, card: CardRow) -> None:
        self._db.execute(
            f"INSERT OR REPLACE INTO cards ({_CARD_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                card.qid, card.state, iso(card.due), card.topic, int(card.suspended),
                iso(card.buried_until) if card.buried_until else None, int(card.leech),
            ),
        )

    def unsuspend(self, qids: list[str] | None = None) -> list[str]:
        """Unsuspend these cards (every suspended card when None); returns the ids changed.

        A leech keeps its leech tag."""
        with self.write():
            suspended = [r[0] for r in self._db.execute("SELECT qid FROM cards WHERE suspended = 1 ORDER BY qid")]
            chosen = suspended if qids is None else [q for q in suspended if q in set(qids)]
            self._db.executemany("UPDATE cards SET suspended = 0 WHERE qid = ?", [(q,) for q in chosen])
            return chosen

    # -- reviews ---------------------------------------------------------------------------
    def record_review(
        self,
        qid: str,
        *,
        at: datetime,
        rating: int,
        mode: str,
        cram: bool,
        duration_s: float | None = None,
        typed_score: int | None = None,
        state_before: int | None = None,
        card_after: CardRow | None = None,
    ) -> int:
        """Log one rating and (unless ``card_after`` is None, as in cram) save the new card state.

        Both happen in one committed transaction; returns the review's id for :meth:`undo_review`.
        """
        with self.write():
            before = self.card(qid)
            cur = self._db.execute(
                "INSERT INTO reviews (qid, at, rating, mode, cram, duration_s, typed_score, state_before, card_before)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (qid, iso(at), rating, mode, int(cram), duration_s, typed_score, state_before, _card_json(before)),
            )
            if card_after is not None:
                self._upsert(card_after)
            return int(cur.lastrowid)

    def undo_review(self, review_id: int) -> str:
        """Mark a review undone and put its card back as it was before. Returns the card's id."""
        with self.write():
            row = self._db.execute(
                "SELECT qid, cram, card_before, undone FROM reviews WHERE id = ?", (review_id,)
            ).fetchone()
            if row is None or row[3]:
                raise MlprepError(f"review {review_id} does not exist or was already undone", path=self.path)
            qid, cram, before, _ = row
            self._db.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))
            if not cram:
                if before is None:
                    self._db.execute("DELETE FROM cards WHERE qid = ?", (qid,))
                else:
                    self._upsert(_card_from_json(before))
            return qid

    def reviews(self, since: datetime | None = None) -> list[ReviewRow]:
        """Reviews not undone, oldest first (from ``since`` on, when given)."""
        sql = f"SELECT {_REVIEW_COLS} FROM reviews WHERE undone = 0"
        args: tuple = ()
        if since is not None:
            sql += " AND at >= ?"
            args = (iso(since),)
        return [_review(r) for r in self._db.execute(sql + " ORDER BY at, id", args)]

    def lapses(self, qid: str) -> int:
        """How often a learned card (FSRS Review state, 2) was forgotten: Again, outside cram."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM reviews WHERE qid = ? AND rating = 1 AND state_before = 2"
            " AND cram = 0 AND undone = 0",
            (qid,),
        ).fetchone()
        return int(row[0])

    def count_reviews(self, since: datetime, *, new: bool) -> int:
        """Scheduled (non-cram) ratings since ``since``: of new cards, or of seen ones."""
        test = "IS NULL" if new else "IS NOT NULL"
        row = self._db.execute(
            f"SELECT COUNT(DISTINCT qid) FROM reviews WHERE at >= ? AND cram = 0 AND undone = 0 AND state_before {test}",
            (iso(since),),
        ).fetchone()
        return int(row[0])

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self._db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    # -- drills ----------------------------------------------------------------------------
    def record_drill_attempt(
        self, drill: str, status: str, passed: int, failed: int, errors: int, total: int, duration_s: float
    ) -> None:
        """Log one graded attempt at a drill (committed at once)."""
        with self.write():
            self._db.execute(
                "INSERT INTO drill_attempts (drill, at, status, passed, failed, errors, total, duration_s)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (drill, iso(datetime.now(timezone.utc)), status, passed, failed, errors, total, duration_s),
            )

    def drill_results(self) -> dict[str, dict]:
        """Per drill: attempts, best passed count, its total, solved (all passed once), last attempt."""
        results: dict[str, dict] = {}
        rows = self._db.execute(
            "SELECT drill, at, passed, failed, errors, total FROM drill_attempts ORDER BY at, id"
        )
        for drill, at, passed, failed, errors, total in rows:
            r = results.setdefault(drill, {"attempts": 0, "best_passed": 0, "total": 0, "solved": False, "last_at": at})
            r["attempts"] += 1
            r["last_at"] = at
            if (passed or 0) >= r["best_passed"]:
                r["best_passed"] = passed or 0
                r["total"] = total or 0
            if total and passed == total and not failed and not errors:
                r["solved"] = True
        return results

    # -- transactions ----------------------------------------------------------------------
    def write(self) -> _Transaction:
        """One write transaction (``with store.write(): ...``); the methods above nest inside it,
        so a read-modify-write of a card is atomic even with another session writing."""
        return _Transaction(self._db, self.path)


class _Transaction:
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


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise MlprepError(f"cannot open the progress database: {exc}", path=path) from None
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def _enable_wal(db: sqlite3.Connection) -> None:
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


def _check_ours(db: sqlite3.Connection, path: Path) -> None:
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


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply each missing migration in its own transaction."""
    with _Transaction(db, path):
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS:
        with _Transaction(db, path):
            # Re-read inside the write lock: another process may have just applied it.
            done = db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone()
            if not done:
                step(db)
                db.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                    (name, iso(datetime.now(timezone.utc))),
                )


def db_path() -> Path:
    return user_home() / DB_NAME


def open_store(path: Path | None = None) -> Store:
    """Open (creating and migrating as needed) the progress store under ``user_home()``."""
    return Store(path or db_path())
