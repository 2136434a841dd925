"""The embedded SQLite store: predictions, the request journal, faults and the clock.

Every piece of state lives in the database, so that several worker processes share it. Each
worker thread keeps one connection for its life (WAL mode, a busy timeout for concurrent
writers); every write commits before the answer is sent.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from typing import Any

from .jsontext import dumps
from .tables import INSERT_PREDICTION, RECORD_COLUMNS, as_real, fault_columns, insert_sql

LARGE_IMAGE = 1 << 20  # bytes from which an image is written into its blob in pieces
BLOB_CHUNK = 1 << 20

# SQLite's busy handler sleeps a millisecond or more when another connection holds the write
# lock; the threads of one process queue on this lock instead, and wake as soon as it is free.
WRITE_LOCK = threading.Lock()
FREE_PAGES_KEPT = 2_048  # free pages (8 MiB at 4 KiB) a reset leaves in the file before VACUUM


class Duplicate(Exception):
    """The same prediction was already stored for this deployment."""


class Store:
    """One request's view of the database."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    # meta: signing key and clock
    def meta(self, key: str) -> str:
        return self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

    def clock_offset(self) -> float:
        return float(self.meta("clock_offset"))

    def now(self) -> float:
        return time.time() + self.clock_offset()

    def settings(self) -> tuple[float, bool | None, bool]:
        """(the clock as moved by the admin API, strict mode as set by it or None, whether any
        fault is armed), in one read: every request starts with it."""
        offset, strict, armed = self.db.execute(
            "SELECT (SELECT value FROM meta WHERE key = 'clock_offset'), "
            "(SELECT value FROM meta WHERE key = 'strict'), "
            "EXISTS (SELECT 1 FROM faults WHERE remaining > 0)"
        ).fetchone()
        return time.time() + float(offset), {"": None, "1": True, "0": False}[strict], bool(armed)

    def set_strict(self, strict: bool | None) -> None:
        value = "" if strict is None else "1" if strict else "0"
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'strict'", (value,))

    def advance_clock(self, seconds: float) -> float:
        self.db.execute(
            "UPDATE meta SET value = CAST(CAST(value AS REAL) + ? AS TEXT) "
            "WHERE key = 'clock_offset'",
            (seconds,),
        )
        return self.clock_offset()

    # predictions
    def add_prediction(self, record: dict[str, Any]) -> None:
        try:
            with WRITE_LOCK:
                self._insert_prediction(record)
        except sqlite3.IntegrityError:
            raise Duplicate() from None

    def _insert_prediction(self, record: dict[str, Any]) -> None:
        image = record["image"]
        if image is None or len(image) < LARGE_IMAGE or not hasattr(self.db, "blobopen"):
            self.db.execute(INSERT_PREDICTION.format(image=":image"), record)
            return
        # A large image is written in place into a zero-filled blob, a piece at a time: bound as
        # a parameter, SQLite would copy it whole twice (the binding, then the row's record).
        self.db.execute("BEGIN IMMEDIATE")
        try:
            insert = INSERT_PREDICTION.format(image="zeroblob(:image_size)")
            cursor = self.db.execute(insert, {**record, "image_size": len(image)})
            with self.db.blobopen("predictions", "image", cursor.lastrowid) as blob:
                view = memoryview(image)
                for start in range(0, len(view), BLOB_CHUNK):
                    blob.write(view[start : start + BLOB_CHUNK])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def drop_images_over(self, budget: int) -> int:
        """Drop the oldest stored images until their bytes are within ``budget`` (their records
        keep the image's size and SHA-256); how many were dropped."""
        kept = self.db.execute(
            "SELECT COALESCE(SUM(image_size), 0) FROM predictions WHERE image IS NOT NULL"
        ).fetchone()[0]
        if kept <= budget:
            return 0
        oldest = self.db.execute(
            "SELECT rowid, image_size FROM predictions WHERE image IS NOT NULL "
            "ORDER BY received_at, rowid"
        )
        dropped = []
        for rowid, size in oldest:
            if kept <= budget:
                break
            dropped.append((rowid,))
            kept -= size
        with WRITE_LOCK:
            self.db.executemany("UPDATE predictions SET image = NULL WHERE rowid = ?", dropped)
        return len(dropped)

    def prediction(self, prediction_id: str) -> sqlite3.Row | None:
        query = "SELECT * FROM predictions WHERE id = ?"
        return self.db.execute(query, (prediction_id,)).fetchone()

    def set_shadow(self, prediction_id: str, shadow: dict) -> bool:
        """Attach a shadow; False when the prediction already had one."""
        cursor = self.db.execute(
            "UPDATE predictions SET shadow = ? WHERE id = ? AND shadow IS NULL",
            (dumps(shadow), prediction_id),
        )
        return cursor.rowcount == 1

    def predictions(self, deployment_id: str) -> list[sqlite3.Row]:
        """A deployment's records, oldest first, without their image bytes."""
        query = (
            f"SELECT {RECORD_COLUMNS} FROM predictions WHERE deployment_id = ? "  # noqa: S608
            "ORDER BY received_at, rowid"
        )
        return self.db.execute(query, (deployment_id,)).fetchall()

    def newest_predictions(self, deployment_ids: list[str], limit: int) -> list[sqlite3.Row]:
        """The newest ``limit`` records of these deployments, without their image bytes."""
        marks = ", ".join("?" * len(deployment_ids))
        query = (
            f"SELECT {RECORD_COLUMNS} FROM predictions INDEXED BY predictions_by_arrival "
            f"WHERE deployment_id IN ({marks}) ORDER BY received_at DESC LIMIT ?"  # noqa: S608
        )
        return self.db.execute(query, (*deployment_ids, limit)).fetchall()

    def count_predictions(self, deployment_ids: list[str]) -> int:
        marks = ", ".join("?" * len(deployment_ids))
        query = f"SELECT COUNT(*) FROM predictions WHERE deployment_id IN ({marks})"  # noqa: S608
        return self.db.execute(query, deployment_ids).fetchone()[0]

    def counts(self, deployment_id: str) -> tuple[int, int]:
        row = self.db.execute(
            "SELECT COUNT(*), COUNT(shadow) FROM predictions WHERE deployment_id = ?",
            (deployment_id,),
        ).fetchone()
        return row[0], row[1]

    # journal
    def log(self, entry: dict[str, Any], capacity: int) -> None:
        with WRITE_LOCK:
            self._log(entry, capacity)

    def _log(self, entry: dict[str, Any], capacity: int) -> None:
        cursor = self.db.execute(insert_sql("journal", entry), entry)
        if cursor.lastrowid % 100 == 0:
            self.db.execute("DELETE FROM journal WHERE id <= ?", (cursor.lastrowid - capacity,))

    def journal(self, query: dict[str, Any]) -> list[sqlite3.Row]:
        """Entries matching ``query`` (admin-journal-query.json, defaults applied)."""
        order = "ASC" if query["order"] == "oldest" else "DESC"
        sql = (
            "SELECT * FROM journal WHERE (:service IS NULL OR service = :service) "
            "AND (:route IS NULL OR route = :route OR operation = :route) "
            "AND (:deployment_id IS NULL OR deployment_id = :deployment_id) "
            "AND (:status IS NULL OR status = :status) "
            "AND (:since IS NULL OR time >= :since) AND (:until IS NULL OR time <= :until) "
            "AND (:after_id IS NULL OR id > :after_id) "
            f"ORDER BY id {order} LIMIT :limit"  # noqa: S608 - order is one of two words
        )
        keys = ("service", "route", "deployment_id", "status", "since", "until", "after_id")
        params = {key: query.get(key) for key in keys}
        for key in ("since", "until"):
            params[key] = as_real(params[key])
        return self.db.execute(sql, {**params, "limit": query["limit"]}).fetchall()

    def last_journal_id(self) -> int:
        row = self.db.execute("SELECT MAX(id) FROM journal").fetchone()
        return row[0] or 0

    # faults
    def add_fault(self, fault: dict[str, Any]) -> None:
        row = {key: fault[key] for key in fault_columns()}
        self.db.execute(insert_sql("faults", row), row)

    def faults(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM faults WHERE remaining > 0 ORDER BY id").fetchall()

    def clear_faults(self) -> None:
        self.db.execute("DELETE FROM faults")

    def take_fault(self, route: str, method: str, target: str | None) -> sqlite3.Row | None:
        """Use up one call of the oldest armed fault for this route, method and target (the
        deployment or prediction id in the path; a fault without a target matches any).

        A plain read first: most calls find no fault and so take no write lock.
        """
        armed = self.db.execute(
            "SELECT id FROM faults WHERE route = ? AND (method IS NULL OR method = ?) "
            "AND (target IS NULL OR target = ?) AND remaining > 0 ORDER BY id LIMIT 1",
            (route, method, target),
        ).fetchone()
        if armed is None:
            return None
        return self.db.execute(
            "UPDATE faults SET remaining = remaining - 1 WHERE id = ? AND remaining > 0 "
            "RETURNING *",
            (armed["id"],),
        ).fetchone()

    # conformance: the scenario last started, and the verdicts since the last reset
    def start_scenario(self, name: str, names: dict[str, Any], started: float) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO scenario_started VALUES (1, ?, ?, ?)",
            (name, dumps(names), started),
        )

    def started_scenario(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM scenario_started").fetchone()

    def keep_verdict(self, name: str, verdict: dict[str, Any], graded: float) -> None:
        """The last verdict of each scenario: at most one row per scenario file."""
        self.db.execute(
            "INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)", (name, graded, dumps(verdict))
        )

    def verdicts(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM verdicts ORDER BY name").fetchall()

    def reset(self, keep_verdicts: bool = False) -> None:
        """Forget predictions, the journal, faults, the clock offset, strict mode and (unless
        ``keep_verdicts``: a scenario starting) the conformance verdicts."""
        tables = ["predictions", "prediction_facts", "journal", "faults", "scenario_started"]
        if not keep_verdicts:
            tables.append("verdicts")
        self.db.execute("BEGIN IMMEDIATE")
        for table in tables:
            self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        self.db.execute("UPDATE meta SET value = '0' WHERE key = 'clock_offset'")
        self.db.execute("UPDATE meta SET value = '' WHERE key = 'strict'")
        self.db.execute("COMMIT")
        self.give_back_space()

    def give_back_space(self) -> None:
        """Give the pages freed by a reset back to the system (VACUUM, then the write-ahead log
        folded in and emptied) once they are many; skipped while another connection reads."""
        free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
        if free < FREE_PAGES_KEPT:
            return
        with WRITE_LOCK, contextlib.suppress(sqlite3.OperationalError):
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
