"""What the reference client sends: routes, headers, multipart parts, JSON keys and types."""

from __future__ import annotations

import json
import time

import pytest
import responses
from werkzeug.test import EnvironBuilder

from reference_client import MonitoringClient, RequestInvalid, ServingClient

from .helpers import b64, image

HOST = "http://mock.test"
CLOUD = {"connector_id": "c", "client_type": "S3", "bucket_name": "b", "object_name": "o.png"}
RAW = {"detection_classes": [0], "detection_scores": [0.5], "detection_boxes": [[1, 2, 3, 4]]}


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def expect_login(rsps, service: str) -> None:
    """The one login a test's client makes: serving answers jwt 's', monitoring 'o'."""
    route, jwt = ("/api/login", "s") if service == "serving" else ("/api/auth/login", "o")
    rsps.post(HOST + route, json={"jwt": jwt, "expires": int(time.time()) + 3600})


def parse_multipart(request):
    parsed = EnvironBuilder(
        method="POST", data=request.body, content_type=request.headers["Content-Type"]
    ).get_request()
    return parsed.form, parsed.files


@pytest.mark.parametrize(
    "singular, route", [(False, "/api/deployments/d/predict"), (True, "/api/deployment/d/predict")]
)
def test_predict_sends_the_sdks_multipart(rsps, singular, route):
    rsps.post(HOST + route, json={"ok": 1})
    expect_login(rsps, "serving")
    client = ServingClient(HOST, "d", "t", singular_route=singular)
    client.predict(image(), filename="f.png", tags=["a", "b"], source="cam", metadata={"k": 1})
    sent = rsps.calls[-1].request
    assert sent.headers["Authorization"] == "Bearer s"
    form, files = parse_multipart(sent)
    assert form.getlist("tags") == ["a", "b"]
    assert (form["monitor"], form["postprocess"], form["source"]) == ("True", "False", "cam")
    assert json.loads(form["metadata"]) == {"k": 1}
    assert files["media"].filename == "f.png" and files["media"].read() == image()
    body = sent.body
    media_header = body[body.index(b'name="media"') :].split(b"\r\n\r\n", 1)[0]
    assert b"Content-Type" not in media_header  # no per-part type, as the SDK
    assert body.index(b'name="media"') > body.rindex(b'name="tags"')  # file part last


def test_predict_without_tags_sends_no_tags_part(rsps):
    rsps.post(HOST + "/api/deployments/d/predict", json={})
    expect_login(rsps, "serving")
    ServingClient(HOST, "d", "t").predict(image(), monitor=False)
    form, _ = parse_multipart(rsps.calls[-1].request)
    assert "tags" not in form and form["monitor"] == "False"


def test_v2_bodies(rsps):
    rsps.post(HOST + "/api/v2/deployments/d/predict", json={})
    rsps.post(HOST + "/api/v2/deployments/d/predict/shadow", json={})
    expect_login(rsps, "serving")
    client = ServingClient(HOST, "d", "t")
    client.predict_cloud_image(CLOUD)
    client.predict_shadow("p-1", CLOUD, monitor=False)
    assert json.loads(rsps.calls[1].request.body) == {
        "tags": [],
        "monitor": True,
        "postprocess": False,
        "cloud_image": CLOUD,
    }
    assert json.loads(rsps.calls[2].request.body) == {
        "prediction_id": "p-1",
        "monitor": False,
        "cloud_image": CLOUD,
    }


def test_monitoring_payload_reads_type_and_size_from_the_image(rsps):
    rsps.post(HOST + "/api/deployment/d/predictions", status=201, json={"id": "x"})
    expect_login(rsps, "monitoring")
    client = MonitoringClient(HOST, "d", "t")
    data = image("JPEG", (30, 20))
    payload = client.build_payload(data, RAW, 1, filename="f.jpg", timestamp=1.5e9, sample=True)
    assert client.monitor(payload) == {"id": "x"}
    sent = json.loads(rsps.calls[-1].request.body)
    assert sent == {
        "filename": "f.jpg",
        "content_type": "image/jpeg",
        "height": 20,
        "width": 30,
        "image": b64(data),
        "raw_predictions": RAW,
        "latency": 1.0,
        "tags": [],
        "timestamp": 1.5e9,
        "sample": True,
    }
    assert isinstance(sent["latency"], float)
    assert rsps.calls[-1].request.headers["Authorization"] == "Bearer o"


def test_monitoring_payload_from_a_path_with_every_option(tmp_path):
    path = tmp_path / "frame.png"
    path.write_bytes(image())
    client = MonitoringClient(HOST, "d", "t")
    payload = client.build_payload(
        path,
        RAW,
        0.2,
        width=64,
        height=48,
        tags=["x"],
        source="s",
        upload_dir="u",
        metadata={"a": 1},
        custom_metadata={"b": 2},
        custom_metrics={"c": 0.5},
        shadow_raw_predictions=RAW,
        shadow_latency=0.1,
    )
    assert payload["filename"] == "frame.png" and payload["content_type"] == "image/png"
    assert set(payload) >= {
        "upload_dir",
        "custom_metrics",
        "shadow_latency",
        "shadow_raw_predictions",
    }


def test_shadow_info_and_stats(rsps):
    rsps.post(HOST + "/api/prediction/p-1/shadow", status=201, json={"id": "p-1"})
    rsps.get(HOST + "/api/deployment/d", json={"id": "d"})
    rsps.get(HOST + "/api/deployment/d/predictions/stats", json={})
    expect_login(rsps, "monitoring")
    client = MonitoringClient(HOST, "d", "t")
    client.shadow("p-1", RAW, 1)
    client.deployment()
    client.stats("label_distribution", predictions_route=True, since=5, tags=["a", "b"])
    assert json.loads(rsps.calls[1].request.body) == {
        "shadow_raw_predictions": RAW,
        "shadow_latency": 1.0,
    }
    assert rsps.calls[-1].request.url.endswith("?service=label_distribution&since=5&tags=a&tags=b")


def test_invalid_payload_is_refused_before_sending(rsps):
    client = MonitoringClient(HOST, "d", "t", deployment_type="POINT")
    payload = client.build_payload(image(), RAW, 1)
    with pytest.raises(RequestInvalid) as caught:
        client.monitor(payload)
    assert caught.value.problems[0]["code"] == "prediction_type_mismatch"
    assert len(rsps.calls) == 0


def test_validation_can_be_turned_off(rsps):
    rsps.post(HOST + "/api/deployment/d/predictions", status=422, json={"message": "bad"})
    expect_login(rsps, "monitoring")
    client = MonitoringClient(HOST, "d", "t", validate=False)
    payload = client.build_payload(
        image(), {"detection_classes": [1, 2], "detection_scores": [1]}, 1
    )
    with pytest.raises(Exception, match="422"):
        client.monitor(payload)
    assert len(rsps.calls) == 2


def test_an_unreadable_image_is_refused(tmp_path):
    with pytest.raises(RequestInvalid, match="not a readable PNG or JPEG"):
        MonitoringClient(HOST, "d", "t").build_payload(b"GIF89a....", RAW, 1)


def test_every_path_the_client_calls_is_the_documents():
    from picsellia_contract.routes import operation
    from reference_client.routes import ROUTES

    for operation_id, path in ROUTES.items():
        assert operation(operation_id).path == path, operation_id
