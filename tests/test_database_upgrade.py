"""A database made by version 0.1.0 of the mock (schema version 2) is upgraded in place: its
records keep their bodies and images and gain their image's size and SHA-256."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from mockserver.app import create_app
from mockserver.config import Config

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
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        columns = [row[1] for row in db.execute("PRAGMA table_info(predictions)")]
    assert columns[-1] == "image"  # last: reading the other columns skips its pages
