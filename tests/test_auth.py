"""Login on both services and the bearer checks of every protected route (mockserver/auth.py)."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from .helpers import assert_conforms, assert_error, sdk_payload

MONITOR = "/api/deployment/{}/predictions"


@pytest.mark.parametrize("route", ["/api/login", "/api/auth/login"])
def test_login_answers_a_signed_jwt_and_its_expiry(client, ids, route):
    body = {"api_token": "demo-api-token", "deployment_id": ids["POINT"]}
    response = client.post(route, json=body)
    assert response.status_code == 200
    assert_conforms("login-response", response.json)
    claims = jwt.decode(response.json["jwt"], options={"verify_signature": False})
    assert claims["sub"] == ids["POINT"]
    assert claims["exp"] == response.json["expires"]
    assert abs(claims["exp"] - time.time() - 3600) < 5


def test_login_reads_json_without_content_type_like_the_sdk(client, ids):
    text = json.dumps({"api_token": "demo-api-token", "deployment_id": ids["LINE"]})
    response = client.post("/api/auth/login", data=text, content_type=None)
    assert response.status_code == 200


def test_login_reads_json_under_a_wrong_content_type(client, ids):
    text = json.dumps({"api_token": "demo-api-token", "deployment_id": ids["LINE"]})
    response = client.post("/api/login", data=text, content_type="text/plain")
    assert response.status_code == 200


def test_login_accepts_the_guides_token_header(client, ids):
    body = {"deployment_id": ids["MASK"], "api_token": "demo-api-token"}
    headers = {"Authorization": "Token demo-api-token"}
    assert client.post("/api/login", data=json.dumps(body), headers=headers).status_code == 200


def test_login_refuses_a_token_header_that_differs_from_the_body(client, ids):
    body = {"deployment_id": ids["MASK"], "api_token": "demo-api-token"}
    headers = {"Authorization": "Token someone-else"}
    assert_error(client.post("/api/login", json=body, headers=headers), 401, "invalid_api_token")


def test_wrong_api_token_is_401(client, ids):
    body = {"api_token": "nope", "deployment_id": ids["MASK"]}
    assert_error(client.post("/api/auth/login", json=body), 401, "invalid_api_token", "/api_token")


def test_unknown_deployment_is_404(client):
    body = {"api_token": "demo-api-token", "deployment_id": "no-such-deployment"}
    assert_error(client.post("/api/login", json=body), 404, "deployment_not_found")


@pytest.mark.parametrize(
    "body, status, code",
    [
        ("{not json", 400, "invalid_json"),
        ("", 400, "invalid_json"),
        ('{"api_token": NaN, "deployment_id": "x"}', 400, "invalid_json"),
        ('{"api_token": "t"}', 422, "missing_property"),
        ("[]", 422, "wrong_type"),
    ],
    ids=["broken", "empty", "nan", "missing-field", "list"],
)
def test_bad_login_bodies(client, body, status, code):
    assert_error(client.post("/api/login", data=body), status, code)


def forged(ids) -> str:
    claims = {"aud": "monitoring", "sub": ids["OBJECT_DETECTION"], "exp": time.time() + 60}
    return jwt.encode(claims, "not-the-server-key-but-long-enough-for-hs256", algorithm="HS256")


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "token_missing"),
        ("Token demo-api-token", "token_missing"),
        ("Bearer ", "token_missing"),
        ("Bearer not.a.jwt", "token_invalid"),
        ("FORGED", "token_invalid"),
    ],
    ids=["missing", "token-scheme", "empty-bearer", "malformed", "forged"],
)
def test_bad_bearer_tokens_are_401_with_www_authenticate(client, ids, header, code):
    headers = {} if header is None else {"Authorization": header}
    if header == "FORGED":
        headers["Authorization"] = "Bearer " + forged(ids)
    url = MONITOR.format(ids["OBJECT_DETECTION"])
    response = client.post(url, json=sdk_payload("OBJECT_DETECTION"), headers=headers)
    body = assert_error(response, 401, code)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert "/api/auth/login" in body["message"]


def test_serving_token_on_monitoring_says_where_to_log_in(client, ids, login):
    url = MONITOR.format(ids["OBJECT_DETECTION"])
    headers = login("serving", "OBJECT_DETECTION")
    response = client.post(url, json=sdk_payload("OBJECT_DETECTION"), headers=headers)
    body = assert_error(response, 401, "token_wrong_service")
    assert "prediction (serving) service" in body["message"]
    assert "/api/auth/login" in body["message"]


def test_monitoring_token_on_serving_is_401(client, ids, login):
    url = f"/api/v2/deployments/{ids['POINT']}/predict"
    response = client.post(url, json={"cloud_image": {}}, headers=login("monitoring", "POINT"))
    body = assert_error(response, 401, "token_wrong_service")
    assert "/api/login" in body["message"]


def test_token_of_another_deployment_is_403(client, ids, login):
    url = MONITOR.format(ids["OBJECT_DETECTION"])
    headers = login("monitoring", "POINT")
    response = client.post(url, json=sdk_payload("OBJECT_DETECTION"), headers=headers)
    assert_error(response, 403, "token_wrong_deployment")


def test_token_expires_with_the_clock_and_login_again_works(client, ids, login):
    url = MONITOR.format(ids["OBJECT_DETECTION"])
    headers = login("monitoring")
    client.post("/__admin/clock", json={"advance_seconds": 3601})
    body = assert_error(
        client.get(f"/api/deployment/{ids['OBJECT_DETECTION']}", headers=headers),
        401,
        "token_expired",
    )
    assert "log in again" in body["message"]
    response = client.post(url, json=sdk_payload("OBJECT_DETECTION"), headers=login("monitoring"))
    assert response.status_code == 201


def test_token_is_still_valid_just_before_expiry(client, ids, login):
    headers = login("monitoring")
    client.post("/__admin/clock", json={"advance_seconds": 3590})
    assert (
        client.get(f"/api/deployment/{ids['OBJECT_DETECTION']}", headers=headers).status_code == 200
    )


def test_a_rejected_request_stores_nothing(client, ids):
    url = MONITOR.format(ids["OBJECT_DETECTION"])
    client.post(url, json=sdk_payload("OBJECT_DETECTION"))
    stored = client.get(f"/__admin/deployments/{ids['OBJECT_DETECTION']}/predictions").json
    assert stored["count"] == 0


def test_a_refused_login_has_no_bearer_challenge(client, ids):
    body = {"api_token": "wrong", "deployment_id": ids["POINT"]}
    response = client.post("/api/auth/login", json=body)
    assert_error(response, 401, "invalid_api_token", "/api_token")
    assert "WWW-Authenticate" not in response.headers


def test_a_lifetime_beyond_64_bits_still_gives_a_token(tmp_path, ids):
    """The config takes any positive lifetime; the token's claims are then written by the
    standard library (orjson refuses integers beyond 64 bits)."""
    from mockserver.app import create_app
    from mockserver.config import Config

    app = create_app(Config(db_path=str(tmp_path / "db"), jwt_lifetime_seconds=10**20))
    client = app.test_client()
    body = {"api_token": "demo-api-token", "deployment_id": ids["OBJECT_DETECTION"]}
    answer = client.post("/api/auth/login", json=body)
    assert answer.status_code == 200
    assert answer.json["expires"] > 10**20
    bearer = {"Authorization": "Bearer " + answer.json["jwt"]}
    info = client.get(f"/api/deployment/{ids['OBJECT_DETECTION']}", headers=bearer)
    assert info.status_code == 200
