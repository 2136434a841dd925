"""The rules JSON Schema cannot express (picsellia_contract/checks.py)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from picsellia_contract import checks, validate
from picsellia_contract.problems import Problem
from picsellia_contract.strict_base64 import strict_b64decode

from .helpers import sdk_payload

NOISE = ["=", "==", "A", "z", "/", "+", "-", "_", "\n", " ", "\u00e9"]


@pytest.mark.parametrize(
    "text, decoded",
    [
        ("aGVsbG8=", b"hello"),
        ("aGVsbG8", None),
        ("aGVs\nbG8=", None),
        ("-_-_", None),
        ("aGVsbG9=", None),
        ("", b""),
        ("aGVsbG8==", None),
        ("aGVs=", None),
        ("aGVsbG8=aGVs", None),
        ("aGVsbG8=\n", None),
        ("aGVsbG8=\u00e9", None),
    ],
    ids=[
        "padded",
        "unpadded",
        "line-break",
        "url-safe",
        "non-canonical-bits",
        "empty",
        "padding-too-long",
        "padding-after-a-full-group",
        "text-after-padding",
        "newline-after-padding",
        "non-ascii",
    ],
)
def test_strict_base64(text, decoded):
    assert strict_b64decode(text) == decoded


@given(st.binary(max_size=40), st.lists(st.sampled_from(NOISE), max_size=3), st.integers(0, 60))
def test_strict_base64_takes_exactly_the_canonical_encoding(data, noise, at):
    """Whatever the text, it is decoded exactly when it is the standard padded encoding of
    some bytes: a valid encoding with text spliced in decodes only if it is one still."""
    encoded = base64.b64encode(data).decode()
    text = encoded[:at] + "".join(noise) + encoded[at:]
    decoded = strict_b64decode(text)
    if decoded is None:
        assert base64.b64encode(_lenient(text)).decode() != text
    else:
        assert base64.b64encode(decoded).decode() == text


def _lenient(text: str) -> bytes:
    try:
        return base64.b64decode(text + "==")
    except ValueError:
        return b"\xff"  # not base64 at all: no bytes encode to it


def test_strict_base64_round_trips_binary():
    data = bytes(range(256)) * 3
    assert strict_b64decode(base64.b64encode(data).decode()) == data


@pytest.mark.parametrize(
    "raw, types",
    [
        ({"detection_classes": [], "detection_scores": []}, ["CLASSIFICATION"]),
        (
            {"detection_classes": [], "detection_scores": [], "detection_masks": []},
            ["SEGMENTATION", "MASK"],
        ),
        (
            {"detection_classes": [0], "detection_scores": [1], "detection_masks": ["m"]},
            ["MASK"],
        ),
        (
            {"detection_classes": [0], "detection_scores": [1], "detection_masks": [[[0, 0]]]},
            ["SEGMENTATION"],
        ),
        (
            {"detection_classes": [], "detection_scores": [], "detection_boxes": []},
            ["OBJECT_DETECTION"],
        ),
        ({"detection_classes": [], "detection_scores": [], "points": [], "lines": []}, []),
    ],
    ids=["classification", "empty-masks", "mask", "segmentation", "boxes", "two-geometries"],
)
def test_matching_types_from_keys(raw, types):
    assert checks.matching_types(raw) == types


def test_empty_texts_are_not_a_length_mismatch():
    raw = {"detection_classes": [1, 2], "detection_scores": [0.1, 0.2], "detection_texts": []}
    assert list(checks.check_list_lengths(raw, ["raw_predictions"])) == []


def test_each_mismatched_list_is_named():
    raw = {"detection_classes": [1, 2], "detection_scores": [0.1], "detection_boxes": []}
    found = {p.pointer for p in checks.check_list_lengths(raw, ["raw_predictions"])}
    assert found == {"/raw_predictions/detection_scores", "/raw_predictions/detection_boxes"}


def test_timestamp_tolerance_is_one_minute():
    assert checks.check_timestamp({"timestamp": 1060}, now=1000) == []
    assert [p.code for p in checks.check_timestamp({"timestamp": 1061}, now=1000)] == [
        "timestamp_in_future"
    ]


def test_geometry_on_the_image_edge_is_inside():
    raw = {"detection_boxes": [[0, 0, 48, 64]], "points": [[64, 48]]}
    assert list(checks.check_geometry(raw, ["r"], (64, 48))) == []


def test_geometry_is_not_checked_without_a_size():
    raw = {"points": [[-5, -5]]}
    assert list(checks.check_geometry(raw, ["r"], None)) == []


def test_inverted_box_outside_the_image_gets_both_warnings():
    problems = list(checks.check_geometry({"detection_boxes": [[50, 0, 10, 70]]}, [], (64, 48)))
    assert {p.code for p in problems} == {"box_inverted", "box_outside_image"}
    assert all(isinstance(p, Problem) and p.severity == "warning" for p in problems)


def test_a_type_mismatch_still_reports_list_lengths_and_geometry():
    raw = {"detection_classes": [0, 1], "detection_scores": [0.5], "points": [[999, 1], [2, 2]]}
    payload = {**sdk_payload("OBJECT_DETECTION"), "raw_predictions": raw}
    found = {
        (p.code, p.pointer)
        for p in validate(
            "monitoring-prediction-request", payload, deployment_type="OBJECT_DETECTION"
        )
    }
    assert found == {
        ("prediction_type_mismatch", "/raw_predictions"),
        ("list_length_mismatch", "/raw_predictions/detection_scores"),
        ("geometry_outside_image", "/raw_predictions/points/0"),
    }


def test_keys_that_fit_no_type_are_read_by_inference_priority():
    both = {
        "detection_classes": [],
        "detection_scores": [],
        "keypoints": [],
        "detection_boxes": [],
        "lines": [],
    }
    assert checks.matching_types(both) == []
    assert checks.guess_type(both) == "KEYPOINT"
    del both["keypoints"]
    assert checks.guess_type(both) == "LINE"
    assert checks.guess_type({"detection_classes": []}) == "CLASSIFICATION"


def test_a_missing_height_still_checks_geometry_against_the_image():
    payload = sdk_payload("POINT")
    del payload["height"]
    payload["raw_predictions"]["points"] = [[3, 4], [60, 400]]
    found = {(p.code, p.pointer) for p in validate("monitoring-prediction-request", payload)}
    assert ("missing_property", "/height") in found
    assert ("geometry_outside_image", "/raw_predictions/points/1") in found


def near(low: int, high: int):
    """Numbers around [low, high], mostly inside, now and then not a number at all."""
    numbers = st.integers(low - 2, high + 2) | st.floats(low - 2, high + 2)
    return st.one_of(numbers, numbers, numbers, st.booleans(), st.just("7"))


BOX = st.one_of(
    st.tuples(near(0, 40), near(0, 50), near(0, 40), near(0, 50)).map(list),
    st.lists(near(0, 50), max_size=5),
)


@given(st.lists(BOX, max_size=4))
@example([[10, 10, 20, 51]])  # each edge of the image, just past it
@example([[10, 51, 20, 20]])
@example([[41, 10, 42, 20]])
@example([[-1, 10, 20, 20]])
@example([[10, 10, 20, 20], [10, 10, 20, True]])  # a bool is not a number
@example([[45, 5, 48, 30]])  # [x1, y1, x2, y2]: outside as read, inside read x-first
@example([[10, 10, 20, 20.5], [30, 5, 29, 6]])
def test_boxes_are_judged_one_by_one(boxes):
    """Every box of four numbers is inverted when y1 > y2 or x1 > x2, outside when a corner
    leaves the 50 x 40 image, suspect when outside but inside once read x-first; anything else
    is left to the schema."""
    size = (50, 40)  # width, height
    expected = []
    for i, box in enumerate(boxes):
        if len(box) != 4 or not all(type(v) in (int, float) for v in box):
            continue
        y1, x1, y2, x2 = box
        if y1 > y2 or x1 > x2:
            expected.append(("box_inverted", f"/raw/detection_boxes/{i}"))
        if not all(0 <= x <= 50 for x in (x1, x2)) or not all(0 <= y <= 40 for y in (y1, y2)):
            expected.append(("box_outside_image", f"/raw/detection_boxes/{i}"))
            if 0 <= y1 <= y2 <= 50 and 0 <= x1 <= x2 <= 40:  # read x-first, it fits
                expected.append(("box_axis_order_suspect", f"/raw/detection_boxes/{i}"))
    raw = {"detection_boxes": boxes}
    found = [(p.code, p.pointer) for p in checks.check_geometry(raw, ["raw"], size)]
    assert found == expected
