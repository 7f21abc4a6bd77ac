"""The progress store's queries: cards, the review log, settings, drill attempts.

One file, ``paths.progress_db()``, in WAL mode with a busy timeout so two sessions can
write at once. The schema grows through append-only named migrations (``m001_initial``, ...),
each applied in one transaction and recorded in the ``migrations`` table. A file that is not
SQLite, or SQLite that is not ours, raises :class:`MlprepError` naming it and is never touched.

Every write commits at once: a rating given is a rating kept, even if the process is killed
a moment later. Times are stored as UTC ISO-8601 strings, so they sort as text.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from mlprep import paths
from mlprep.errors import MlprepError
from mlprep.store.connection import Transaction, connect, enable_wal, iso, parse_iso
from mlprep.store.migrations import check_ours, migrate


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


@dataclass
class DrillRun:
    """One attempt at a drill from a blank starter, until it passes or is given up."""

    id: int
    drill: str
    folder: str
    started_at: datetime
    hints_before: int
    grades: int
    failed_grades: int
    ended_at: datetime | None
    passed: bool | None
    rating: int | None


_RUN_COLS = "id, drill, folder, started_at, hints_before, grades, failed_grades, ended_at, passed, rating"


def _run(row: tuple) -> DrillRun:
    rid, drill, folder, started, hints, grades, failed, ended, passed, rating = row
    return DrillRun(rid, drill, folder, parse_iso(started), hints, grades, failed,
                    parse_iso(ended) if ended else None, None if passed is None else bool(passed), rating)


class Store:
    """An open progress database. Use :func:`open_store`; close it (or use ``with``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._db = connect(self.path)
        try:
            check_ours(self._db, self.path)
            enable_wal(self._db)
            migrate(self._db, self.path)
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

    def restore_card(self, qid: str, before: CardRow | None) -> None:
        """Put a card's record back as it was; ``None`` removes it (the card was never seen)."""
        with self.write():
            if before is None:
                self._db.execute("DELETE FROM cards WHERE qid = ?", (qid,))
            else:
                self._upsert(before)

    def suspended(self) -> list[CardRow]:
        """Every suspended card, by id."""
        return [_card(r) for r in self._db.execute(
            f"SELECT {_CARD_COLS} FROM cards WHERE suspended = 1 ORDER BY qid")]

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

    # -- claims on new cards ---------------------------------------------------------------
    def claim_new(self, qid: str, session: str, now: datetime, until: datetime) -> bool:
        """Claim a never-seen card for ``session`` until ``until``, atomically.

        False when the card has a record by now (another session rated, buried or suspended it)
        or another session holds a live claim on it; the same session may claim again."""
        with self.write():
            if self._db.execute("SELECT 1 FROM cards WHERE qid = ?", (qid,)).fetchone():
                return False
            row = self._db.execute("SELECT session, expires FROM claims WHERE qid = ?", (qid,)).fetchone()
            if row and row[0] != session and row[1] > iso(now):
                return False
            self._db.execute("INSERT OR REPLACE INTO claims (qid, session, expires) VALUES (?, ?, ?)",
                             (qid, session, iso(until)))
            return True

    def release_claims(self, session: str, now: datetime | None = None) -> None:
        """Drop this session's claims (and any that lapsed before ``now``)."""
        with self.write():
            self._db.execute("DELETE FROM claims WHERE session = ?", (session,))
            if now is not None:
                self._db.execute("DELETE FROM claims WHERE expires <= ?", (iso(now),))

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

    # -- typed answers ---------------------------------------------------------------------
    def annotate_review(self, review_id: int, typed_text: str | None, verdict: dict) -> None:
        """Keep what was typed for a review and the judge's verdict (for auditing and optimizing),
        or a case's per-part ratings (no typed text)."""
        with self.write():
            self._db.execute("UPDATE reviews SET typed_text = ?, verdict = ? WHERE id = ?",
                             (typed_text, json.dumps(verdict), review_id))

    def typed_answers(self) -> list[dict]:
        """Every review with a typed answer: qid, at, rating, typed text and verdict, oldest first."""
        rows = self._db.execute("SELECT qid, at, rating, typed_text, verdict FROM reviews"
                                " WHERE typed_text IS NOT NULL AND undone = 0 ORDER BY id")
        return [{"qid": q, "at": at, "rating": r, "typed": t, "verdict": json.loads(v) if v else None}
                for q, at, r, t, v in rows]

    # -- drill runs and mistake cards ------------------------------------------------------
    def start_drill_run(self, drill: str, folder: str, at: datetime, hints_before: int) -> int:
        with self.write():
            cur = self._db.execute(
                "INSERT INTO drill_runs (drill, folder, started_at, hints_before) VALUES (?, ?, ?, ?)",
                (drill, folder, iso(at), hints_before),
            )
            return int(cur.lastrowid)

    def drill_runs(self, drill: str | None = None) -> list[DrillRun]:
        """Runs, oldest first (of one drill, or all)."""
        sql = f"SELECT {_RUN_COLS} FROM drill_runs"
        rows = self._db.execute(sql + " WHERE drill = ? ORDER BY id" if drill else sql + " ORDER BY id",
                                (drill,) if drill else ())
        return [_run(r) for r in rows]

    def open_drill_run(self, drill: str) -> DrillRun | None:
        row = self._db.execute(
            f"SELECT {_RUN_COLS} FROM drill_runs WHERE drill = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1",
            (drill,),
        ).fetchone()
        return _run(row) if row else None

    def count_drill_grade(self, run_id: int, passed: bool) -> None:
        with self.write():
            self._db.execute(
                "UPDATE drill_runs SET grades = grades + 1, failed_grades = failed_grades + ? WHERE id = ?",
                (0 if passed else 1, run_id),
            )

    def end_drill_run(self, run_id: int, at: datetime, passed: bool, rating: int) -> None:
        with self.write():
            self._db.execute(
                "UPDATE drill_runs SET ended_at = ?, passed = ?, rating = ? WHERE id = ? AND ended_at IS NULL",
                (iso(at), int(passed), rating, run_id),
            )

    def add_drill_mistake(self, mid: str, drill: str, test: str, message: str, at: datetime) -> bool:
        """Keep a named mistake as a card; False when it is already there (it is revived if retired)."""
        with self.write():
            row = self._db.execute("SELECT retired_at FROM drill_mistakes WHERE id = ?", (mid,)).fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO drill_mistakes (id, drill, test, message, created_at) VALUES (?, ?, ?, ?, ?)",
                    (mid, drill, test, message, iso(at)),
                )
                return True
            if row[0] is not None:
                self._db.execute("UPDATE drill_mistakes SET retired_at = NULL WHERE id = ?", (mid,))
            return False

    def retire_drill_mistakes(self, drill: str, at: datetime) -> int:
        with self.write():
            cur = self._db.execute(
                "UPDATE drill_mistakes SET retired_at = ? WHERE drill = ? AND retired_at IS NULL", (iso(at), drill)
            )
            return cur.rowcount

    def drill_mistakes(self, *, active_only: bool = True) -> list[dict]:
        sql = "SELECT id, drill, test, message, created_at, retired_at FROM drill_mistakes"
        rows = self._db.execute(sql + (" WHERE retired_at IS NULL" if active_only else "") + " ORDER BY created_at, id")
        keys = ("id", "drill", "test", "message", "created_at", "retired_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    # -- mock interviews --------------------------------------------------------------------
    def record_mock(self, at: datetime, report: dict) -> int:
        with self.write():
            cur = self._db.execute("INSERT INTO mock_reports (at, report) VALUES (?, ?)", (iso(at), json.dumps(report)))
            return int(cur.lastrowid)

    def mocks(self) -> list[dict]:
        """Every mock report, oldest first, each with its ``at``."""
        rows = self._db.execute("SELECT at, report FROM mock_reports ORDER BY id")
        return [{"at": at, **json.loads(report)} for at, report in rows]

    # -- transactions ----------------------------------------------------------------------
    def write(self) -> Transaction:
        """One write transaction (``with store.write(): ...``); the methods above nest inside it,
        so a read-modify-write of a card is atomic even with another session writing."""
        return Transaction(self._db, self.path)


def open_store(path: Path | None = None) -> Store:
    """Open (creating and migrating as needed) the progress store at ``paths.progress_db()``."""
    return Store(path or paths.progress_db())
