"""The serving service: multipart predict (plural and singular), v2 cloud image, v2 shadow."""

from __future__ import annotations

import io

import pytest

from mockserver.app import create_app
from mockserver.config import Config
from picsellia_contract.registry import inlined_schema

from .helpers import TYPES, assert_conforms, assert_error, image

CLOUD = {"connector_id": "c", "client_type": "S3", "bucket_name": "b", "object_name": "d/f.jpg"}


def form(data: bytes, filename: str = "frame.png", **fields) -> dict:
    return {"media": (io.BytesIO(data), filename), **fields}


@pytest.mark.parametrize("route", ["/api/deployments/{}/predict", "/api/deployment/{}/predict"])
@pytest.mark.parametrize("type_", TYPES)
def test_predict_answers_a_prediction_of_the_deployments_type(client, ids, login, route, type_):
    headers = login("serving", type_)
    response = client.post(route.format(ids[type_]), data=form(image()), headers=headers)
    assert response.status_code == 200, response.json
    # strict: geometry inside the 64 x 48 image, scores in [0, 1], lists of equal length
    assert_conforms("predict-response", response.json, deployment_type=type_)
    assert response.json["type"] == type_
    assert (response.json["width"], response.json["height"]) == (64, 48)
    assert all(0 <= c < 5 for c in response.json["raw_predictions"]["detection_classes"])


def test_sdk_form_with_monitor_true_stores_a_monitored_prediction(client, ids, login):
    fields = {"tags": ["a", "b"], "monitor": "True", "postprocess": "False", "source": "cam"}
    fields["metadata"] = '{"site": "lyon"}'
    url = f"/api/deployments/{ids['POINT']}/predict"
    response = client.post(url, data=form(image(), **fields), headers=login("serving", "POINT"))
    assert response.json["monitored"] is True
    stored = client.get(f"/__admin/deployments/{ids['POINT']}/predictions").json["predictions"]
    assert [p["id"] for p in stored] == [response.json["prediction_id"]]
    body = stored[0]["body"]
    assert body["tags"] == ["a", "b"] and body["source"] == "cam"
    assert body["metadata"] == {"site": "lyon"}
    assert body["raw_predictions"] == response.json["raw_predictions"]
    assert stored[0]["origin"] == "serving"
    # what serving forwards is itself a valid monitoring payload (image shown as size + hash)
    assert set(body["image"]) == {"size", "sha256"}
    forwarded = {k: v for k, v in body.items() if k != "image"} | {"cloud_image": CLOUD}
    assert_conforms("monitoring-prediction-request", forwarded, "POINT")


def test_monitor_false_stores_nothing(client, ids, login):
    url = f"/api/deployments/{ids['LINE']}/predict"
    response = client.post(
        url, data=form(image(), monitor="False"), headers=login("serving", "LINE")
    )
    assert response.json == response.json | {"monitored": False, "prediction_id": None}
    assert client.get(f"/__admin/deployments/{ids['LINE']}/predictions").json["count"] == 0


def test_prediction_is_a_function_of_image_deployment_and_seed(tmp_path, ids):
    answers = []
    for seed, color in ((0, (1, 2, 3)), (0, (1, 2, 3)), (0, (9, 9, 9)), (7, (1, 2, 3))):
        app = create_app(Config(db_path=str(tmp_path / f"{seed}-{color}.db"), seed=seed))
        client = app.test_client()
        body = {"api_token": "demo-api-token", "deployment_id": ids["OBJECT_DETECTION"]}
        token = client.post("/api/login", json=body).json["jwt"]
        url = f"/api/deployments/{ids['OBJECT_DETECTION']}/predict"
        headers = {"Authorization": "Bearer " + token}
        data = form(image(color=color), monitor="False")
        answers.append(client.post(url, data=data, headers=headers).json["raw_predictions"])
    assert answers[0] == answers[1]
    assert answers[0] != answers[2] and answers[0] != answers[3]


def test_jpeg_media_is_accepted(client, ids, login):
    url = f"/api/deployments/{ids['KEYPOINT']}/predict"
    data = form(image("JPEG", (30, 20)), "f.jpg")
    response = client.post(url, data=data, headers=login("serving", "KEYPOINT"))
    assert response.status_code == 200
    assert_conforms("predict-response", response.json, "KEYPOINT")


@pytest.mark.parametrize(
    "data, code, pointer",
    [
        ({"media": (io.BytesIO(b"GIF89a" + bytes(50)), "x.gif")}, "media_not_image", "/media"),
        ({"media": "just text"}, "media_not_image", "/media"),
        ({"monitor": "True"}, "missing_property", "/media"),
        ({"media": (io.BytesIO(image()), "x.png"), "monitor": "yes"}, "invalid_value", "/monitor"),
        (
            {"media": (io.BytesIO(image()), "x.png"), "metadata": "x"},
            "metadata_not_json_object",
            "/metadata",
        ),
        ({"media": (io.BytesIO(image()), "x.png"), "colour": "red"}, "unknown_property", "/colour"),
    ],
    ids=["gif", "text-media", "no-media", "monitor-yes", "metadata-not-json", "unknown-field"],
)
def test_bad_forms_are_422_and_store_nothing(client, ids, login, data, code, pointer):
    url = f"/api/deployments/{ids['MASK']}/predict"
    headers = login("serving", "MASK")
    response = client.post(url, data=data, headers=headers, content_type="multipart/form-data")
    assert_error(response, 422, code, pointer)
    assert client.get(f"/__admin/deployments/{ids['MASK']}/predictions").json["count"] == 0


