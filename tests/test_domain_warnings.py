"""Class indexes against the deployment's labels, and boxes that say which edge they cross or
that look sent x-first: in validate(), the ``validate`` command, the mock and its admin route."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.config import DEMO_LABELS
from picsellia_contract import validate
from picsellia_mock.cli import main

from .helpers import assert_error, sdk_payload

MESSAGE = "monitoring-prediction-request"
C = "/raw_predictions/detection_classes/"
X_FIRST = [50, 5, 60, 40]  # [x1, y1, x2, y2] on the 64 x 48 image: y1 = 50 is past its bottom


def payload(classes=(0, 2), boxes=((4, 6, 20, 30), (10, 12, 40, 60))) -> dict:
    body = sdk_payload("OBJECT_DETECTION")  # a 64 x 48 PNG
    raw = body["raw_predictions"]
    raw["detection_classes"] = list(classes)
    raw["detection_boxes"] = [list(b) for b in boxes]
    return body


def found(problems) -> list[tuple[str, str, str]]:
    return [(p.code, p.pointer, p.severity) for p in problems]


def test_a_class_at_or_beyond_the_label_count_is_a_warning_naming_the_count():
    problems = validate(MESSAGE, payload(classes=(4, 5)), label_count=5)
    assert found(problems) == [
        ("class_out_of_range", "/raw_predictions/detection_classes/1", "warning")
    ]
    assert "5 labels" in problems[0].message and "0 to 4" in problems[0].message


@given(st.lists(st.integers(-3, 12), max_size=5), st.integers(1, 10))
def test_each_class_is_judged_against_the_label_count(classes, label_count):
    body = sdk_payload("CLASSIFICATION")
    body["raw_predictions"]["detection_classes"] = classes
    body["raw_predictions"]["detection_scores"] = [0.5] * len(classes)
    problems = validate(MESSAGE, body, label_count=label_count)
    expected = [
        ("out_of_range" if c < 0 else "class_out_of_range", f"{C}{i}")
        for i, c in enumerate(classes)
        if c < 0 or c >= label_count
    ]
    assert [(p.code, p.pointer) for p in problems] == expected


def test_an_integer_valued_float_class_is_judged_as_the_integer():
    """JSON Schema takes 7.0 as an integer, and the mock stores it as 7: it is in range or not
    as 7 is."""
    problems = validate(MESSAGE, payload(classes=(4.0, 7.0)), label_count=5)
    assert found(problems) == [
        ("class_out_of_range", "/raw_predictions/detection_classes/1", "warning")
    ]


def test_class_indexes_are_not_checked_without_the_label_count():
    assert validate(MESSAGE, payload(classes=(7, 70))) == []


def test_a_negative_class_is_an_error_labels_or_not():
    for labels in (None, 5):
        problems = validate(MESSAGE, payload(classes=(0, -1)), label_count=labels)
        expected = ("out_of_range", "/raw_predictions/detection_classes/1", "error")
        assert found(problems) == [expected]


@pytest.mark.parametrize("label_count", [0, -3, 2.0, True, "5"])
def test_a_label_count_that_is_not_a_positive_integer_is_refused(label_count):
    with pytest.raises(ValueError, match="label_count"):
        validate(MESSAGE, payload(), label_count=label_count)


def test_a_box_outside_names_each_coordinate_and_edge_and_restates_the_order():
    [problem] = validate(MESSAGE, payload(boxes=((-2, 6, 20, 30), (10, 12, 40, 70))))[:1]
    assert problem.code == "box_outside_image"
    assert "y1 = -2 is past the top edge (0)" in problem.message
    assert "[top, left, bottom, right]" in problem.message
    second = validate(MESSAGE, payload(boxes=((4, 6, 20, 30), (10, 12, 50, 70))))
    assert [p.code for p in second] == ["box_outside_image"]
    assert "y2 = 50 is past the bottom edge (48)" in second[0].message
    assert "x2 = 70 is past the right edge (64)" in second[0].message


def test_a_box_that_fits_only_read_x_first_is_suspect():
    problems = validate(MESSAGE, payload(boxes=((4, 6, 20, 30), X_FIRST)))
    assert found(problems) == [
        ("box_axis_order_suspect", "/raw_predictions/detection_boxes/1", "warning"),
        ("box_outside_image", "/raw_predictions/detection_boxes/1", "warning"),
    ]
    assert "[5, 50, 40, 60]" in problems[0].message  # the box as [top, left, bottom, right]


def test_a_box_outside_either_way_is_not_suspect():
    problems = validate(MESSAGE, payload(boxes=((4, 6, 20, 30), (10, 12, 60, 70))))
    assert [p.code for p in problems] == ["box_outside_image"]


def test_the_box_order_is_the_type_schemas(monkeypatch):
    """The coordinates' order is read from x-geometry, not restated: were the schema to say
    x first, a box sent x-first would fit, and one sent y-first would be the suspect one."""
    from dataclasses import replace

    from picsellia_contract import checks

    schema_order = checks.geometries()
    x_first = tuple(
        replace(g, coordinates=("x1", "y1", "x2", "y2")) if g.shape == "box" else g
        for g in schema_order
    )
    monkeypatch.setattr(checks, "geometries", lambda: x_first)
    assert validate(MESSAGE, payload(boxes=((4, 6, 20, 30), X_FIRST))) == []
    problems = validate(MESSAGE, payload(boxes=((4, 6, 20, 30), (5, 50, 40, 60))))
    assert [p.code for p in problems] == ["box_axis_order_suspect", "box_outside_image"]
    assert "read y-first, as [y1, x1, y2, x2]" in problems[0].message
    assert "[left, top, right, bottom] = [x1, y1, x2, y2], x first" in problems[1].message
    assert "y1 = 50 is past the bottom edge (48)" in problems[1].message


def write(tmp_path, body) -> str:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(body))
    return str(path)


def test_the_validate_command_takes_the_label_count(tmp_path, capsys):
    path = write(tmp_path, payload(classes=(0, 7)))
    assert main(["validate", MESSAGE, path]) == 0
    assert "(0 errors, 0 warnings)" in capsys.readouterr().out
    assert main(["validate", MESSAGE, path, "--labels", "5"]) == 0
    out = capsys.readouterr().out
    assert "(0 errors, 1 warnings)" in out and "[class_out_of_range]" in out
    assert main(["validate", MESSAGE, path, "--labels", "5", "--strict"]) == 1


@pytest.mark.parametrize("value", ["0", "-1", "five", "2.5", "\u0665"])
def test_a_bad_labels_option_is_one_line_and_exit_2(tmp_path, capsys, value):
    assert main(["validate", MESSAGE, write(tmp_path, payload()), "--labels", value]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "--labels" in captured.err


def monitor(client, ids, login, body):
    url = f"/api/deployment/{ids['OBJECT_DETECTION']}/predictions"
    return client.post(url, data=json.dumps(body), headers=login("monitoring", "OBJECT_DETECTION"))


def test_the_mock_warns_with_its_deployments_labels(client, ids, login):
    beyond = len(DEMO_LABELS)
    answer = monitor(client, ids, login, payload(classes=(beyond - 1, beyond)))
    assert answer.status_code == 201, answer.json
    assert [(w["code"], w["pointer"]) for w in answer.json["warnings"]] == [
        ("class_out_of_range", "/raw_predictions/detection_classes/1")
    ]
    assert f"{beyond} labels" in answer.json["warnings"][0]["message"]


def test_the_mock_warns_about_an_integer_valued_float_class(client, ids, login):
    beyond = float(len(DEMO_LABELS))
    answer = monitor(client, ids, login, payload(classes=(0.0, beyond)))
    assert answer.status_code == 201, answer.json
    assert [(w["code"], w["pointer"]) for w in answer.json["warnings"]] == [
        ("class_out_of_range", "/raw_predictions/detection_classes/1")
    ]


def test_the_mock_refuses_a_negative_class(client, ids, login):
    body = assert_error(monitor(client, ids, login, payload(classes=(-1, 0))), 422, "out_of_range")
    assert body["problems"][0]["pointer"] == "/raw_predictions/detection_classes/0"


def test_the_mock_warns_about_a_box_sent_x_first(client, ids, login):
    answer = monitor(client, ids, login, payload(boxes=((4, 6, 20, 30), X_FIRST)))
    assert answer.status_code == 201, answer.json
    assert {w["code"] for w in answer.json["warnings"]} == {
        "box_outside_image",
        "box_axis_order_suspect",
    }


def test_the_admin_validate_route_takes_the_label_count(client):
    route = f"/__admin/validate/{MESSAGE}?deployment_type=OBJECT_DETECTION"
    body = json.dumps(payload(classes=(0, 3)))
    assert client.post(route, data=body).json["problems"] == []
    problems = client.post(route + "&label_count=3", data=body).json["problems"]
    assert [(p["code"], p["pointer"]) for p in problems] == [
        ("class_out_of_range", "/raw_predictions/detection_classes/1")
    ]
    assert_error(client.post(route + "&label_count=0", data=body), 422, "out_of_range")
    assert_error(client.post(route + "&label_count=x", data=body), 422, "wrong_type")
