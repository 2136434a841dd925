"""The reference client against a live mock, for all seven types, and its command line."""

from __future__ import annotations

import copy
import json

import pytest

from reference_client import AlreadyProcessed, MonitoringClient, ServingClient
from reference_client.cli import main

from .helpers import TYPES, image, sdk_payload

CLOUD = {"connector_id": "c", "client_type": "S3", "bucket_name": "b", "object_name": "o.png"}


@pytest.mark.parametrize("type_", TYPES)
def test_predict_then_monitor_then_shadow_for_each_type(picsellia_mock, type_):
    deployment_id = picsellia_mock.deployments[type_]
    serving = ServingClient(
        picsellia_mock.base_url, deployment_id, picsellia_mock.api_token, deployment_type=type_
    )
    predicted = serving.predict(image(), monitor=False)
    assert predicted["type"] == type_
    monitoring = MonitoringClient(
        picsellia_mock.base_url, deployment_id, picsellia_mock.api_token, deployment_type=type_
    )
    raw = sdk_payload(type_)["raw_predictions"]
    payload = monitoring.build_payload(image(), raw, 0.25, tags=["live"])
    created = monitoring.monitor(payload)
    monitoring.shadow(created["id"], copy.deepcopy(raw), 0.5)
    [record] = picsellia_mock.predictions(type_)
    assert record["id"] == created["id"] and record["shadow"]["shadow_latency"] == 0.5
    assert record["body"]["raw_predictions"] == raw
    assert monitoring.deployment()["prediction_count"] == 1
    assert monitoring.stats("metrics")["count"] == 1


def test_the_same_prediction_twice_is_already_processed(picsellia_mock):
    deployment_id = picsellia_mock.deployments["CLASSIFICATION"]
    client = MonitoringClient(picsellia_mock.base_url, deployment_id, picsellia_mock.api_token)
    payload = client.build_payload(
        image(), {"detection_classes": [1], "detection_scores": [0.3]}, 1
    )
    client.monitor(payload)
    with pytest.raises(AlreadyProcessed, match="already stored"):
        client.monitor(payload)


def test_expired_token_is_renewed_transparently(picsellia_mock):
    deployment_id = picsellia_mock.deployments["POINT"]
    client = MonitoringClient(picsellia_mock.base_url, deployment_id, picsellia_mock.api_token)
    client.deployment()
    picsellia_mock.advance_clock(4000)
    assert client.deployment()["id"] == deployment_id
    statuses = [e["status"] for e in reversed(picsellia_mock.requests(service="monitoring"))]
    assert statuses == [200, 200, 401, 200, 200]


def test_injected_503s_are_retried(picsellia_mock):
    deployment_id = picsellia_mock.deployments["LINE"]
    picsellia_mock.add_fault("/api/deployment/{id}", status=503, times=2, retry_after=0)
    client = MonitoringClient(picsellia_mock.base_url, deployment_id, picsellia_mock.api_token)
    assert client.deployment()["type"] == "LINE"


def test_cloud_image_predict_and_shadow(picsellia_mock):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]
    client = ServingClient(picsellia_mock.base_url, deployment_id, picsellia_mock.api_token)
    first = client.predict_cloud_image(CLOUD)
    shadow = client.predict_shadow(first["prediction_id"], CLOUD)
    assert shadow["prediction_id"] == first["prediction_id"]


def test_cli_login_predict_and_monitor(picsellia_mock, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PICSELLIA_HOST", picsellia_mock.base_url)
    monkeypatch.setenv("PICSELLIA_DEPLOYMENT_ID", picsellia_mock.deployments["OBJECT_DETECTION"])
    monkeypatch.setenv("PICSELLIA_API_TOKEN", picsellia_mock.api_token)
    frame = tmp_path / "frame.png"
    frame.write_bytes(image())
    predictions = tmp_path / "raw.json"
    predictions.write_text(json.dumps(sdk_payload("OBJECT_DETECTION")["raw_predictions"]))
    assert main(["login", "--service", "monitoring"]) == 0
    assert "jwt" in json.loads(capsys.readouterr().out)
    assert main(["predict", str(frame), "--tag", "a"]) == 0
    assert json.loads(capsys.readouterr().out)["monitored"] is True
    assert main(["monitor", str(frame), "--predictions", str(predictions), "--latency", "0.2"]) == 0
    assert "id" in json.loads(capsys.readouterr().out)


def test_cli_errors_are_one_line_and_non_zero(picsellia_mock, tmp_path, capsys):
    frame = tmp_path / "frame.png"
    frame.write_bytes(image())
    predictions = tmp_path / "raw.json"
    predictions.write_text(json.dumps({"detection_classes": [1, 2], "detection_scores": [0.1]}))
    common = ["--host", picsellia_mock.base_url, "--deployment-id", "nope", "--api-token", "t"]
    assert (
        main([*common, "monitor", str(frame), "--predictions", str(predictions), "--latency", "1"])
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("picsellia-client: RequestInvalid:") and "list_length_mismatch" in err
    assert main([*common, "login"]) == 1
    assert "deployment" in capsys.readouterr().err
    assert (
        main(["--host", "http://127.0.0.1:9", "--deployment-id", "d", "--api-token", "t", "login"])
        == 1
    )
    assert "TransportError" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["--host", "", "--deployment-id", "", "--api-token", "", "login"])
    assert caught.value.code == 2
    assert "--host, --deployment-id, --api-token" in capsys.readouterr().err
