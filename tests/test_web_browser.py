"""The web page in a real browser (Debian's headless Chromium): predictions posted through the
mock's HTTP API are drawn where they were sent, warnings sit on their shapes, the journal fills
by itself, and the API reference lists every operation.

A screenshot of each case is written to ``<basetemp>/screenshots/`` (pytest's ``--basetemp``
folder, by default ``/tmp/pytest-of-<user>/pytest-<n>/``).
"""

from __future__ import annotations

import hashlib

import pytest
import requests

from picsellia_contract.openapi import bundled_openapi

from .browser import READ_SHAPES, count_becomes, monitor, open_page, shape_of
from .web_cases import CASES

pytestmark = pytest.mark.slow


def drawn(page, scope: str = "") -> list[tuple]:
    return [shape_of(s) for s in page.eval_on_selector_all(f"{scope} [data-kind]", READ_SHAPES)]


@pytest.mark.parametrize("type_", list(CASES), ids=str.lower)
def test_each_type_is_drawn_where_it_was_sent(page, picsellia_mock, screenshots, type_):
    raw, expected = CASES[type_]
    answer = monitor(picsellia_mock, type_, raw)
    open_page(page, picsellia_mock, f"/deployments/{picsellia_mock.deployments[type_]}", 1)
    card = f"#prediction-{answer['id']}"
    assert page.get_attribute(card, "data-type") == type_
    assert sorted(drawn(page, card)) == sorted(expected)
    assert page.eval_on_selector(f"{card} image", "e => e.getAttribute('width')") == "160"
    page.screenshot(path=str(screenshots / f"{type_.lower()}.png"), full_page=True)


def test_the_overview_draws_every_types_predictions(page, picsellia_mock, screenshots):
    for type_, (raw, _) in CASES.items():
        monitor(picsellia_mock, type_, raw)
    open_page(page, picsellia_mock, "/", len(CASES))
    shown = page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.type)")
    assert sorted(shown) == sorted(CASES)
    assert len(drawn(page)) == sum(len(expected) for _, expected in CASES.values())
    page.screenshot(path=str(screenshots / "overview.png"), full_page=True)


def test_the_newest_hundred_are_drawn_until_the_reader_asks_for_all(page, picsellia_mock):
    monitor(picsellia_mock, "POINT", CASES["POINT"][0], times=101)
    open_page(page, picsellia_mock, "/", 100)
    assert page.inner_text("#prediction-total-count") == "101"
    page.click("#show-all")
    page.wait_for_selector("body[data-predictions='101']", timeout=10_000)
    assert page.is_hidden("#prediction-total")


def test_warnings_are_marked_on_the_shapes_they_concern(page, picsellia_mock, screenshots):
    boxes = {
        "detection_classes": [0, 1],
        "detection_scores": [0.9, 0.8],
        "detection_boxes": [[10, 20, 60, 100], [100, 140, 130, 200]],  # the second leaves the image
    }
    answer = monitor(picsellia_mock, "OBJECT_DETECTION", boxes)
    assert [w["pointer"] for w in answer["warnings"]] == ["/raw_predictions/detection_boxes/1"]
    open_page(
        page, picsellia_mock, f"/deployments/{picsellia_mock.deployments['OBJECT_DETECTION']}", 1
    )
    found = page.eval_on_selector_all("[data-kind=box]", READ_SHAPES)
    assert [(s["index"], s["warned"], s["warnings"]) for s in found] == [
        (0, False, ""),
        (1, True, "box_outside_image"),
    ]
    listed = page.get_attribute(".card .problem", "data-pointer")
    assert listed == "/raw_predictions/detection_boxes/1"
    page.screenshot(path=str(screenshots / "warning-box-outside.png"), full_page=True)


def test_a_warning_on_one_keypoint_marks_that_vertex(page, picsellia_mock):
    raw = {
        "detection_classes": [0],
        "detection_scores": [0.7],
        "keypoints": [[[20, 30, 2], [170, 50, 2]]],
    }
    monitor(picsellia_mock, "KEYPOINT", raw)
    open_page(page, picsellia_mock, f"/deployments/{picsellia_mock.deployments['KEYPOINT']}", 1)
    found = page.eval_on_selector_all("[data-kind=keypoint]", READ_SHAPES)
    assert [(s["vertex"], s["warnings"]) for s in found] == [(0, ""), (1, "geometry_outside_image")]


