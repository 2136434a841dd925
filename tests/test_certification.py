"""The conformance suite over the admin API (mockserver/certification): list, start, grade,
report, and the fairness of the grading."""

from __future__ import annotations

import base64
import json
from xml.etree import ElementTree

from mockserver.certification.grading import check_requests, same
from mockserver.certification.scenarios import files_dir, load_scenarios

from .helpers import assert_conforms, assert_error

BASE = "/__admin/conformance"
NAME = "monitor-object-detection"


def start(client, name: str = NAME, base_url: str = "http://127.0.0.1:8080"):
    return client.post(f"{BASE}/scenarios/{name}/start", json={}, base_url=base_url)


def grade(client, body: dict, name: str = NAME):
    return client.post(f"{BASE}/scenarios/{name}/grade", json=body)


def test_every_scenario_is_listed(client):
    answer = client.get(f"{BASE}/scenarios")
    assert_conforms("admin-scenarios-response", answer.json)
    names = [s["name"] for s in answer.json["scenarios"]]
    assert names == [s["name"] for s in load_scenarios()] and answer.json["count"] == len(names)


def test_start_answers_the_action_with_the_url_the_client_used(client, ids):
    answer = start(client, base_url="http://localhost:49153")
    assert answer.status_code == 200, answer.json
    action = answer.json
    assert_conforms("conformance-action", action)
    assert action["serving_url"] == action["monitoring_url"] == "http://localhost:49153"
    assert action["deployment_id"] == ids["OBJECT_DETECTION"]
    png = (files_dir() / "frame.png").read_bytes()
    assert base64.b64decode(action["files"]["frame.png"]) == png
    served = client.get(action["files_url"].removeprefix("http://localhost:49153") + "frame.png")
    assert served.status_code == 200 and served.data == png and served.mimetype == "image/png"


def test_unknown_scenarios_and_files_are_404(client):
    assert_error(start(client, "no-such-scenario"), 404, "scenario_not_found")
    assert_error(client.get(f"{BASE}/files/nope.png"), 404, "scenario_not_found")


def test_grading_a_scenario_not_started_is_409(client):
    start(client, "deployment-info")
    answer = grade(client, {"outcome": None}, NAME)
    body = assert_error(answer, 409, "scenario_not_started")
    assert "deployment-info" in body["message"]


def test_a_grade_request_breaking_its_schema_is_422(client):
    start(client)
    assert_error(grade(client, {"outcome": {"results": "no"}}), 422, "invalid_value", "/outcome")


def test_a_status_mismatch_names_the_codes_the_server_answered(client, login):
    action = start(client).json
    headers = login("monitoring", "OBJECT_DETECTION")
    call = action["calls"][0]["input"]
    payload = {
        "filename": "frame.png",
        "image": action["files"]["frame.png"],
        "width": 64,
        "height": 48,
        "raw_predictions": {"detection_classes": [0], "detection_scores": [0.9]},
        "latency": call["latency"],
    }
    posted = client.post(
        f"/api/deployment/{action['deployment_id']}/predictions", json=payload, headers=headers
    )
    assert posted.status_code == 422
    outcome = {"results": [{"ok": True, "value": {"id": "x"}}]}
    verdict = grade(client, {"outcome": outcome, "stderr": "boom\x01\x1b[0m"}).json
    assert_conforms("admin-verdict", verdict)
    assert not verdict["passed"] and len(verdict["failures"]) >= 2
    [mismatch] = [f for f in verdict["failures"] if "expected status 201, saw 422" in f]
    for problem in posted.json["problems"]:  # the server's own codes and pointers, as JSON
        assert f"{problem['code']} at {json.dumps(problem['pointer'])}" in mismatch
    assert 'call 1\'s answer has /id = "x"' in " ".join(verdict["failures"])  # JSON, not repr


def test_the_report_keeps_verdicts_until_reset_and_is_valid_junit(client):
    start(client)
    grade(client, {"outcome": None, "error": "the adapter exited with status 3", "stderr": "x\x00"})
    start(client, "deployment-info")  # a start keeps the verdicts
    report = client.get(f"{BASE}/report").json
    assert_conforms("admin-conformance-report", report)
    assert (report["passed"], report["failed"]) == (0, 1)
    [verdict] = report["scenarios"]
    assert verdict["failures"] == ["the adapter exited with status 3"]
    assert verdict["stderr"] == "x\x00"
    junit = client.get(f"{BASE}/report.xml")
    assert junit.mimetype == "application/xml"
    suites = ElementTree.fromstring(junit.data)  # well-formed, control characters dropped
    [case] = suites.iter("testcase")
    assert case.get("name") == NAME and case.find("failure") is not None
    client.post("/__admin/reset", json={})
    assert client.get(f"{BASE}/report").json["scenarios"] == []


def test_absent_and_null_are_the_same_inside_objects_but_not_elsewhere():
    assert same({"a": 1, "b": None}, {"a": 1})
    assert same([{"texts": None}], [{}])
    assert not same({"a": 1}, {"a": 1, "b": 0})
    assert not same([1], [1, None]) and not same(True, 1) and same(1, 1.0)


def entry(parts: list[tuple]) -> dict:
    body = [
        {"name": n, "value": v} if f is None else {"name": n, "filename": f} for n, v, f in parts
    ]
    request = {"body_kind": "multipart", "body": body, "query": {}}
    return {"operation": "predict", "status": 200, "request": request, "service": "serving"}


EXPECTED = [
    {
        "operation": "predict",
        "parts": [
            {"name": "tags", "value": "a"},
            {"name": "tags", "value": "b"},
            {"name": "monitor", "value": "True"},
            {"name": "media", "filename": "frame.png"},
        ],
    }
]


def test_text_parts_may_come_in_any_order_but_tags_keep_theirs_and_the_file_is_last():
    reordered = [("monitor", "True", None), ("tags", "a", None), ("tags", "b", None)]
    assert check_requests(EXPECTED, [entry([*reordered, ("media", None, "frame.png")])]) == []
    swapped = [("tags", "b", None), ("tags", "a", None), ("monitor", "True", None)]
    [failure] = check_requests(EXPECTED, [entry([*swapped, ("media", None, "frame.png")])])
    assert 'expected the text "a", saw "b"' in failure
    first = [("media", None, "frame.png"), *reordered]
    [failure] = check_requests(EXPECTED, [entry(first)])
    assert 'the file part "media" must come last' in failure
    [failure] = check_requests(EXPECTED, [entry([*reordered[1:], ("media", None, "frame.png")])])
    assert "expected the parts" in failure  # a part missing is counted
    assert json.dumps(["tags", "tags", "monitor", "media"]) in failure
