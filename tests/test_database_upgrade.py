"""A database made by version 0.1.0 of the mock (schema version 2) is upgraded in place: its
records keep their bodies and images and gain their image's size and SHA-256. A version 2 or 3
file gains the stats' facts of the records it holds."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from mockserver import stats
from mockserver.app import create_app
from mockserver.config import Config
from mockserver.database import SCHEMA_VERSION, connect, initialise

from .helpers import image

# The tables of version 2, as 0.1.0 made them (mockserver/store.py at that release).
SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS predictions (
    id TEXT PRIMARY KEY,
    deployment_id TEXT NOT NULL,
    received_at REAL NOT NULL,
    timestamp REAL NOT NULL,
    origin TEXT NOT NULL,
    body TEXT NOT NULL,
    image BLOB,
    dedupe_key TEXT,
    shadow TEXT,
    UNIQUE (deployment_id, dedupe_key)
);
CREATE INDEX IF NOT EXISTS predictions_by_deployment ON predictions (deployment_id, timestamp);
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
"""


def point_id() -> str:
    return next(d.id for d in Config().deployments.values() if d.type == "POINT")


def test_a_version_2_file_is_upgraded_and_its_records_are_read(tmp_path):
    path = tmp_path / "v2.sqlite3"
    png = image("PNG")
    body = {"filename": "frame.png", "image": None, "width": 64, "height": 48, "tags": []}
    body["latency"] = 0.25
    body["raw_predictions"] = {"detection_classes": [1], "detection_scores": [1]}
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA_V2)
        db.execute("INSERT INTO meta VALUES ('jwt_secret', 'k'), ('clock_offset', '0')")
        db.execute("INSERT INTO meta VALUES ('strict', '')")
        db.execute(
            "INSERT INTO predictions VALUES ('p1', ?, 1.0, 1.0, 'monitoring', ?, ?, NULL, NULL)",
            (point_id(), json.dumps(body), png),
        )
        db.execute("PRAGMA user_version = 2")
    app = create_app(Config(db_path=str(path)))
    client = app.test_client()
    deployment = point_id()
    [record] = client.get(f"/__admin/deployments/{deployment}/predictions").json["predictions"]
    assert record["id"] == "p1"
    assert record["body"]["image"] == {"size": len(png), "sha256": hashlib.sha256(png).hexdigest()}
    assert client.get("/__admin/predictions/p1/image").data == png
    drawn = client.get("/__web/predictions").json["predictions"]
    assert [p["id"] for p in drawn] == ["p1"] and drawn[0]["image_url"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in db.execute("PRAGMA table_info(predictions)")]
    assert columns[-1] == "image"  # last: reading the other columns skips its pages
    assert_stats_count_the_record(path, deployment)


def assert_stats_count_the_record(path, deployment_id):
    point = next(d for d in Config().deployments.values() if d.id == deployment_id)
    db = connect(str(path))
    try:
        answer = stats.compute(point, {"service": "metrics"}, db)
    finally:
        db.close()
    assert answer["count"] == 1 and answer["values"]["latency_mean"] == 0.25


def test_a_version_3_file_gains_the_facts_of_its_records(tmp_path):
    """Version 3 (this release's first form) had no facts table: made as 3 made it, a record
    stored, then upgraded by starting the mock on it."""
    path = tmp_path / "v3.sqlite3"
    initialise(str(path))
    body = {"filename": "f.png", "latency": 0.25, "tags": []}
    body["raw_predictions"] = {"detection_classes": [0], "detection_scores": [0.5]}
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER facts")
        db.execute("DROP TABLE prediction_facts")
        db.execute(
            "INSERT INTO predictions (id, deployment_id, received_at, timestamp, origin, body) "
            "VALUES ('p1', ?, 1.0, 1.0, 'monitoring', ?)",
            (point_id(), json.dumps(body)),
        )
        db.execute("PRAGMA user_version = 3")
    create_app(Config(db_path=str(path)))
    assert_stats_count_the_record(path, point_id())
