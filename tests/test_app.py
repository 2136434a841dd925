"""The application as a whole: unknown routes, wrong methods, big bodies, unexpected failures."""

from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.config import Config

from .helpers import assert_error, sdk_payload


@pytest.mark.parametrize(
    "path, suggestion",
    [
        ("/api/deployments/abc/predictions", "POST /api/deployment/abc/predictions"),
        ("/api/auth/logon", "POST /api/auth/login"),
        ("/api/v2/deployment/abc/predict", "POST /api/v2/deployments/abc/predict"),
        ("/api/predictions/abc/shadow", "POST /api/prediction/abc/shadow"),
    ],
    ids=["plural-monitoring", "typo", "v2-singular", "plural-shadow"],
)
def test_unknown_route_names_the_nearest_one(client, path, suggestion):
    body = assert_error(client.post(path), 404, "route_not_found")
    assert f"did you mean {suggestion}?" in body["message"]


def test_unrelated_route_gets_no_suggestion(client):
    body = assert_error(client.get("/completely/elsewhere"), 404, "route_not_found")
    assert "did you mean" not in body["message"]


def test_wrong_method_is_405_with_allow(client):
    response = client.get("/api/login")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"] and "GET" not in response.headers["Allow"]


def test_body_over_the_limit_is_413(tmp_path, ids):
    app = create_app(Config(db_path=str(tmp_path / "db"), max_body_bytes=1000))
    client = app.test_client()
    body = '{"api_token": "' + "x" * 2000 + '", "deployment_id": "d"}'
    assert_error(client.post("/api/login", data=body), 413, "body_too_large")


def test_multipart_over_the_limit_is_413(tmp_path, ids):
    import io

    app = create_app(Config(db_path=str(tmp_path / "db"), max_body_bytes=1000))
    client = app.test_client()
    data = {"media": (io.BytesIO(b"x" * 5000), "big.png")}
    response = client.post(f"/api/deployments/{ids['MASK']}/predict", data=data)
    assert_error(response, 413, "body_too_large")


def test_unexpected_failure_is_a_500_without_traceback(app, client, monkeypatch):
    from mockserver import monitoring

    def boom(*args):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(monitoring, "authorize", boom)
    body = assert_error(client.get("/api/deployment/x"), 500, "internal_error")
    assert "secret detail" not in body["message"] and "Traceback" not in body["message"]


def test_the_error_schemas_examples_are_what_the_server_sends(client, ids):
    from picsellia_contract import load_schema

    examples = {e["problems"][0]["code"]: e for e in load_schema("error").get("examples", [])}
    payload = {k: v for k, v in sdk_payload("POINT").items() if k != "filename"}
    login = client.post(
        "/api/auth/login", json={"api_token": "demo-api-token", "deployment_id": ids["POINT"]}
    )
    headers = {"Authorization": "Bearer " + login.json["jwt"]}
    answer = client.post(
        f"/api/deployment/{ids['POINT']}/predictions", json=payload, headers=headers
    )
    sent = answer.json
    example = examples["missing_property"]
    assert (sent["type"], sent["title"], sent["status"]) == (
        example["type"],
        example["title"],
        example["status"],
    )
    client.post("/__admin/clock", json={"advance_seconds": 7200})
    expired = client.get(f"/api/deployment/{ids['POINT']}", headers=headers).json
    assert expired == examples["token_expired"]
