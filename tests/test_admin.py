"""The admin API: health, journal, stored records, images, reset, clock and faults."""

from __future__ import annotations

import json
import time

import pytest

from mockserver.app import create_app
from mockserver.config import Config
from picsellia_contract import retry_after_statuses

from .helpers import assert_conforms, assert_error, sdk_payload


def test_health(client):
    response = client.get("/__admin/health")
    assert response.status_code == 200
    assert_conforms("admin-health-response", response.json)
    assert response.json["deployments"] == 7


def test_journal_records_each_request_newest_first_with_problems(client, ids):
    client.post("/api/login", json={"api_token": "demo-api-token"})
    client.post(
        "/api/auth/login", json={"api_token": "demo-api-token", "deployment_id": ids["MASK"]}
    )
    journal = client.get("/__admin/requests").json
    assert_conforms("admin-journal-response", journal)
    newest, oldest = journal["entries"]
    assert (newest["path"], newest["service"], newest["status"]) == (
        "/api/auth/login",
        "monitoring",
        200,
    )
    assert newest["deployment_id"] == ids["MASK"]
    assert (oldest["service"], oldest["status"]) == ("serving", 422)
    assert oldest["problems"][0]["code"] == "missing_property"


def test_journal_filters(client):
    client.post("/api/login", data="x")
    client.post("/api/auth/login", data="x")
    client.get("/__admin/health")
    assert [
        e["service"] for e in client.get("/__admin/requests?service=monitoring").json["entries"]
    ] == ["monitoring"]
    assert len(client.get("/__admin/requests?status=400").json["entries"]) == 2
    assert len(client.get("/__admin/requests?limit=1").json["entries"]) == 1


@pytest.mark.parametrize(
    "query, code",
    [
        ("service=both", "invalid_value"),
        ("status=abc", "wrong_type"),
        ("limit=0", "out_of_range"),
        ("limit=10001", "out_of_range"),
        ("limit=1_0", "wrong_type"),  # int() reads it as 10
        ("limit=%EF%BC%95", "wrong_type"),  # a full-width 5, which int() reads as 5
        ("limit=%205", "wrong_type"),
        ("since=nan", "wrong_type"),
    ],
)
def test_bad_journal_filters_are_422(client, query, code):
    assert_error(client.get("/__admin/requests?" + query), 422, code)


def test_journal_is_bounded(tmp_path):
    app = create_app(Config(db_path=str(tmp_path / "db"), journal_capacity=50))
    client = app.test_client()
    for _ in range(230):
        client.get("/__admin/health")
    entries = client.get("/__admin/requests?limit=50").json["entries"]
    assert len(entries) == 50
    kept = client.get("/__admin/requests").json["count"]  # every entry kept (default limit)
    assert 50 <= kept <= 150


def test_unknown_deployment_and_prediction_are_404(client):
    assert_error(client.get("/__admin/deployments/nope/predictions"), 404, "deployment_not_found")
    assert_error(client.get("/__admin/predictions/nope/image"), 404, "prediction_not_found")


def test_reset_forgets_predictions_journal_faults_and_clock(client, ids, login):
    url = f"/api/deployment/{ids['POINT']}/predictions"
    client.post(url, json=sdk_payload("POINT"), headers=login("monitoring", "POINT"))
    client.post("/__admin/clock", json={"advance_seconds": 100})
    client.post("/__admin/faults", json={"route": "/api/login", "status": 500})
    response = client.post("/__admin/reset", json={})
    assert response.json == {"reset": True}
    assert client.get(f"/__admin/deployments/{ids['POINT']}/predictions").json["count"] == 0
    assert client.get("/__admin/health").json["clock_offset_seconds"] == 0
    assert client.delete("/__admin/faults").json == {"faults": []}
    paths = [e["path"] for e in client.get("/__admin/requests").json["entries"]]
    assert paths[-1] == "/__admin/reset"  # the reset itself is the oldest entry left
    assert not [p for p in paths if p.startswith("/api/")]