def test_a_json_body_is_not_a_multipart_form(client, ids, login):
    url = f"/api/deployments/{ids['MASK']}/predict"
    response = client.post(url, json={"media": "x"}, headers=login("serving", "MASK"))
    assert_error(response, 400, "invalid_multipart")


def test_broken_multipart_is_400(client, ids, login):
    url = f"/api/deployments/{ids['MASK']}/predict"
    headers = login("serving", "MASK")
    response = client.post(
        url,
        data=b"garbage without parts",
        headers=headers,
        content_type="multipart/form-data; boundary=xyz",
    )
    assert_error(response, 400, "invalid_multipart")


def test_v2_predict_on_a_cloud_image_is_monitored_by_default(client, ids, login):
    url = f"/api/v2/deployments/{ids['SEGMENTATION']}/predict"
    body = {"tags": [], "monitor": True, "postprocess": False, "cloud_image": CLOUD}
    response = client.post(url, json=body, headers=login("serving", "SEGMENTATION"))
    assert response.status_code == 200
    assert_conforms("predict-response", response.json, "SEGMENTATION")
    stored = client.get(f"/__admin/deployments/{ids['SEGMENTATION']}/predictions").json
    assert stored["predictions"][0]["body"]["cloud_image"] == CLOUD


def test_v2_shadow_attaches_to_a_stored_prediction_once(client, ids, login):
    headers = login("serving", "OBJECT_DETECTION")
    base = f"/api/v2/deployments/{ids['OBJECT_DETECTION']}"
    first = client.post(base + "/predict", json={"cloud_image": CLOUD}, headers=headers).json
    shadow = {"prediction_id": first["prediction_id"], "monitor": True, "cloud_image": CLOUD}
    response = client.post(base + "/predict/shadow", json=shadow, headers=headers)
    assert response.status_code == 200
    assert_conforms("predict-response", response.json, "OBJECT_DETECTION")
    assert response.json["prediction_id"] == first["prediction_id"]
    again = client.post(base + "/predict/shadow", json=shadow, headers=headers)
    assert_error(again, 409, "already_shadowed")
    unknown = dict(shadow, prediction_id="missing")
    assert_error(
        client.post(base + "/predict/shadow", json=unknown, headers=headers),
        404,
        "prediction_not_found",
    )


def test_v2_predict_validates_its_body(client, ids, login):
    url = f"/api/v2/deployments/{ids['POINT']}/predict"
    response = client.post(url, json={"monitor": "True"}, headers=login("serving", "POINT"))
    body = assert_error(response, 422, "missing_property", "/cloud_image")
    assert ("wrong_type", "/monitor") in {(p["code"], p["pointer"]) for p in body["problems"]}


@pytest.mark.parametrize("part_type", ["application/octet-stream", "image/png", "text/plain"])
def test_a_part_content_type_on_media_is_accepted_and_the_bytes_decide(
    client, ids, login, part_type
):
    url = f"/api/deployments/{ids['POINT']}/predict"
    data = {"monitor": "False", "media": (io.BytesIO(image()), "frame.png", part_type)}
    response = client.post(url, data=data, headers=login("serving", "POINT"))
    assert response.status_code == 200, response.json
    parts = client.get("/__admin/requests?route=predict").json["entries"][0]["request"]["body"]
    assert parts[-1]["name"] == "media" and parts[-1]["content_type"] == part_type


# monitor's default: the schema's `default`, read by the server (flip it and the answer follows)
MONITOR_DEFAULTS = [
    ("predict-form", "/api/deployments/{}/predict", {"True": True, "False": False}),
    ("predict-v2-request", "/api/v2/deployments/{}/predict", {True: True, False: False}),
]


@pytest.mark.parametrize("message, route, meaning", MONITOR_DEFAULTS)
@pytest.mark.parametrize("flip", [False, True])
def test_an_absent_monitor_takes_the_schemas_default(
    client, ids, login, monkeypatch, message, route, meaning, flip
):
    spec = inlined_schema(message)["properties"]["monitor"]
    assert "default" in spec, f"{message}.json declares no default for monitor"
    if flip:
        other = next(value for value in meaning if value != spec["default"])
        monkeypatch.setitem(spec, "default", other)
    url = route.format(ids["POINT"])
    headers = login("serving", "POINT")
    if message == "predict-form":
        response = client.post(url, data=form(image()), headers=headers)
    else:
        response = client.post(url, json={"cloud_image": CLOUD}, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["monitored"] is meaning[spec["default"]]
    assert (response.json["prediction_id"] is not None) is meaning[spec["default"]]
