"""The web page's routes without a browser: what the page is given, what it may load, what the
journal keeps, the OpenAPI document and the API reference."""

from __future__ import annotations

import json
import re

import pytest

from picsellia_contract.geometry import as_json as geometry_table
from picsellia_contract.openapi import bundled_openapi

from .helpers import b64, image

EMBEDDED = re.compile(r'<script type="application/json" id="mock-data">(.*?)</script>', re.S)
ASSET = re.compile(r'(?:src|href)="(/__web/static/[^"]+)"')
IMPORT = re.compile(r'from "\./([^"]+)"')
OUTSIDE = re.compile(r'(?:src|href|url)\s*[=(]\s*["\']?(?:https?:)?//', re.I)


def monitor(client, login, type_: str, ids, **fields) -> dict:
    """POST a monitoring payload (a 64 x 48 PNG; a field given as None is left out)."""
    defaults = {
        "filename": "frame.png",
        "content_type": "image/png",
        "width": 64,
        "height": 48,
        "image": b64(image()),
        "raw_predictions": {"detection_classes": [], "detection_scores": []},
        "latency": 0.1,
    }
    body = {k: v for k, v in {**defaults, **fields}.items() if v is not None}
    route = f"/api/deployment/{ids[type_]}/predictions"
    response = client.post(route, json=body, headers=login("monitoring", type_))
    assert response.status_code == 201, response.json
    return response.json


def embedded(html: str) -> dict:
    return json.loads(EMBEDDED.search(html).group(1))


def test_the_page_is_given_the_deployments_and_the_contracts_geometry_table(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    data = embedded(response.get_data(as_text=True))
    assert data["geometry"] == geometry_table()
    assert data["deployments"] == client.get("/__admin/deployments").json["deployments"]
    assert data["deployment_id"] is None


def test_each_deployments_id_and_token_can_be_copied(client):
    html = client.get("/").get_data(as_text=True)
    for deployment in client.get("/__admin/deployments").json["deployments"]:
        for value in (deployment["id"], *deployment["api_tokens"]):
            assert f'data-copy="{value}"' in html
        assert f'href="/deployments/{deployment["id"]}"' in html


def test_only_the_newest_records_are_drawn_and_the_total_is_given(client, login, ids):
    for name in ("a.png", "b.png", "c.png"):
        monitor(client, login, "CLASSIFICATION", ids, filename=name)
    found = client.get("/__web/predictions?limit=2").json
    assert (found["total"], found["count"]) == (3, 2)
    assert [r["filename"] for r in found["predictions"]] == ["c.png", "b.png"]


def test_a_deployment_has_a_page_and_an_unknown_one_a_404(client, ids):
    page = client.get(f"/deployments/{ids['LINE']}")
    assert page.status_code == 200
    assert embedded(page.get_data(as_text=True))["deployment_id"] == ids["LINE"]
    missing = client.get("/deployments/no-such-deployment")
    assert missing.status_code == 404 and "no-such-deployment" in missing.get_data(as_text=True)


@pytest.mark.parametrize("route", ["/", "/docs"], ids=["page", "docs"])
def test_every_asset_is_served_by_the_mock_and_nothing_comes_from_elsewhere(client, route):
    html = client.get(route).get_data(as_text=True)
    assert not OUTSIDE.search(html)
    pending, seen = ASSET.findall(html), set()
    assert pending
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        asset = client.get(path)
        assert asset.status_code == 200, path
        text = asset.get_data(as_text=True)
        assert not OUTSIDE.search(text), path
        if path.endswith(".js"):
            assert "javascript" in asset.mimetype, (path, asset.mimetype)
            pending += [path.rsplit("/", 1)[0] + "/" + name for name in IMPORT.findall(text)]
        else:
            assert asset.mimetype == "text/css", (path, asset.mimetype)


def test_the_pages_own_requests_are_not_journaled(client, login, ids):
    for path in ("/", f"/deployments/{ids['POINT']}", "/docs"):
        assert client.get(path).status_code == 200
    assert client.get("/__web/static/page.js").status_code == 200
    assert client.get("/__web/predictions").status_code == 200
    assert client.get("/__admin/requests").json["entries"] == []
    login("monitoring", "POINT")
    [entry] = client.get("/__admin/requests").json["entries"]
    assert entry["path"] == "/api/auth/login"


def test_a_stored_record_carries_its_warnings_and_the_size_it_is_drawn_at(client, login, ids):
    raw = {
        "detection_classes": [0, 1],
        "detection_scores": [0.9, 0.8],
        "detection_boxes": [[1, 2, 30, 40], [10, 50, 60, 90]],
    }
    answer = monitor(client, login, "OBJECT_DETECTION", ids, raw_predictions=raw)
    found = client.get(f"/__web/predictions?deployment_id={ids['OBJECT_DETECTION']}").json
    [record] = found["predictions"]
    assert record["id"] == answer["id"]
    assert record["problems"] == answer["warnings"]  # the warnings the answer carried
    assert [p["pointer"] for p in record["problems"]] == ["/raw_predictions/detection_boxes/1"]
    assert (record["width"], record["height"], record["deployment_type"]) == (
        64,
        48,
        "OBJECT_DETECTION",
    )
    assert record["body"]["raw_predictions"] == raw
    assert client.get(record["image_url"]).data == image()


def test_a_cloud_image_record_has_no_image_to_show(client, login, ids):
    cloud = {"connector_id": "c", "client_type": "S3", "bucket_name": "b", "object_name": "o.jpg"}
    raw = {"detection_classes": [0], "detection_scores": [0.5], "points": [[200, 150]]}
    fields = {"image": None, "cloud_image": cloud, "width": 400, "height": 300}
    fields["raw_predictions"] = raw
    answer = monitor(client, login, "POINT", ids, **fields, content_type="image/jpeg")
    assert client.get(f"/__admin/predictions/{answer['id']}/image").status_code == 404
    [record] = client.get(f"/__web/predictions?deployment_id={ids['POINT']}").json["predictions"]
    assert record["image_url"] is None and record["cloud_image"] == cloud
    assert (record["width"], record["height"]) == (400, 300)


def test_a_missing_chromium_fails_the_browser_tests_saying_how_to_install_it(monkeypatch):
    from . import browser

    monkeypatch.setattr(browser, "CHROMIUM", browser.Path("/nonexistent/chromium"))
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        browser.launch(playwright=None)


def test_openapi_json_is_the_bundled_document(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == bundled_openapi()


def test_the_api_reference_lists_every_operation_and_links_every_schema(client):
    html = client.get("/docs").get_data(as_text=True)
    document = bundled_openapi()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            article = (
                f'id="op-{operation["operationId"]}" data-operation="{operation["operationId"]}" '
                f'data-method="{method.upper()}" data-path="{path}"'
            )
            assert article in html, (method, path)
    anchors = set(re.findall(r'id="(schema-[^"]+)"', html))
    assert {f"schema-{name}" for name in document["components"]["schemas"]} == anchors
    assert set(re.findall(r'href="#(schema-[^"]+)"', html)) <= anchors


def test_the_web_routes_are_not_in_the_openapi_document():
    paths = set(bundled_openapi()["paths"])
    assert not paths & {"/", "/docs", "/deployments/{id}"}
    assert not any(path.startswith("/__web") for path in paths)
