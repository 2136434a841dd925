"""The request journal keeps each request as received, and its filters; the deployments list."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver import faults, journal, model
from mockserver.capture import BODY_LIMIT
from mockserver.config import Config, Deployment
from mockserver.tables import SCHEMA
from picsellia_contract.geometry import geometry_of
from picsellia_contract.registry import item_keys

from .helpers import assert_conforms, image, sdk_payload


def entries(client, query: str = "") -> list[dict]:
    answer = client.get("/__admin/requests" + query)
    assert answer.status_code == 200, answer.json
    assert_conforms("admin-journal-response", answer.json)
    return answer.json["entries"]


def test_deployments_lists_every_configured_one_with_its_tokens(client, config):
    answer = client.get("/__admin/deployments").json
    assert_conforms("admin-deployments-response", answer)
    listed = {d["id"]: d for d in answer["deployments"]}
    assert answer["count"] == len(config.deployments) == 7
    for deployment in config.deployments.values():
        entry = listed[deployment.id]
        assert (entry["type"], entry["name"]) == (deployment.type, deployment.name)
        assert entry["api_tokens"] == list(deployment.api_tokens) and entry["monitorable"]


def test_a_monitoring_post_is_kept_as_received(client, ids, login):
    headers = login("monitoring", "POINT")
    payload = sdk_payload("POINT")
    data = base64.b64decode(payload["image"])
    client.post(
        f"/api/deployment/{ids['POINT']}/predictions?x=1&x=2", json=payload, headers=headers
    )
    [entry] = entries(client, "?route=monitorPrediction")
    assert (entry["operation"], entry["route"]) == (
        "monitorPrediction",
        "/api/deployment/{id}/predictions",
    )
    assert entry["deployment_id"] == ids["POINT"] and entry["status"] == 201
    request = entry["request"]
    assert request["query"] == {"x": ["1", "2"]}
    token = headers["Authorization"].split(" ", 1)[1]
    fingerprint = "sha256:" + hashlib.sha256(token.encode()).hexdigest()[:12]
    assert request["headers"]["Authorization"] == "Bearer " + fingerprint
    assert token not in json.dumps(entry)
    assert request["body_kind"] == "json" and not request["body_truncated"]
    assert request["body"]["image"] == {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert request["body"]["raw_predictions"] == payload["raw_predictions"]


def test_a_multipart_predict_is_kept_as_its_parts_in_order(client, ids, login):
    data = {"tags": ["a", "b"], "monitor": "False", "media": (io.BytesIO(image()), "f.png")}
    client.post(
        f"/api/deployments/{ids['LINE']}/predict", data=data, headers=login("serving", "LINE")
    )
    [entry] = entries(client, "?route=predict")
    parts = entry["request"]["body"]
    assert [p["name"] for p in parts] == ["tags", "tags", "monitor", "media"]
    assert [p.get("value") for p in parts[:3]] == ["a", "b", "False"]
    media = parts[3]
    assert media["filename"] == "f.png" and media["size"] == len(image())
    assert media["sha256"] == hashlib.sha256(image()).hexdigest()


def test_a_large_body_is_cut_with_a_marker(client, ids, login):
    payload = sdk_payload("POINT")
    payload["metadata"] = {"notes": "x" * (BODY_LIMIT + 10)}
    client.post(
        f"/api/deployment/{ids['POINT']}/predictions",
        json=payload,
        headers=login("monitoring", "POINT"),
    )
    [entry] = entries(client, "?route=monitorPrediction")
    assert entry["request"]["body_truncated"] is True
    assert isinstance(entry["request"]["body"], str) and len(entry["request"]["body"]) == BODY_LIMIT


def test_filters_by_route_deployment_status_time_and_after_id(client, ids, login):
    login("monitoring", "POINT")
    login("serving", "MASK")
    client.get(f"/api/deployment/{ids['LINE']}")  # 401
    everything = entries(client, "?order=oldest")
    assert [e["operation"] for e in everything] == [
        "monitoringLogin",
        "servingLogin",
        "deploymentInfo",
    ]
    assert [e["operation"] for e in entries(client, f"?deployment_id={ids['MASK']}")] == [
        "servingLogin"
    ]
    assert [e["status"] for e in entries(client, "?status=401")] == [401]
    assert [e["operation"] for e in entries(client, "?route=/api/login")] == ["servingLogin"]
    first = everything[0]["id"]
    assert len(entries(client, f"?after_id={first}")) == 2
    assert entries(client, f"?since={time.time() + 3600}") == []
    assert len(entries(client, "?limit=1")) == 1


@given(st.sampled_from(["OBJECT_DETECTION", "SEGMENTATION", "LINE"]), st.binary(max_size=64))
def test_the_simulated_model_draws_no_degenerate_shape(type_, data):
    deployment = Deployment("d", type_, "d", ("a",), ("t",))
    geometry = geometry_of(type_)
    for size in ((1, 1), (2, 3), (640, 480)):
        raw = model.predict(deployment, data, size, seed=0)
        for shape in raw[geometry.key]:
            if geometry.shape == "box":
                y1, x1, y2, x2 = shape
                assert y1 < y2 and x1 < x2 and x2 <= size[0] and y2 <= size[1]
            elif geometry.shape == "polygon":
                xs, ys = {p[0] for p in shape}, {p[1] for p in shape}
                assert len(xs) > 1 and len(ys) > 1  # an area
            else:
                assert all(a != b for a, b in zip(shape, shape[1:], strict=False))


@pytest.fixture
def config(tmp_path):
    return Config(db_path=str(tmp_path / "mock.sqlite3"))


def test_a_journal_that_cannot_be_written_changes_no_answer(client, ids, login, monkeypatch):
    """The answer is decided before the journal is written: a failing write is only logged, so
    the client sees its 201 and the record is stored (a retry would otherwise get a 409)."""
    import sqlite3

    from mockserver.store import Store

    headers = login("monitoring", "POINT")

    def fail(self, entry, capacity):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "log", fail)
    answer = client.post(
        f"/api/deployment/{ids['POINT']}/predictions", json=sdk_payload("POINT"), headers=headers
    )
    assert answer.status_code == 201, answer.json
    monkeypatch.undo()
    [stored] = client.get(f"/__admin/deployments/{ids['POINT']}/predictions").json["predictions"]
    assert stored["id"] == answer.json["id"]
    operations = [e["operation"] for e in entries(client)]
    assert "monitorPrediction" not in operations and "adminPredictions" in operations


@pytest.mark.parametrize(
    "table, message, field, derived",
    [
        ("journal", "admin-journal-response", "entries", {"codes"}),
        ("faults", "admin-faults-response", "faults", set()),
    ],
)
def test_the_stored_columns_are_the_schemas_keys(table, message, field, derived):
    """The admin answers' keys are read from the schema; the tables must hold each of them."""
    connection = sqlite3.connect(":memory:")
    connection.executescript(SCHEMA)
    columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
    assert set(item_keys(message, field)) == columns | derived
    assert journal.entry_keys() == item_keys("admin-journal-response", "entries")
    assert faults.fault_keys() == item_keys("admin-faults-response", "faults")


def test_a_listed_fault_and_an_entry_have_the_schemas_keys_in_order(client):
    armed = client.post("/__admin/faults", json={"route": "/api/login", "status": 500})
    [fault] = armed.json["faults"]
    assert tuple(fault) == item_keys("admin-faults-response", "faults")
    entry = entries(client)[0]
    assert tuple(entry) == item_keys("admin-journal-response", "entries")
