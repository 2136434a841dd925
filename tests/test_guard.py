"""The admin API and the web page refuse cross-site calls, foreign Host names, a browser's
non-JSON state changes and, with an admin token, calls without it; calls without an Origin
(curl, HTTP clients) send any Content-Type; the services stay open."""

from __future__ import annotations

import pytest

from mockserver.app import create_app
from mockserver.config import Config

from .helpers import assert_error, sdk_payload


def test_a_cross_site_text_plain_reset_is_refused_and_changes_nothing(client, ids, login):
    url = f"/api/deployment/{ids['POINT']}/predictions"
    assert (
        client.post(
            url, json=sdk_payload("POINT"), headers=login("monitoring", "POINT")
        ).status_code
        == 201
    )
    response = client.post(
        "/__admin/reset",
        data="{}",
        content_type="text/plain",
        headers={"Origin": "http://evil.example"},
    )
    assert_error(response, 403, "admin_forbidden")
    stored = client.get(f"/__admin/deployments/{ids['POINT']}/predictions").json
    assert stored["count"] == 1


def test_a_browsers_state_change_in_another_content_type_is_415(client):
    own = {"Origin": "http://localhost"}
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        response = client.post("/__admin/reset", data="{}", content_type=content_type, headers=own)
        assert_error(response, 415, "json_required")
    assert_error(client.post("/__admin/reset", headers=own), 415, "json_required")
    assert client.post("/__admin/reset", json={}, headers=own).status_code == 200


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "text/html"]
)
def test_without_an_origin_any_content_type_is_taken(client, content_type):
    assert client.post("/__admin/reset", content_type=content_type).status_code == 200
    faults = client.post(
        "/__admin/faults",
        data='{"route": "/api/login", "status": 503, "times": 2}',
        content_type=content_type,
    )
    assert faults.status_code == 201 and faults.json["faults"][0]["remaining"] == 2
    clock = client.post("/__admin/clock", data='{"advance_seconds": 60}', content_type=content_type)
    assert clock.status_code == 200 and clock.json["offset_seconds"] == 60
    assert client.delete("/__admin/faults", content_type=content_type).json["faults"] == []


def test_a_post_without_a_body_needs_none(client):
    response = client.post("/__admin/reset", headers={"Content-Length": "0"})
    assert response.status_code == 200


def test_validate_changes_nothing_and_takes_any_content_type_even_from_the_page(client):
    own = {"Origin": "http://localhost"}
    url = "/__admin/validate/admin-strict"
    for headers in ({}, own):
        response = client.post(
            url, data='{"strict": 1}', content_type="text/plain", headers=headers
        )
        assert response.status_code == 200 and response.json["valid"] is False


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:9999"])
def test_a_foreign_or_null_origin_is_refused_whatever_the_content_type(client, origin):
    for content_type in ("application/json", "text/plain", None):
        response = client.post(
            "/__admin/reset", data="{}", content_type=content_type, headers={"Origin": origin}
        )
        assert_error(response, 403, "admin_forbidden")


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_browsers_cross_site_post_without_an_origin_is_refused(client, site):
    headers = {"Sec-Fetch-Site": site}
    response = client.post("/__admin/reset", data="{}", content_type="text/plain", headers=headers)
    assert_error(response, 403, "admin_forbidden")
    assert client.get("/__admin/health", headers=headers).status_code == 200  # reads stay open
    same = {"Sec-Fetch-Site": "same-origin"}
    assert client.post("/__admin/reset", headers=same).status_code == 200


def test_the_servers_own_origin_is_welcome(client):
    response = client.post("/__admin/reset", json={}, headers={"Origin": "http://localhost"})
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "10.0.0.7:8080"])
def test_a_foreign_host_name_is_refused(client, host):
    for path in ("/__admin/health", "/"):
        assert_error(client.get(path, headers={"Host": host}), 403, "admin_forbidden")


@pytest.mark.parametrize("host", ["localhost:8080", "127.0.0.1:9", "[::1]:8080", "app.localhost"])
def test_loopback_names_are_welcome(client, host):
    assert client.get("/__admin/health", headers={"Host": host}).status_code == 200


def test_a_configured_host_is_welcome_and_the_services_are_open(tmp_path, ids):
    config = Config(db_path=str(tmp_path / "db"), allowed_hosts=("mock.internal",))
    client = create_app(config).test_client()
    assert client.get("/__admin/health", headers={"Host": "mock.internal:8080"}).status_code == 200
    body = {"api_token": "demo-api-token", "deployment_id": ids["POINT"]}
    login = client.post("/api/login", json=body, headers={"Host": "serving.example"})
    assert login.status_code == 200  # the services answer any Host, any Origin


def test_an_admin_token_is_required_as_bearer_or_cookie(tmp_path):
    config = Config(db_path=str(tmp_path / "db"), admin_token="s3cret-admin")
    client = create_app(config).test_client()
    assert_error(client.get("/__admin/health"), 401, "admin_token_required")
    assert_error(client.get("/"), 401, "admin_token_required")
    bearer = {"Authorization": "Bearer s3cret-admin"}
    assert client.get("/__admin/health", headers=bearer).status_code == 200
    assert_error(
        client.get("/__admin/health", headers={"Authorization": "Bearer nope"}),
        401,
        "admin_token_required",
    )
    page = client.get("/?admin_token=s3cret-admin")
    assert page.status_code == 200
    assert (
        "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]
    )
    assert client.get("/__admin/requests").status_code == 200  # the cookie the page set


def test_serving_on_a_public_address_without_an_admin_token_warns(tmp_path, monkeypatch, capsys):
    from mockserver import serve as serve_module
    from picsellia_mock.cli import main

    monkeypatch.setattr(serve_module, "run_waitress", lambda app, sock: sock.close())
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--db", str(tmp_path / "db")]) == 0
    assert "without an admin token" in capsys.readouterr().err
    common = ["serve", "--host", "0.0.0.0", "--port", "0", "--db", str(tmp_path / "db")]
    assert main([*common, "--admin-token", "long-enough-token"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "?admin_token=long-enough-token" in captured.out


def test_every_admin_operation_says_whether_it_changes_state():
    from picsellia_contract.openapi import openapi_document
    from picsellia_contract.routes import operations, state_changing

    paths = openapi_document()["paths"]
    for found in operations():
        if found.service == "admin":
            flag = paths[found.path][found.method.lower()]["x-changes-state"]
            assert isinstance(flag, bool), found
            assert not (flag and found.method == "GET"), found
    assert "adminValidate" not in state_changing() and "adminReset" in state_changing()
    validate = paths["/__admin/validate/{message}"]["post"]
    assert "415" not in validate["responses"]
