"""Hostile peers: no secret is kept in the journal, the page and the admin API cannot be framed,
and inputs built to break the server get a clear answer in the one error shape."""

from __future__ import annotations

import hashlib
import io
import json
import socket

import pytest
from werkzeug.datastructures import MultiDict

from mockdriver import LiveMock
from mockserver.capture import HEADER_LIMIT, HEADERS_KEPT
from mockserver.config import Config

from .helpers import assert_error, image


def fingerprint(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:12]


def journal(client) -> list[dict]:
    return client.get("/__admin/requests").json["entries"]


def test_a_login_bodys_api_token_is_kept_as_a_fingerprint(client, ids):
    body = {"api_token": "demo-api-token", "deployment_id": ids["POINT"]}
    assert client.post("/api/login", json=body).status_code == 200
    broken = '{"api_token": "demo-api-token", "deployment_id": '  # not JSON: kept as text
    assert client.post("/api/auth/login", data=broken).status_code == 400
    entries = journal(client)
    assert "demo-api-token" not in json.dumps(entries)
    parsed, text = entries[-1]["request"]["body"], entries[-2]["request"]["body"]
    assert parsed["api_token"] == fingerprint("demo-api-token")
    assert fingerprint("demo-api-token") in text


def health_entry(client, headers: dict, query: str = "") -> dict:
    """The journal entry of one GET /__admin/health sent with these headers."""
    client.get("/__admin/health" + query, headers=headers)
    [entry] = [e for e in journal(client) if e["operation"] == "adminHealth"]
    return entry


def test_proxy_credentials_and_cookies_are_fingerprinted(client):
    headers = {"Proxy-Authorization": "Basic c2VjcmV0LXByb3h5", "Cookie": "other=secret-cookie"}
    entry = health_entry(client, headers)
    assert "c2VjcmV0LXByb3h5" not in json.dumps(entry)
    assert "secret-cookie" not in json.dumps(entry)
    seen = entry["request"]["headers"]
    assert seen["Proxy-Authorization"] == "Basic " + fingerprint("c2VjcmV0LXByb3h5")


def test_the_admin_token_in_a_cookie_a_referer_or_the_query_is_fingerprinted(client):
    headers = {
        "Cookie": "picsellia_admin_token=secret-admin-token",
        "Referer": "http://127.0.0.1:8080/?admin_token=secret-admin-token&x=1",
    }
    entry = health_entry(client, headers, "?admin_token=secret-admin-token")
    assert "secret-admin-token" not in json.dumps(entry)
    assert (
        f"admin_token={fingerprint('secret-admin-token')}&x=1"
        in entry["request"]["headers"]["Referer"]
    )
    assert entry["request"]["query"]["admin_token"] == [fingerprint("secret-admin-token")]


def test_a_journal_entrys_headers_are_cut(client):
    headers = {"X-Long": "a" * (HEADER_LIMIT * 3)}
    headers |= {f"X-Many-{n}": "b" for n in range(HEADERS_KEPT * 2)}
    seen = health_entry(client, headers)["request"]["headers"]
    assert len(seen["X-Long"]) < HEADER_LIMIT + 40 and seen["X-Long"].endswith("cut]")
    assert len(seen) == HEADERS_KEPT


@pytest.mark.parametrize("path", ["/", "/docs", "/__admin/health", "/__admin/requests"])
def test_the_page_and_the_admin_api_cannot_be_framed_nor_sniffed(client, path):
    headers = client.get(path).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]  # no inline script
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_deep_json_inside_a_form_field_is_a_400_like_the_bodys(client, ids, login):
    deep = "[" * 100_000 + "]" * 100_000
    data = {"metadata": deep, "media": (io.BytesIO(image("PNG")), "frame.png")}
    url = f"/api/deployments/{ids['OBJECT_DETECTION']}/predict"
    answer = client.post(url, data=data, headers=login("serving", "OBJECT_DETECTION"))
    assert_error(answer, 400, "invalid_json", "/metadata")
    verdict = client.post("/__admin/validate/predict-form", json={"metadata": deep})
    assert verdict.status_code == 200 and not verdict.json["valid"]


def test_too_many_parts_is_reported_as_itself(client, ids, login):
    parts = MultiDict([("tags", str(n)) for n in range(10_000)])
    parts.add("media", (io.BytesIO(image("PNG")), "frame.png"))
    url = f"/api/deployments/{ids['OBJECT_DETECTION']}/predict"
    answer = client.post(url, data=parts, headers=login("serving", "OBJECT_DETECTION"))
    body = assert_error(answer, 413, "too_many_parts")
    assert "more than 1000 parts" in body["message"]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    config = Config(db_path=str(tmp_path_factory.mktemp("hostile") / "mock.sqlite3"))
    with LiveMock(config) as mock:
        yield mock


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        (b"GARBAGE\r\n\r\n", 400, "bad_request"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400, "bad_request"),
        (
            b"POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            501,
            "not_implemented",
        ),
        (
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n",
            431,
            "headers_too_large",
        ),
    ],
)
def test_the_servers_own_refusals_answer_in_the_error_shape(live, raw, status, code):
    host, port = live.base_url.removeprefix("http://").split(":")
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        try:  # the server may answer and close before it has read everything sent
            sock.sendall(raw)
            while chunk := sock.recv(65536):
                answer += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == str(status).encode()
    assert b"Content-Type: application/problem+json" in head
    problem = json.loads(body)
    assert problem["status"] == status and problem["problems"][0]["code"] == code


def test_stored_images_are_bounded_by_a_byte_budget(tmp_path, login):
    from mockserver.app import create_app

    from .helpers import b64, sdk_payload

    png = image("PNG", (64, 48))
    config = Config(db_path=str(tmp_path / "budget.sqlite3"), reject_duplicates=False)
    config.max_stored_image_bytes = 2 * len(png) + 10  # room for two images
    client = create_app(config).test_client()
    deployment = next(d.id for d in config.deployments.values() if d.type == "POINT")
    body = {"api_token": "demo-api-token", "deployment_id": deployment}
    headers = {"Authorization": "Bearer " + client.post("/api/auth/login", json=body).json["jwt"]}
    posted = []
    for index in range(4):
        payload = {**sdk_payload("POINT"), "image": b64(png), "filename": f"{index}.png"}
        answer = client.post(
            f"/api/deployment/{deployment}/predictions", json=payload, headers=headers
        )
        assert answer.status_code == 201, answer.json
        posted.append(answer.json["id"])
    records = client.get(f"/__admin/deployments/{deployment}/predictions").json["predictions"]
    assert [r["image_dropped"] for r in records] == [True, True, False, False]
    assert all(r["body"]["image"]["size"] == len(png) for r in records)  # kept for each
    gone = client.get(f"/__admin/predictions/{posted[0]}/image")
    assert_error(gone, 404, "prediction_not_found")
    assert "max_stored_image_bytes" in gone.json["message"]
    assert client.get(f"/__admin/predictions/{posted[3]}/image").data == png
    drawn = {p["id"]: p for p in client.get("/__web/predictions").json["predictions"]}
    assert drawn[posted[0]]["image_url"] is None and drawn[posted[0]]["image_dropped"]