def test_boxes_sent_beside_keypoints_are_drawn_too(page, picsellia_mock):
    raw = {
        "detection_classes": [0],
        "detection_scores": [0.7],
        "keypoints": [[[20, 30, 2], [40, 50, 1]]],
        "detection_boxes": [[25, 15, 55, 45]],
    }
    monitor(picsellia_mock, "KEYPOINT", raw)
    open_page(page, picsellia_mock, f"/deployments/{picsellia_mock.deployments['KEYPOINT']}", 1)
    assert sorted(drawn(page)) == [
        ("box", 0, (15.0, 25.0, 30.0, 30.0)),
        ("keypoint", 0, (0, 20.0, 30.0, 2)),
        ("keypoint", 0, (1, 40.0, 50.0, 1)),
    ]


def test_a_cloud_image_is_drawn_on_a_blank_canvas_of_its_size(page, picsellia_mock, screenshots):
    cloud = {
        "connector_id": "c1",
        "client_type": "S3",
        "bucket_name": "frames",
        "object_name": "0001.jpg",
    }
    raw = {"detection_classes": [2], "detection_scores": [0.6], "points": [[200, 150]]}
    fields = {"image": None, "cloud_image": cloud, "content_type": "image/jpeg"}
    answer = monitor(picsellia_mock, "POINT", raw, size=(400, 300), **fields)
    open_page(page, picsellia_mock, f"/deployments/{picsellia_mock.deployments['POINT']}", 1)
    card = f"#prediction-{answer['id']}"
    assert page.get_attribute(card, "data-image") == "cloud"
    assert page.query_selector(f"{card} image") is None
    blank = page.eval_on_selector(
        f"{card} rect.blank", "e => [e.getAttribute('width'), e.getAttribute('height')]"
    )
    assert blank == ["400", "300"]
    assert drawn(page, card) == [("point", 0, (200.0, 150.0))]
    page.screenshot(path=str(screenshots / "cloud-image.png"), full_page=True)


def test_the_journal_fills_by_itself_newest_first(page, picsellia_mock, screenshots):
    open_page(page, picsellia_mock, "/", 0)
    deployment = picsellia_mock.deployments["LINE"]
    login = f"{picsellia_mock.base_url}/api/auth/login"
    requests.post(login, json={"api_token": "wrong", "deployment_id": deployment}, timeout=10)
    requests.post(
        login, json={"api_token": picsellia_mock.api_token, "deployment_id": deployment}, timeout=10
    )
    logins = "#entries .entry[data-path='/api/auth/login']"
    count_becomes(page, logins, 2)
    rows = page.eval_on_selector_all(
        "#entries .entry", "rows => rows.map(r => [r.dataset.status, r.dataset.path, r.className])"
    )
    assert rows[2][1] == "/__admin/reset"  # the fixture's reset, before the page was opened
    assert [(status, path) for status, path, _ in rows[:2]] == [
        ("200", "/api/auth/login"),
        ("401", "/api/auth/login"),
    ]
    assert "has-errors" in rows[1][2]
    page.click("#entries .entry:nth-child(2) summary")
    received = page.inner_text("#entries .entry:nth-child(2) .received")
    wrong = "sha256:" + hashlib.sha256(b"wrong").hexdigest()[:12]  # no token kept in clear
    assert "invalid_api_token" in received and f'"api_token": "{wrong}"' in received
    page.screenshot(path=str(screenshots / "journal.png"), full_page=True)
    picsellia_mock.reset()  # what the page showed is gone: it shows only the reset
    count_becomes(page, "#entries .entry", 1)
    assert page.get_attribute("#entries .entry", "data-path") == "/__admin/reset"


def test_the_filters_keep_one_deployment_and_one_status(page, picsellia_mock):
    for type_ in ("POINT", "LINE"):
        monitor(picsellia_mock, type_, CASES[type_][0])
    open_page(page, picsellia_mock, "/", 2)
    page.select_option("#filter-deployment", picsellia_mock.deployments["LINE"])
    page.wait_for_selector("body[data-predictions='1']", timeout=10_000)
    assert page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.type)") == ["LINE"]
    page.select_option("#filter-status", "4xx")
    count_becomes(page, "#entries .entry", 0)
    page.select_option("#filter-status", "2xx")
    count_becomes(page, "#entries .entry", 2)
    assert "deployment=" in page.url and "status=2xx" in page.url


def test_the_api_reference_lists_every_operation(page, picsellia_mock, screenshots):
    open_page(page, picsellia_mock, "/docs")
    shown = page.eval_on_selector_all(".operation", "ops => ops.map(o => o.dataset.operation)")
    document = bundled_openapi()
    expected = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert sorted(shown) == sorted(expected)
    page.screenshot(path=str(screenshots / "docs.png"))
