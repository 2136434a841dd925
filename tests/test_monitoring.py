"""The monitoring service: predictions, duplicates, shadows, deployment info, stats."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from mockserver.app import create_app
from mockserver.config import Config

from .helpers import TYPES, assert_conforms, assert_error, b64, image, sdk_payload


def monitor(client, ids, login, type_, payload, headers=None):
    url = f"/api/deployment/{ids[type_]}/predictions"
    return client.post(url, data=json.dumps(payload), headers=headers or login("monitoring", type_))


def stored(client, ids, type_):
    return client.get(f"/__admin/deployments/{ids[type_]}/predictions").json["predictions"]


@pytest.mark.parametrize("type_", TYPES)
def test_sdk_payload_of_each_type_is_stored_as_received(client, ids, login, type_):
    payload = sdk_payload(type_)
    response = monitor(client, ids, login, type_, payload)
    assert response.status_code == 201, response.json
    assert_conforms("monitoring-prediction-response", response.json)
    [record] = stored(client, ids, type_)
    assert record["id"] == response.json["id"] and record["origin"] == "monitoring"
    image_bytes = client.get(f"/__admin/predictions/{record['id']}/image").data
    assert b64(image_bytes) == payload["image"]
    assert record["body"]["image"] == {
        "size": len(image_bytes),
        "sha256": hashlib.sha256(image_bytes).hexdigest(),
    }
    assert {k: v for k, v in record["body"].items() if k != "image"} == {
        k: v for k, v in payload.items() if k != "image"
    }


def test_same_image_and_filename_again_is_409_with_message(client, ids, login):
    payload = sdk_payload("CLASSIFICATION")
    assert monitor(client, ids, login, "CLASSIFICATION", payload).status_code == 201
    body = assert_error(
        monitor(client, ids, login, "CLASSIFICATION", payload), 409, "already_processed"
    )
    assert "already stored" in body["message"]
    renamed = dict(payload, filename="other.png")
    assert monitor(client, ids, login, "CLASSIFICATION", renamed).status_code == 201
    assert len(stored(client, ids, "CLASSIFICATION")) == 2


def test_duplicate_rule_can_be_turned_off(tmp_path, ids):
    app = create_app(Config(db_path=str(tmp_path / "db"), reject_duplicates=False))
    client = app.test_client()
    body = {"api_token": "demo-api-token", "deployment_id": ids["CLASSIFICATION"]}
    headers = {"Authorization": "Bearer " + client.post("/api/auth/login", json=body).json["jwt"]}
    url = f"/api/deployment/{ids['CLASSIFICATION']}/predictions"
    for _ in range(2):
        assert (
            client.post(url, json=sdk_payload("CLASSIFICATION"), headers=headers).status_code == 201
        )


def test_warnings_are_answered_and_journaled_but_do_not_reject(client, ids, login):
    payload = sdk_payload("OBJECT_DETECTION")
    payload["raw_predictions"]["detection_scores"][0] = 1.5
    response = monitor(client, ids, login, "OBJECT_DETECTION", payload)
    assert response.status_code == 201
    assert [w["code"] for w in response.json["warnings"]] == ["score_out_of_range"]
    entry = client.get("/__admin/requests?service=monitoring&status=201").json["entries"][0]
    assert [p["code"] for p in entry["problems"]] == ["score_out_of_range"]


def test_strict_mode_rejects_warnings(tmp_path, ids):
    app = create_app(Config(db_path=str(tmp_path / "db"), strict=True))
    client = app.test_client()
    body = {"api_token": "demo-api-token", "deployment_id": ids["OBJECT_DETECTION"]}
    headers = {"Authorization": "Bearer " + client.post("/api/auth/login", json=body).json["jwt"]}
    payload = sdk_payload("OBJECT_DETECTION")
    payload["height"] = 50
    url = f"/api/deployment/{ids['OBJECT_DETECTION']}/predictions"
    assert_error(
        client.post(url, json=payload, headers=headers), 422, "image_size_mismatch", "/height"
    )


def test_invalid_payload_lists_every_problem_and_stores_nothing(client, ids, login):
    payload = sdk_payload("OBJECT_DETECTION")
    payload["content_type"] = "image/jpg"
    payload["raw_predictions"]["detection_scores"].pop()
    del payload["latency"]
    body = assert_error(
        monitor(client, ids, login, "OBJECT_DETECTION", payload),
        422,
        "invalid_value",
        "/content_type",
    )
    found = {(p["code"], p["pointer"]) for p in body["problems"]}
    assert found >= {
        ("missing_property", "/latency"),
        ("list_length_mismatch", "/raw_predictions/detection_scores"),
    }
    assert stored(client, ids, "OBJECT_DETECTION") == []


def test_another_types_prediction_is_refused(client, ids, login):
    payload = sdk_payload("POINT")
    response = monitor(client, ids, login, "OBJECT_DETECTION", payload)
    assert_error(response, 422, "prediction_type_mismatch", "/raw_predictions")


def test_shadow_is_stored_once(client, ids, login):
    created = monitor(client, ids, login, "LINE", sdk_payload("LINE")).json["id"]
    headers = login("monitoring", "LINE")
    shadow = {
        "shadow_raw_predictions": copy.deepcopy(sdk_payload("LINE")["raw_predictions"]),
        "shadow_latency": 0.3,
    }
    response = client.post(f"/api/prediction/{created}/shadow", json=shadow, headers=headers)
    assert response.status_code == 201
    assert_conforms("shadow-response", response.json)
    assert stored(client, ids, "LINE")[0]["shadow"] == shadow
    again = client.post(f"/api/prediction/{created}/shadow", json=shadow, headers=headers)
    assert_error(again, 409, "already_shadowed")


def test_a_payload_carrying_its_shadow_counts_as_shadowed(client, ids, login):
    shadow = {
        "shadow_raw_predictions": copy.deepcopy(sdk_payload("LINE")["raw_predictions"]),
        "shadow_latency": 0.3,
    }
    payload = {**sdk_payload("LINE"), **shadow}
    created = monitor(client, ids, login, "LINE", payload).json["id"]
    headers = login("monitoring", "LINE")
    assert stored(client, ids, "LINE")[0]["shadow"] == shadow
    info = client.get(f"/api/deployment/{ids['LINE']}", headers=headers).json
    assert (info["prediction_count"], info["shadow_prediction_count"]) == (1, 1)
    again = client.post(f"/api/prediction/{created}/shadow", json=shadow, headers=headers)
    assert_error(again, 409, "already_shadowed")


def test_shadow_of_unknown_prediction_is_404(client, login):
    shadow = {
        "shadow_raw_predictions": {"detection_classes": [], "detection_scores": []},
        "shadow_latency": 1,
    }
    response = client.post("/api/prediction/nope/shadow", json=shadow, headers=login("monitoring"))
    assert_error(response, 404, "prediction_not_found")


def test_shadow_with_another_deployments_token_is_403(client, ids, login):
    created = monitor(client, ids, login, "LINE", sdk_payload("LINE")).json["id"]
    shadow = {"shadow_raw_predictions": sdk_payload("LINE")["raw_predictions"], "shadow_latency": 1}
    response = client.post(
        f"/api/prediction/{created}/shadow", json=shadow, headers=login("monitoring", "POINT")
    )
    assert_error(response, 403, "token_wrong_deployment")


def test_deployment_info_counts_what_is_stored(client, ids, login):
    monitor(client, ids, login, "MASK", sdk_payload("MASK"))
    response = client.get(f"/api/deployment/{ids['MASK']}", headers=login("monitoring", "MASK"))
    assert response.status_code == 200
    assert_conforms("deployment-info-response", response.json)
    assert response.json["prediction_count"] == 1 and response.json["type"] == "MASK"


@pytest.mark.parametrize(
    "route", ["/api/deployment/{}/stats", "/api/deployment/{}/predictions/stats"]
)
@pytest.mark.parametrize(
    "service, expected",
    [
        ("metrics", {"count": 2, "latency_mean": 0.75, "latency_min": 0.5, "latency_max": 1.0}),
        ("label_distribution", {"car": 1, "bus": 2, "truck": 1}),
        ("object_detection", {"instances_total": 4, "instances_per_image_mean": 2}),
        ("ks_drift", {"latency_ks_statistic": 1.0}),
        ("ae_outlier", {"latency_outliers": 0}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_stats_are_computed_from_stored_predictions(client, ids, login, route, service, expected):
    first = sdk_payload("OBJECT_DETECTION")
    second = dict(first, filename="two.png", latency=0.5)
    second["raw_predictions"] = dict(first["raw_predictions"], detection_classes=[2, 1])
    for payload in (first, second):
        assert monitor(client, ids, login, "OBJECT_DETECTION", payload).status_code == 201
    url = route.format(ids["OBJECT_DETECTION"]) + f"?service={service}"
    response = client.get(url, headers=login("monitoring"))
    assert response.status_code == 200
    assert_conforms("stats-response", response.json)
    assert response.json["count"] == 2
    assert response.json["values"] | expected == response.json["values"]


def test_stats_window_and_tags_filter(client, ids, login):
    old = dict(sdk_payload("POINT"), timestamp=1_000_000_000.0, tags=["night"])
    new = dict(sdk_payload("POINT"), filename="n.png", tags=["day"])
    for payload in (old, new):
        monitor(client, ids, login, "POINT", payload)
    base = f"/api/deployment/{ids['POINT']}/stats?service=metrics"
    headers = login("monitoring", "POINT")
    assert client.get(base + "&since=1500000000", headers=headers).json["count"] == 1
    assert client.get(base + "&tags=night", headers=headers).json["count"] == 1
    assert client.get(base + "&tags=night&tags=day", headers=headers).json["count"] == 2


@pytest.mark.parametrize(
    "query, code, pointer",
    [
        ("", "missing_property", "/service"),
        ("?service=magic", "invalid_value", "/service"),
        ("?service=metrics&since=yesterday", "wrong_type", "/since"),
        ("?service=metrics&colour=red", "unknown_property", "/colour"),
    ],
    ids=["no-service", "unknown-service", "since-not-number", "unknown-parameter"],
)
def test_bad_stats_queries_are_422(client, ids, login, query, code, pointer):
    url = f"/api/deployment/{ids['OBJECT_DETECTION']}/stats{query}"
    assert_error(client.get(url, headers=login("monitoring")), 422, code, pointer)


def test_a_jpeg_payload_from_the_guide_style_is_accepted(client, ids, login):
    payload = dict(sdk_payload("CLASSIFICATION"), content_type="image/jpeg", filename="a.jpg")
    payload["image"] = b64(image("JPEG", (64, 48)))
    assert monitor(client, ids, login, "CLASSIFICATION", payload).status_code == 201


def test_integer_valued_floats_are_stored_as_integers(client, ids, login):
    payload = sdk_payload("OBJECT_DETECTION")
    payload["height"], payload["width"] = 48.0, 64.0
    raw = payload["raw_predictions"]
    raw["detection_classes"] = [float(c) for c in raw["detection_classes"]]
    raw["detection_boxes"] = [[float(v) for v in box] for box in raw["detection_boxes"]]
    assert monitor(client, ids, login, "OBJECT_DETECTION", payload).status_code == 201
    [record] = stored(client, ids, "OBJECT_DETECTION")
    body = record["body"]
    assert (type(body["height"]), type(body["width"])) == (int, int)
    assert all(type(c) is int for c in body["raw_predictions"]["detection_classes"])
    assert all(type(v) is int for box in body["raw_predictions"]["detection_boxes"] for v in box)
    assert type(body["latency"]) is float  # a number field keeps its decimal point
    journal = client.get("/__admin/requests?route=monitorPrediction").json["entries"][0]
    assert type(journal["request"]["body"]["height"]) is float  # the journal keeps what was sent


def test_an_integer_valued_float_deep_in_the_predictions_is_stored_as_an_integer(
    client, ids, login
):
    payload = sdk_payload("OBJECT_DETECTION")
    payload["latency"] = 0.25  # a float that stays one
    payload["raw_predictions"]["detection_boxes"][-1][-1] = 30.0  # the only integer-valued float
    assert monitor(client, ids, login, "OBJECT_DETECTION", payload).status_code == 201
    [record] = stored(client, ids, "OBJECT_DETECTION")
    box = record["body"]["raw_predictions"]["detection_boxes"][-1]
    assert (box[-1], type(box[-1])) == (30, int)
    assert record["body"]["latency"] == 0.25