def test_clock_moves_forward(client):
    response = client.post("/__admin/clock", json={"advance_seconds": 3600})
    assert_conforms("admin-clock-response", response.json)
    assert response.json["offset_seconds"] == 3600
    assert response.json["now"] > time.time() + 3590
    assert_error(client.post("/__admin/clock", json={"advance_seconds": -1}), 422, "out_of_range")


@pytest.mark.parametrize("status", [409, 429, 500, 502, 503, 504])
def test_fault_fails_the_next_calls_of_a_route(client, ids, status):
    fault = {"route": "/api/login", "status": status, "times": 2}
    if status in retry_after_statuses():
        fault["retry_after"] = 3
    armed = client.post("/__admin/faults", json=fault)
    assert armed.status_code == 201
    assert_conforms("admin-faults-response", armed.json)
    body = {"api_token": "demo-api-token", "deployment_id": ids["MASK"]}
    for _ in range(2):
        response = client.post("/api/login", json=body)
        error = assert_error(response, status, "injected_fault")
        assert "message" in error
        assert response.headers.get("Retry-After") == (
            "3" if status in retry_after_statuses() else None
        )
    assert client.post("/api/login", json=body).status_code == 200


@pytest.mark.parametrize("status", [409, 500, 502, 504])
def test_retry_after_goes_only_with_429_and_503(client, status):
    fault = {"route": "/api/login", "status": status, "retry_after": 3}
    response = client.post("/__admin/faults", json=fault)
    error = assert_error(response, 422, "invalid_value", "/status")
    assert "429 or 503" in error["message"]
    assert client.delete("/__admin/faults").json["faults"] == []


def test_fault_without_status_only_delays(client, ids):
    client.post("/__admin/faults", json={"route": "/api/auth/login", "delay_ms": 300})
    body = {"api_token": "demo-api-token", "deployment_id": ids["MASK"]}
    start = time.monotonic()
    assert client.post("/api/auth/login", json=body).status_code == 200
    assert time.monotonic() - start >= 0.3


def test_fault_can_target_one_method(client, ids, login):
    client.post(
        "/__admin/faults", json={"route": "/api/deployment/{id}", "method": "GET", "status": 503}
    )
    url = f"/api/deployment/{ids['MASK']}"
    assert client.get(url, headers=login("monitoring", "MASK")).status_code == 503
    assert client.get(url, headers=login("monitoring", "MASK")).status_code == 200


def test_faults_are_listed_and_cleared(client):
    client.post("/__admin/faults", json={"route": "/api/login", "status": 500, "times": 3})
    listed = client.post("/__admin/faults", json={"route": "/api/auth/login", "status": 429}).json
    assert [(f["route"], f["remaining"]) for f in listed["faults"]] == [
        ("/api/login", 3),
        ("/api/auth/login", 1),
    ]
    assert client.delete("/__admin/faults").json == {"faults": []}


def test_get_lists_the_armed_faults_until_they_are_spent(client, ids):
    assert client.get("/__admin/faults").json == {"faults": []}
    client.post("/__admin/faults", json={"route": "/api/login", "status": 500, "times": 2})
    listed = client.get("/__admin/faults")
    assert listed.status_code == 200
    assert_conforms("admin-faults-response", listed.json)
    assert [(f["route"], f["status"], f["remaining"]) for f in listed.json["faults"]] == [
        ("/api/login", 500, 2)
    ]
    body = {"api_token": "demo-api-token", "deployment_id": ids["MASK"]}
    client.post("/api/login", json=body)
    assert [f["remaining"] for f in client.get("/__admin/faults").json["faults"]] == [1]
    client.post("/api/login", json=body)
    assert client.get("/__admin/faults").json == {"faults": []}


def test_the_driver_lists_the_armed_faults(picsellia_mock):
    assert picsellia_mock.faults() == []
    picsellia_mock.add_fault("/api/auth/login", status=503, retry_after=2)
    assert [(f["route"], f["retry_after"]) for f in picsellia_mock.faults()] == [
        ("/api/auth/login", 2)
    ]
    picsellia_mock.clear_faults()
    assert picsellia_mock.faults() == []


