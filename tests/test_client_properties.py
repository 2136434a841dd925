"""Properties: client, server and schemas say the same thing (live mock, bounded by the profile)."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from picsellia_contract import validate
from reference_client import MonitoringClient, RequestInvalid, ServingClient

from . import strategies as s

MUTATIONS = {
    "drop filename": (lambda p: p.pop("filename"), "missing_property", "/filename"),
    "height as text": (lambda p: p.update(height=str(p["height"])), "wrong_type", "/height"),
    "one more score": (
        lambda p: p["raw_predictions"]["detection_scores"].append(0.5),
        "list_length_mismatch",
        "/raw_predictions/detection_scores",
    ),
    "base64 broken": (lambda p: p.update(image=p["image"] + "!"), "invalid_base64", "/image"),
    "magic bytes swapped": (
        lambda p: p.update(
            image=base64.b64encode(b"GIF89a" + base64.b64decode(p["image"])[6:]).decode()
        ),
        "image_not_png_or_jpeg",
        "/image",
    ),
    "content type jpg": (
        lambda p: p.update(content_type="image/jpg"),
        "invalid_value",
        "/content_type",
    ),
    "unknown field": (lambda p: p.update(model_version="v1"), "unknown_property", "/model_version"),
}


@pytest.fixture(scope="module")
def mock(picsellia_mock_server):
    return picsellia_mock_server


def monitoring_token(mock, type_):
    body = {"api_token": mock.api_token, "deployment_id": mock.deployments[type_]}
    return requests.post(mock.base_url + "/api/auth/login", json=body, timeout=10).json()["jwt"]


@given(
    st.sampled_from(s.MONITORABLE).flatmap(
        lambda t: st.tuples(st.just(t), s.monitoring_payloads(t))
    )
)
def test_any_valid_payload_is_stored_exactly_as_sent(mock, drawn):
    type_, payload = drawn
    mock.reset()
    client = MonitoringClient(
        mock.base_url, mock.deployments[type_], mock.api_token, deployment_type=type_
    )
    answer = client.monitor(payload)
    assert validate("monitoring-prediction-response", answer) == []
    [record] = mock.predictions(type_)
    assert record["id"] == answer["id"]
    stored, sent = dict(record["body"]), dict(payload)
    if "image" in sent:
        assert base64.b64encode(mock.image(answer["id"])).decode() == sent.pop("image")
        stored.pop("image")
    assert stored == sent


@given(
    s.monitoring_payloads("OBJECT_DETECTION", with_image=True), st.sampled_from(sorted(MUTATIONS))
)
def test_an_invalid_mutation_is_refused_by_client_and_server_alike(mock, payload, name):
    mutate, code, pointer = MUTATIONS[name]
    mutate(payload)
    mock.reset()
    deployment_id = mock.deployments["OBJECT_DETECTION"]
    client = MonitoringClient(
        mock.base_url, deployment_id, mock.api_token, deployment_type="OBJECT_DETECTION"
    )
    with pytest.raises(RequestInvalid) as refused:
        client.monitor(payload)
    client_found = {(p["code"], p["pointer"]) for p in refused.value.problems}
    assert (code, pointer) in client_found
    assert mock.requests() == [
        e for e in mock.requests() if e["service"] == "admin"
    ]  # nothing sent
    response = requests.post(
        f"{mock.base_url}/api/deployment/{deployment_id}/predictions",
        data=json.dumps(payload),
        headers={"Authorization": "Bearer " + monitoring_token(mock, "OBJECT_DETECTION")},
        timeout=10,
    )
    assert response.status_code == 422
    server_found = {(p["code"], p["pointer"]) for p in response.json()["problems"]}
    assert server_found == client_found
    assert mock.predictions("OBJECT_DETECTION") == []


def forge(mock, kind):
    deployment_id = mock.deployments["OBJECT_DETECTION"]
    if kind == "expired":
        token = monitoring_token(mock, "OBJECT_DETECTION")
        mock.advance_clock(3601)
        return token
    if kind == "other deployment":
        return monitoring_token(mock, "POINT")
    if kind == "other service":
        body = {"api_token": mock.api_token, "deployment_id": deployment_id}
        return requests.post(mock.base_url + "/api/login", json=body, timeout=10).json()["jwt"]
    claims = {"aud": "monitoring", "sub": deployment_id, "exp": time.time() + 600}
    return jwt.encode(claims, "a-key-that-is-not-the-servers-32-bytes", algorithm="HS256")


@given(
    st.sampled_from(["expired", "other deployment", "other service", "forged"]),
    s.monitoring_payloads("OBJECT_DETECTION"),
)
def test_bad_tokens_are_always_rejected(mock, kind, payload):
    mock.reset()
    token = forge(mock, kind)
    url = f"{mock.base_url}/api/deployment/{mock.deployments['OBJECT_DETECTION']}/predictions"
    response = requests.post(
        url, data=json.dumps(payload), headers={"Authorization": "Bearer " + token}, timeout=10
    )
    expected = {
        "expired": ("token_expired", 401),
        "other deployment": ("token_wrong_deployment", 403),
        "other service": ("token_wrong_service", 401),
        "forged": ("token_invalid", 401),
    }[kind]
    assert (response.json()["problems"][0]["code"], response.status_code) == expected
    assert mock.predictions("OBJECT_DETECTION") == []


@given(st.sampled_from(s.MONITORABLE), st.data())
def test_every_success_body_validates_against_its_schema(mock, type_, data):
    mock.reset()
    deployment_id = mock.deployments[type_]
    serving = ServingClient(mock.base_url, deployment_id, mock.api_token)
    width, height = data.draw(st.integers(1, 64)), data.draw(st.integers(1, 64))
    predicted = serving.predict(
        s.image_bytes("PNG", width, height), monitor=data.draw(st.booleans())
    )
    assert validate("predict-response", predicted, deployment_type=type_, strict=True) == []
    cloud = data.draw(s.cloud_images)
    first = serving.predict_cloud_image(cloud)
    assert validate("predict-response", first, deployment_type=type_, strict=True) == []
    shadow = serving.predict_shadow(first["prediction_id"], cloud)
    assert validate("predict-response", shadow, deployment_type=type_, strict=True) == []
    monitoring = MonitoringClient(mock.base_url, deployment_id, mock.api_token)
    payload = data.draw(s.monitoring_payloads(type_))
    for key in ("shadow_raw_predictions", "shadow_latency"):  # its shadow comes next
        payload.pop(key, None)
    created = monitoring.monitor(payload)
    assert validate("monitoring-prediction-response", created) == []
    raw = data.draw(s.raw_predictions(type_))
    assert validate("shadow-response", monitoring.shadow(created["id"], raw, 0.1)) == []
    assert validate("deployment-info-response", monitoring.deployment()) == []
    service = data.draw(
        st.sampled_from(
            [
                "metrics",
                "ks_drift",
                "label_distribution",
                "object_detection",
                "classification",
                "ae_outlier",
            ]
        )
    )
    assert validate("stats-response", monitoring.stats(service)) == []
    for name, body in (
        (
            "admin-journal-response",
            requests.get(mock.base_url + "/__admin/requests", timeout=10).json(),
        ),
        (
            "admin-predictions-response",
            requests.get(
                f"{mock.base_url}/__admin/deployments/{deployment_id}/predictions", timeout=10
            ).json(),
        ),
        (
            "admin-health-response",
            requests.get(mock.base_url + "/__admin/health", timeout=10).json(),
        ),
    ):
        assert validate(name, body) == [], name
