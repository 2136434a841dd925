"""The admin API and the web page refuse cross-site calls, foreign Host names, non-JSON state
changes and, with an admin token, calls without it; the services stay open."""

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


def test_a_state_change_in_another_content_type_is_415(client):
    assert_error(
        client.post("/__admin/reset", data="{}", content_type="text/plain"), 415, "json_required"
    )
    assert client.post("/__admin/reset", json={}).status_code == 200


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