@pytest.mark.parametrize(
    "fault, code, pointer",
    [
        ({"route": "/api/logon", "status": 500}, "invalid_value", "/route"),
        ({"status": 500}, "missing_property", "/route"),
        ({"route": "/api/login", "status": 200}, "out_of_range", "/status"),
        ({"route": "/api/login", "times": 0}, "out_of_range", "/times"),
        ({"route": "/api/login", "colour": 1}, "unknown_property", "/colour"),
    ],
    ids=["unknown-route", "no-route", "success-status", "zero-times", "unknown-field"],
)
def test_bad_fault_requests_are_422(client, fault, code, pointer):
    assert_error(client.post("/__admin/faults", json=fault), 422, code, pointer)


def test_strict_mode_can_be_turned_on_until_reset(client, ids, login):
    payload = sdk_payload("POINT")
    payload["raw_predictions"]["detection_scores"] = [1.5] * len(
        payload["raw_predictions"]["detection_classes"]
    )
    url = f"/api/deployment/{ids['POINT']}/predictions"
    assert client.post("/__admin/strict", json={"strict": True}).json == {"strict": True}
    assert client.get("/__admin/health").json["strict"] is True
    assert_error(
        client.post(url, json=payload, headers=login("monitoring", "POINT")),
        422,
        "score_out_of_range",
    )
    client.post("/__admin/reset", json={})
    assert client.get("/__admin/health").json["strict"] is False
    assert client.post(url, json=payload, headers=login("monitoring", "POINT")).status_code == 201


def test_a_fault_can_move_the_clock_so_the_token_expires_on_that_call(client, ids, login):
    headers = login("monitoring", "MASK")
    fault = {"route": "/api/deployment/{id}", "method": "GET", "advance_clock_seconds": 7200}
    assert (
        client.post("/__admin/faults", json=fault).json["faults"][0]["advance_clock_seconds"]
        == 7200
    )
    url = f"/api/deployment/{ids['MASK']}"
    assert_error(client.get(url, headers=headers), 401, "token_expired")
    assert client.get(url, headers=login("monitoring", "MASK")).status_code == 200


def test_a_fault_on_one_deployment_leaves_the_others_alone(client, ids, login):
    fault = {"route": f"/api/deployment/{ids['LINE']}", "status": 503, "times": 5}
    assert client.post("/__admin/faults", json=fault).json["faults"][0]["target"] == ids["LINE"]
    assert (
        client.get(
            f"/api/deployment/{ids['MASK']}", headers=login("monitoring", "MASK")
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"/api/deployment/{ids['LINE']}", headers=login("monitoring", "LINE")
        ).status_code
        == 503
    )


def test_validate_answers_what_the_cli_prints_for_any_message(client, tmp_path, capsys):
    from picsellia_mock.cli import main

    payload = sdk_payload("POINT")
    payload["raw_predictions"]["detection_scores"].append(0.5)  # one score too many
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload))
    for strict in ("false", "true"):
        url = (
            f"/__admin/validate/monitoring-prediction-request?deployment_type=POINT&strict={strict}"
        )
        answer = client.post(url, json=payload)
        assert answer.status_code == 200
        assert_conforms("admin-validate-response", answer.json)
        argv = ["validate", "monitoring-prediction-request", str(path), "--json"]
        argv += ["--deployment-type", "POINT"] + (["--strict"] if strict == "true" else [])
        assert main(argv) == 1
        assert json.loads(capsys.readouterr().out) == answer.json
    assert answer.json["valid"] is False
    codes = {p["code"] for p in answer.json["problems"]}
    assert codes == {"list_length_mismatch"}


def test_validate_refuses_an_unknown_message_and_a_bad_query(client):
    assert_error(
        client.post("/__admin/validate/no-such-message", json={}), 404, "message_not_found"
    )
    bad = client.post("/__admin/validate/login-request?deployment_type=ROBOT", json={})
    assert_error(bad, 422, "invalid_value", "/deployment_type")
    assert_error(
        client.post("/__admin/validate/login-request", data="{", content_type="application/json"),
        400,
        "invalid_json",
    )
