"""The page marks the shapes that the class-range and axis-order warnings concern, as it marks
a box outside the image (Debian's headless Chromium; see test_web_browser.py)."""

from __future__ import annotations

import pytest

from mockserver.config import DEMO_LABELS

from .browser import READ_SHAPES, monitor, open_page

pytestmark = pytest.mark.slow


def shapes(page, kind: str) -> list[tuple]:
    found = page.eval_on_selector_all(f"[data-kind={kind}]", READ_SHAPES)
    return [(s["index"], s["warned"], s["warnings"]) for s in found]


def test_a_class_beyond_the_labels_marks_its_shape_and_names_it(page, picsellia_mock, screenshots):
    beyond = len(DEMO_LABELS)
    raw = {
        "detection_classes": [0, beyond],
        "detection_scores": [0.9, 0.8],
        "detection_boxes": [[10, 20, 60, 100], [40, 60, 100, 150]],
    }
    answer = monitor(picsellia_mock, "OBJECT_DETECTION", raw)
    assert [w["code"] for w in answer["warnings"]] == ["class_out_of_range"]
    deployment = picsellia_mock.deployments["OBJECT_DETECTION"]
    open_page(page, picsellia_mock, f"/deployments/{deployment}", 1)
    assert shapes(page, "box") == [(0, False, ""), (1, True, "class_out_of_range")]
    tags = page.eval_on_selector_all("text.tag", "els => els.map(e => e.textContent)")
    assert tags[1].startswith(f"⚠ class {beyond}"), tags
    listed = page.get_attribute(".card .problem", "data-pointer")
    assert listed == "/raw_predictions/detection_classes/1"
    page.screenshot(path=str(screenshots / "warning-class-out-of-range.png"), full_page=True)


def test_a_classification_beyond_the_labels_marks_its_badge(page, picsellia_mock):
    raw = {"detection_classes": [len(DEMO_LABELS) + 2], "detection_scores": [0.7]}
    monitor(picsellia_mock, "CLASSIFICATION", raw)
    deployment = picsellia_mock.deployments["CLASSIFICATION"]
    open_page(page, picsellia_mock, f"/deployments/{deployment}", 1)
    assert shapes(page, "label") == [(0, True, "class_out_of_range")]


def test_a_box_sent_x_first_is_marked_with_both_warnings(page, picsellia_mock, screenshots):
    raw = {
        "detection_classes": [0, 1],
        "detection_scores": [0.9, 0.8],
        "detection_boxes": [[10, 20, 60, 100], [130, 10, 150, 100]],  # [x1, y1, x2, y2]
    }
    monitor(picsellia_mock, "OBJECT_DETECTION", raw)
    deployment = picsellia_mock.deployments["OBJECT_DETECTION"]
    open_page(page, picsellia_mock, f"/deployments/{deployment}", 1)
    [first, second] = shapes(page, "box")
    assert first == (0, False, "")
    assert second[:2] == (1, True)
    assert set(second[2].split()) == {"box_outside_image", "box_axis_order_suspect"}
    codes = page.eval_on_selector_all(".card .problem", "els => els.map(e => e.dataset.code)")
    assert sorted(codes) == ["box_axis_order_suspect", "box_outside_image"]
    page.screenshot(path=str(screenshots / "warning-box-x-first.png"), full_page=True)
