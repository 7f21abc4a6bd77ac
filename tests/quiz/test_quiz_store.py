"""The progress store: migrations, upgrades, concurrent writers, refusing foreign files, drills."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from mlprep.errors import MlprepError
from mlprep.paths import progress_db
from mlprep.store import MIGRATIONS, CardRow, iso, open_store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _card(qid: str, due: datetime = NOW, **kw) -> CardRow:
    return CardRow(qid=qid, state='{"state": 2}', due=due, **kw)


def test_fresh_store_applies_every_migration_in_wal_mode(mlprep_home):
    with open_store() as store:
        assert store.path == mlprep_home / "progress.db"
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    db = sqlite3.connect(mlprep_home / "progress.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = {r[1] for r in db.execute("PRAGMA table_info(drill_attempts)")}
    assert cols == {"id", "drill", "at", "status", "passed", "failed", "errors", "total", "duration_s"}


def test_upgrade_from_first_schema_keeps_data(mlprep_home):
    path = mlprep_home / "progress.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    name, first = MIGRATIONS[0]
    first(db)
    db.execute("INSERT INTO migrations VALUES (?, ?)", (name, iso(NOW)))
    db.execute("INSERT INTO cards (qid, state, due) VALUES ('q-old', '{}', ?)", (iso(NOW),))
    db.execute(
        "INSERT INTO reviews (qid, at, rating, mode) VALUES ('q-old', ?, 3, 'flash')", (iso(NOW),)
    )
    db.commit()
    db.close()
    with open_store() as store:
        assert store.applied_migrations() == [n for n, _ in MIGRATIONS]
        card = store.card("q-old")
        assert card is not None and card.topic == ""
        assert [r.rating for r in store.reviews()] == [3]


def test_reopening_is_idempotent(mlprep_home):
    with open_store() as store:
        store.save_card(_card("q-1", topic="rl"))
    with open_store() as store:
        assert store.card("q-1").topic == "rl"
        assert len(store.applied_migrations()) == len(MIGRATIONS)


def test_corrupt_file_is_refused_and_left_untouched(mlprep_home):
    path = progress_db()
    junk = b"this is not a database at all\n" * 200
    path.write_bytes(junk)
    with pytest.raises(MlprepError) as err:
        open_store()
    assert str(path) in str(err.value)
    assert path.read_bytes() == junk


def test_foreign_sqlite_file_is_refused_and_left_untouched(mlprep_home):
    path = progress_db()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(MlprepError, match="not an mlprep progress database"):
        open_store()
    assert path.read_bytes() == before


def test_unknown_table_or_newer_migration_is_refused(mlprep_home):
    with open_store():
        pass
    db = sqlite3.connect(progress_db())
    db.execute("INSERT INTO migrations VALUES ('m999_future', 'x')")
    db.commit()
    db.close()
    with pytest.raises(MlprepError, match="m999_future"):
        open_store()
    db = sqlite3.connect(progress_db())
    db.execute("DELETE FROM migrations WHERE name = 'm999_future'")
    db.execute("CREATE TABLE extra (x)")
    db.commit()
    db.close()
    with pytest.raises(MlprepError, match="extra"):
        open_store()


def test_two_connections_write_interleaved_without_loss(mlprep_home):
    a, b = open_store(), open_store()
    try:
        for i in range(20):
            (a if i % 2 else b).record_review(
                f"q-{i % 3}", at=NOW + timedelta(seconds=i), rating=3, mode="flash", cram=False,
                card_after=_card(f"q-{i % 3}"),
            )
        assert len(a.reviews()) == len(b.reviews()) == 20
        assert set(a.cards()) == {"q-0", "q-1", "q-2"}
    finally:
        a.close()
        b.close()
    db = sqlite3.connect(progress_db())
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_undo_restores_previous_card_or_removes_a_new_one(mlprep_home):
    with open_store() as store:
        first = store.record_review("q-1", at=NOW, rating=3, mode="flash", cram=False,
                                    card_after=_card("q-1", NOW + timedelta(days=1)))
        second = store.record_review("q-1", at=NOW + timedelta(days=1), rating=1, mode="flash", cram=False,
                                     state_before=2, card_after=_card("q-1", NOW + timedelta(days=1, minutes=10)))
        assert store.lapses("q-1") == 1
        assert store.undo_review(second) == "q-1"
        assert store.card("q-1").due == NOW + timedelta(days=1)
        assert store.lapses("q-1") == 0
        store.undo_review(first)
        assert store.card("q-1") is None
        assert store.reviews() == []
        with pytest.raises(MlprepError):
            store.undo_review(first)


def test_cram_review_is_logged_but_leaves_the_card(mlprep_home):
    with open_store() as store:
        store.save_card(_card("q-1"))
        store.record_review("q-1", at=NOW, rating=1, mode="flash", cram=True, state_before=2)
        assert store.card("q-1").due == NOW
        assert store.lapses("q-1") == 0
        assert store.reviews()[0].cram is True
        assert store.count_reviews(NOW - timedelta(hours=1), new=False) == 0


def test_drill_attempts_summary(mlprep_home):
    with open_store() as store:
        assert store.drill_results() == {}
        store.record_drill_attempt("softmax", "failed", 2, 3, 0, 5, 1.5)
        store.record_drill_attempt("softmax", "passed", 5, 0, 0, 5, 1.2)
        store.record_drill_attempt("attention", "error", 0, 0, 1, 4, 0.3)
        results = store.drill_results()
    assert results["softmax"]["attempts"] == 2
    assert results["softmax"]["best_passed"] == 5 and results["softmax"]["total"] == 5
    assert results["softmax"]["solved"] is True
    assert results["attention"] == {
        "attempts": 1, "best_passed": 0, "total": 4, "solved": False, "last_at": results["attention"]["last_at"],
    }
    assert datetime.fromisoformat(results["attention"]["last_at"]).tzinfo is not None


def test_settings_round_trip(mlprep_home):
    with open_store() as store:
        assert store.setting("retention") is None
        store.set_setting("retention", "0.85")
    with open_store() as store:
        assert store.setting("retention") == "0.85"


WRITER = """
import sys
from datetime import datetime, timezone
from mlprep.store import CardRow, open_store
now = datetime.now(timezone.utc)
with open_store() as store:
    for i in range(60):
        qid = f"{sys.argv[1]}-{i % 5}"
        store.record_review(qid, at=now, rating=3, mode="flash", cram=False,
                            card_after=CardRow(qid=qid, state="{}", due=now))
"""


def test_two_processes_writing_at_once(mlprep_home):
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, name], env=env) for name in ("a", "b")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    with open_store() as store:
        assert len(store.reviews()) == 120
        assert len(store.cards()) == 10
    assert sqlite3.connect(progress_db()).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_locked_too_long_is_a_clear_error_not_a_traceback(mlprep_home, monkeypatch):
    monkeypatch.setattr("mlprep.store.connection.BUSY_TIMEOUT_MS", 50)
    store = open_store()
    holder = sqlite3.connect(progress_db(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(MlprepError, match="locked") as err:
            store.set_setting("k", "v")
        assert str(progress_db()) in str(err.value)
        with pytest.raises(MlprepError, match="locked"):
            open_store()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        store.close()
    with open_store() as store:
        assert store.setting("k") is None
