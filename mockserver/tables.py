"""The SQLite tables of the mock (schema version in ``database.SCHEMA_VERSION``), and the column
lists the store reads and writes them with, and values as SQLite keeps them."""

import math
from typing import Any

from picsellia_contract.registry import item_keys

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    id TEXT PRIMARY KEY,
    deployment_id TEXT NOT NULL,
    received_at REAL NOT NULL,
    timestamp REAL NOT NULL,
    origin TEXT NOT NULL,
    body TEXT NOT NULL,
    dedupe_key TEXT,
    shadow TEXT,
    image_size INTEGER,
    image_sha256 TEXT,
    warnings TEXT,
    image BLOB,  -- last: SQLite walks a large value's overflow pages to reach a column after it
    UNIQUE (deployment_id, dedupe_key)
);
CREATE INDEX IF NOT EXISTS predictions_by_deployment ON predictions (deployment_id, timestamp);
-- the page's newest records: read from this index, newest first, up to its limit
CREATE INDEX IF NOT EXISTS predictions_by_arrival ON predictions (received_at, deployment_id);
-- the images kept, oldest first, with their sizes: what the image budget sums and drops after
-- each stored image (without it, a walk of every record's first page)
CREATE INDEX IF NOT EXISTS predictions_with_image ON predictions (received_at, image_size)
    WHERE image IS NOT NULL;
-- What the stats read of each record, one narrow row per prediction (the FACTS trigger writes
-- it with the record): many to a page, so a deployment's stats never walk the records' pages.
CREATE TABLE IF NOT EXISTS prediction_facts (
    id INTEGER PRIMARY KEY,  -- the record's rowid in predictions
    deployment_id TEXT NOT NULL,
    received_at REAL NOT NULL,
    timestamp REAL NOT NULL,
    latency REAL,
    classes TEXT,  -- raw_predictions.detection_classes, as JSON
    instances INTEGER,
    score_sum REAL,
    score_count INTEGER,
    tags TEXT  -- as JSON, or NULL
);
CREATE INDEX IF NOT EXISTS facts_by_deployment ON prediction_facts (deployment_id, received_at);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    route TEXT,
    operation TEXT,
    service TEXT,
    deployment_id TEXT,
    status INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    problems TEXT NOT NULL,
    request TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    route TEXT NOT NULL,
    method TEXT,
    status INTEGER,
    remaining INTEGER NOT NULL,
    delay_ms INTEGER NOT NULL,
    retry_after INTEGER,
    advance_clock_seconds REAL NOT NULL,
    target TEXT
);
CREATE TABLE IF NOT EXISTS scenario_started (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    names TEXT NOT NULL,
    started REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS verdicts (
    name TEXT PRIMARY KEY,
    graded REAL NOT NULL,
    verdict TEXT NOT NULL
);
"""


def facts_of(row: str) -> str:
    """The prediction_facts row of the record ``row`` (``NEW`` in a trigger, ``predictions`` in
    a backfill), read from its body by SQLite's JSON functions."""
    raw = "'$.raw_predictions.detection_classes'"
    scores = "'$.raw_predictions.detection_scores'"
    return (
        f"SELECT {row}.rowid, {row}.deployment_id, {row}.received_at, {row}.timestamp, "
        f"json_extract({row}.body, '$.latency'), json_extract({row}.body, {raw}), "
        f"json_array_length({row}.body, {raw}), "
        f"(SELECT total(value) FROM json_each({row}.body, {scores})), "
        f"json_array_length({row}.body, {scores}), json_extract({row}.body, '$.tags')"
    )


# Kept apart from SCHEMA, which is run a statement at a time when a version 2 file is upgraded.
FACTS_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS facts AFTER INSERT ON predictions BEGIN
    INSERT INTO prediction_facts {facts_of("NEW")};
END
"""
BACKFILL_FACTS = (
    f"INSERT OR IGNORE INTO prediction_facts {facts_of('predictions')} FROM predictions"
)

INSERT_PREDICTION = (
    "INSERT INTO predictions (id, deployment_id, received_at, timestamp, origin, body, image, "
    "dedupe_key, shadow, image_size, image_sha256, warnings) VALUES (:id, :deployment_id, "
    ":received_at, :timestamp, :origin, :body, {image}, :dedupe_key, :shadow, :image_size, "
    ":image_sha256, :warnings)"
)
# Every column of a record but the image bytes: what lists, stats and the page read, so that
# their cost does not grow with the images stored.
RECORD_COLUMNS = (
    "id, deployment_id, received_at, timestamp, origin, body, shadow, image_size, "
    "image_sha256, warnings, typeof(image) = 'blob' AS has_image"  # typeof reads no bytes
)


def insert_sql(table: str, row: dict[str, Any]) -> str:
    """INSERT of one row whose keys are the table's columns (never user input: our own keys)."""
    columns = ", ".join(row)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + key for key in row)})"  # noqa: S608


def fault_columns() -> tuple[str, ...]:
    """What an armed fault stores: admin-faults-response.json's keys but the id."""
    return tuple(key for key in item_keys("admin-faults-response", "faults") if key != "id")


def as_real(value: float | int | None) -> float | None:
    """A JSON number as SQLite's REAL: an integer too large for a double is +/- infinity
    (SQLite cannot bind a Python int beyond 64 bits)."""
    if value is None:
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def as_text(value: str | None) -> str | None:
    """A string as SQLite's TEXT, which is UTF-8: a lone surrogate (JSON can escape one, UTF-8
    cannot carry it) is written as its escape, ``\\ud800``."""
    if value is None or value.isascii():
        return value
    return value.encode("utf-8", "backslashreplace").decode("utf-8")
