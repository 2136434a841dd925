"""The ``picsellia_mock`` fixture: a live server with demo credentials and admin helpers."""

from __future__ import annotations

import json

import requests

from .helpers import image, sdk_payload


def monitoring_headers(mock, type_="OBJECT_DETECTION"):
    body = {"api_token": mock.api_token, "deployment_id": mock.deployments[type_]}
    token = requests.post(mock.base_url + "/api/auth/login", data=json.dumps(body), timeout=10)
    return {"Authorization": "Bearer " + token.json()["jwt"]}


def test_fixture_serves_both_services_on_loopback(picsellia_mock):
    assert picsellia_mock.base_url.startswith("http://127.0.0.1:")
    assert len(picsellia_mock.deployments) == 7
    deployment_id = picsellia_mock.deployments["POINT"]
    url = f"{picsellia_mock.base_url}/api/deployment/{deployment_id}/predictions"
    response = requests.post(
        url,
        data=json.dumps(sdk_payload("POINT")),
        headers=monitoring_headers(picsellia_mock, "POINT"),
        timeout=10,
    )
    assert response.status_code == 201
    [record] = picsellia_mock.predictions("POINT")
    assert picsellia_mock.image(record["id"]) == image()


def test_each_test_starts_from_a_reset_server(picsellia_mock):
    assert picsellia_mock.predictions("POINT") == []
    assert [e for e in picsellia_mock.requests() if e["service"] != "admin"] == []


def test_sdk_style_multipart_without_part_content_type(picsellia_mock):
    body = {
        "api_token": picsellia_mock.api_token,
        "deployment_id": picsellia_mock.deployments["MASK"],
    }
    token = requests.post(
        picsellia_mock.base_url + "/api/login", data=json.dumps(body), timeout=10
    ).json()["jwt"]
    url = f"{picsellia_mock.base_url}/api/deployments/{picsellia_mock.deployments['MASK']}/predict"
    fields = [("tags", "a"), ("tags", "b"), ("monitor", "False"), ("postprocess", "False")]
    files = {"media": ("frame.png", image())}  # a 2-tuple: no per-part Content-Type
    response = requests.post(
        url, data=fields, files=files, headers={"Authorization": "Bearer " + token}, timeout=10
    )
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "MASK"


def test_helpers_drive_faults_and_the_clock(picsellia_mock):
    picsellia_mock.add_fault("/api/auth/login", status=503, retry_after=2)
    body = {
        "api_token": picsellia_mock.api_token,
        "deployment_id": picsellia_mock.deployments["LINE"],
    }
    response = requests.post(picsellia_mock.base_url + "/api/auth/login", json=body, timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    headers = monitoring_headers(picsellia_mock, "LINE")
    picsellia_mock.advance_clock(7200)
    info = requests.get(
        f"{picsellia_mock.base_url}/api/deployment/{picsellia_mock.deployments['LINE']}",
        headers=headers,
        timeout=10,
    )
    assert info.status_code == 401
    assert picsellia_mock.clear_faults() == {"faults": []}
