"""The stats services: dispatched from common.json#/$defs/stats_service, none missing; each
computed from the facts the records' trigger writes (mockserver/facts.py), never the records."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

from mockserver import facts, stats
from mockserver.config import Deployment
from mockserver.database import connect, initialise
from mockserver.store import Store
from picsellia_contract import load_schema


def enum() -> list[str]:
    return load_schema("common")["$defs"]["stats_service"]["enum"]


def test_every_service_of_the_enum_has_an_implementation_and_no_other():
    assert list(stats.VALUES) == enum()


def test_an_enum_value_without_implementation_is_refused():
    with pytest.raises(LookupError, match="no implementation for \\['drift_v2'\\]"):
        stats.dispatch_table([*enum(), "drift_v2"])


def test_an_implementation_the_enum_does_not_name_is_refused():
    with pytest.raises(LookupError, match="not in the enum: \\['ae_outlier'\\]"):
        stats.dispatch_table([name for name in enum() if name != "ae_outlier"])


DEPLOYMENT = Deployment(id="d", name="n", type="OBJECT_DETECTION", labels=("cat", "dog"))


@pytest.fixture
def db(tmp_path):
    """A mock database (its tables and the facts trigger) with no record."""
    path = str(tmp_path / "stats.sqlite3")
    initialise(path)
    connection = connect(path)
    yield connection
    connection.close()


def store(db, latency, classes, scores, tags=None, timestamp=1.0e9, received_at=None):
    """One record of DEPLOYMENT, as the monitoring route stores it (image bytes included)."""
    body = {"latency": latency, "raw_predictions": {"detection_classes": classes}}
    body["raw_predictions"]["detection_scores"] = scores
    if tags is not None:
        body["tags"] = tags
    stamp = received_at if received_at is not None else timestamp
    record = {
        "id": str(uuid.uuid4()),
        "deployment_id": DEPLOYMENT.id,
        "received_at": stamp,
        "timestamp": timestamp,
        "origin": "monitoring",
        "body": json.dumps(body),
        "image": b"\x89PNG" * 2048,
        "dedupe_key": None,
        "shadow": None,
        "image_size": 8192,
        "image_sha256": "0" * 64,
        "warnings": "[]",
    }
    Store(db).add_prediction(record)


def values(db, service, **query):
    return stats.compute(DEPLOYMENT, {"service": service, **query}, db)


@pytest.mark.parametrize("service", enum())
def test_each_service_answers_numbers(db, service):
    store(db, 0.5, [0], [0.9])
    store(db, 0.5, [0], [0.9])
    answer = values(db, service)
    assert answer["count"] == 2
    assert answer["values"] and all(isinstance(v, int | float) for v in answer["values"].values())


@pytest.mark.parametrize("service", enum())
def test_each_service_answers_zeros_for_no_record(db, service):
    answer = values(db, service)
    assert answer["count"] == 0
    assert all(v == 0 for v in answer["values"].values())


def test_metrics_and_object_detection_are_those_of_the_stored_bodies(db):
    store(db, 0.5, [0, 1], [0.9, 0.7])
    store(db, 1, [1], [0.2])
    assert values(db, "metrics")["values"] == {
        "count": 2,
        "latency_mean": 0.75,
        "latency_min": 0.5,
        "latency_max": 1.0,
        "score_mean": pytest.approx(0.6),
    }
    detection = values(db, "object_detection")["values"]
    assert detection["instances_total"] == 3 and detection["instances_per_image_mean"] == 1.5


def test_labels_are_named_and_unknown_indices_kept_as_text(db):
    store(db, 0.5, [0, 1, 1, 7], [0.9] * 4)
    store(db, 0.5, [-1, 1], [0.9] * 2)
    expected = {"cat": 1, "dog": 3, "7": 1, "-1": 1}
    assert values(db, "label_distribution")["values"] == expected


def test_a_class_index_past_64_bits_is_counted_under_its_own_digits(db):
    store(db, 0.5, [0, 10**30], [0.9, 0.9])
    assert values(db, "classification")["values"] == {"cat": 1, str(10**30): 1}


def test_the_window_and_the_tags_choose_the_records(db):
    store(db, 1.0, [0], [0.9], tags=["night"], timestamp=100.0)
    store(db, 2.0, [0], [0.9], tags=["day", "rain"], timestamp=200.0)
    store(db, 4.0, [0], [0.9], timestamp=300.0)
    assert values(db, "metrics", since=150)["values"]["latency_mean"] == 3.0
    assert values(db, "metrics", from_timestamp=150, to_timestamp=250)["count"] == 1
    assert values(db, "metrics", to_timestamp=10**400 // 10**300)["count"] == 3
    assert values(db, "metrics", tags=["rain", "fog"])["values"]["latency_max"] == 2.0
    assert values(db, "metrics", tags=["night", "day"])["count"] == 2


def test_ks_drift_compares_the_older_half_with_the_newer(db):
    # halves by arrival [1, 5] and [5, 5, 5] (by timestamp they would be [5, 5] and [5, 5, 1])
    for n, latency in enumerate([1.0, 5.0, 5.0, 5.0, 5.0]):
        store(db, latency, [0], [0.9], received_at=10.0 + n, timestamp=50.0 - n)
    assert values(db, "ks_drift")["values"] == {"latency_ks_statistic": 0.5}


def test_ae_outlier_counts_latencies_over_three_deviations(db):
    for _ in range(20):
        store(db, 1.0, [0], [0.9])
    store(db, 100.0, [0], [0.9])
    assert values(db, "ae_outlier")["values"] == {"latency_outliers": 1}


@pytest.mark.parametrize("service", enum())
def test_stats_read_the_facts_never_the_records(db, service):
    """The records' table (the image bytes' pages) is not read by any service."""
    store(db, 0.5, [0], [0.9], tags=["a"])
    read = set()

    def authorizer(action, table, *_):
        if action == sqlite3.SQLITE_READ:
            read.add(table)
        return sqlite3.SQLITE_OK

    db.set_authorizer(authorizer)
    values(db, service, tags=["a"], since=0)
    db.set_authorizer(None)
    assert "prediction_facts" in read and "predictions" not in read


def test_the_count_and_the_values_are_of_one_state_while_another_worker_stores(db, monkeypatch):
    """Another worker (its own connection) stores a record between two of the stats' queries:
    the answer counts the records its values describe, not the one stored meanwhile."""
    store(db, 0.5, [0], [0.9])
    [(_, _, path)] = db.execute("PRAGMA database_list").fetchall()
    other = connect(path)
    read = facts.Window._rows

    def read_then_store(window, sql):
        rows = read(window, sql)
        if other.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == 1:
            store(other, 0.5, [1], [0.9])
        return rows

    monkeypatch.setattr(facts.Window, "_rows", read_then_store)
    try:
        answer = values(db, "label_distribution")
    finally:
        other.close()
    assert (answer["count"], answer["values"]) == (1, {"cat": 1})
