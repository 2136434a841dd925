"""Opening the SQLite file: checked first, so a bad ``--db`` is one clear sentence, not a
traceback; created readable by its owner only (it holds the JWT signing key)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3

from .store import Store
from .tables import BACKFILL_FACTS, FACTS_TRIGGER, SCHEMA

SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA user_version of a database this version of the mock made: another value is another
# program's file, or another version's tables. Version 2 (0.1.0) lacks the conformance tables,
# which are added to it; versions 2 and 3 lack the stats' facts, which are read from the records.
SCHEMA_VERSION = 4
UPGRADABLE = (2, 3)  # versions upgraded in place (_upgrade_from_2, then BACKFILL_FACTS)


class DatabaseError(Exception):
    """The database file cannot be used; the message says which file and why."""


def connect(path: str) -> sqlite3.Connection:
    """A connection in autocommit mode. ``synchronous = OFF``: a commit is handed to the system
    and not forced to the disk, so a record survives the mock being killed (``kill -9``, a
    crash) but not the machine losing power. It is test data; forcing it to the disk (the WAL
    at each checkpoint) took about two thirds of the time of storing a 64 KB image."""
    # check_same_thread off: a connection is used by its thread alone, but closed at a stop
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA synchronous = OFF")
    # Freed pages are not overwritten (this build's default is to zero them): a reset of 2 GiB of
    # images took 38 s and wrote 2 GiB to the write-ahead log; without it, under a second and
    # 1 MiB. Nothing secret lies in them: the journal keeps credentials as fingerprints.
    connection.execute("PRAGMA secure_delete = OFF")
    return connection


def release(path: str, connections: list[sqlite3.Connection]) -> None:
    """A clean stop: close the workers' connections, then fold the write-ahead log into the file;
    the last connection to close removes the -wal and -shm files."""
    for connection in connections:
        with contextlib.suppress(sqlite3.Error):
            connection.close()
    with contextlib.suppress(sqlite3.Error):
        last = connect(path)
        last.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        last.close()


def check_path(path: str) -> None:
    """DatabaseError unless ``path`` is a file this mock can create or open."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a directory; give a file name, such as {path}/mock.sqlite3")
    if not os.path.isdir(folder):
        raise DatabaseError(f"{path}: the folder {folder} does not exist")
    if not os.path.exists(path):
        if not os.access(folder, os.W_OK):
            raise DatabaseError(f"{path}: the folder {folder} cannot be written")
        return
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not an SQLite database; give a new file name")
    if not os.access(path, os.W_OK):
        raise DatabaseError(f"{path} is read-only; the mock writes to its database")


def initialise(path: str) -> str:
    """Check the file, create it (mode 0600) and its tables, switch to WAL; the JWT signing key,
    made once per file. DatabaseError when the file cannot be used."""
    check_path(path)
    if not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # WAL files take this mode
    try:
        connection = connect(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot be opened: {exc}") from None
    try:
        version = _check_schema(connection, path)
        connection.execute("PRAGMA journal_mode = WAL")
        if version == 2:
            _upgrade_from_2(connection)
        connection.executescript(SCHEMA)
        connection.execute(FACTS_TRIGGER)
        if version in UPGRADABLE:
            connection.execute(BACKFILL_FACTS)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        key = secrets.token_hex(32)
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('jwt_secret', ?)", (key,))
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('clock_offset', '0')")
        connection.execute("INSERT OR IGNORE INTO meta VALUES ('strict', '')")
        return Store(connection).meta("jwt_secret")
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot be used as the mock's database: {exc}") from None
    finally:
        connection.close()


def _check_schema(connection: sqlite3.Connection, path: str) -> int | None:
    """The file's schema version (None for a new file); DatabaseError for another program's."""
    tables = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if tables and version != SCHEMA_VERSION and version not in UPGRADABLE:
        raise DatabaseError(
            f"{path} holds tables of another program or another version of the mock "
            f"(schema version {version}, this mock's is {SCHEMA_VERSION}); give a new file name"
        )
    return version if tables else None


def _upgrade_from_2(connection: sqlite3.Connection) -> None:
    """Version 2 (0.1.0) to 3: the predictions table made again with each record's image size
    and SHA-256, room for the warnings it was accepted with (the page finds them again for
    older records), and the image last; the conformance tables come with SCHEMA."""
    old = "id, deployment_id, received_at, timestamp, origin, body, dedupe_key, shadow, image"
    connection.execute("BEGIN IMMEDIATE")  # all or nothing: a crash leaves version 2 as it was
    connection.execute("ALTER TABLE predictions RENAME TO predictions_v2")
    connection.execute("DROP INDEX IF EXISTS predictions_by_deployment")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute(f"INSERT INTO predictions ({old}) SELECT {old} FROM predictions_v2")
    connection.execute("DROP TABLE predictions_v2")
    rows = connection.execute("SELECT rowid, image FROM predictions WHERE image IS NOT NULL")
    for rowid, image in rows.fetchall():
        digest = hashlib.sha256(image).hexdigest()
        connection.execute(
            "UPDATE predictions SET image_size = ?, image_sha256 = ? WHERE rowid = ?",
            (len(image), digest, rowid),
        )
    connection.execute("COMMIT")
