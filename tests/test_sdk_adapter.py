"""examples/sdk/adapter.py: the official SDK (picsellia 6.37.0) against a live mock, as a runner
drives it: one action on stdin, one outcome on stdout, and the journal says what was sent."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import image, require

# Not imported here: at import, picsellia reconfigures logging (dictConfig) for the whole process.
pytestmark = pytest.mark.slow  # a live server, and a subprocess that imports the whole SDK
require("picsellia", "sdk")

ADAPTER = Path(__file__).resolve().parent.parent / "examples" / "sdk" / "adapter.py"
RAW = {"detection_classes": [0], "detection_scores": [0.9], "detection_boxes": [[4, 6, 20, 30]]}


def run_adapter(mock, tmp_path: Path, calls: list[dict]) -> list[dict]:
    """Runs one action through the adapter; its results, one per call."""
    (tmp_path / "frame.png").write_bytes(image())
    action = {
        "scenario": "sdk-adapter-test",
        "serving_url": mock.base_url,
        "monitoring_url": mock.base_url,
        "deployment_id": mock.deployments["OBJECT_DETECTION"],
        "deployment_type": "OBJECT_DETECTION",
        "api_token": mock.api_token,
        "files_dir": str(tmp_path),
        "timeout_seconds": 5.0,
        "calls": calls,
    }
    done = subprocess.run(
        [sys.executable, str(ADAPTER)],
        input=json.dumps(action),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, f"stdout must hold one JSON line, got {done.stdout!r}"
    return json.loads(lines[0])["results"]


def journal(mock) -> list[dict]:
    """The services' requests, oldest first."""
    return [e for e in reversed(mock.requests()) if e["service"] != "admin"]


def test_predict_monitor_and_deployment_info_go_through_the_sdk(picsellia_mock, tmp_path):
    monitor = {"image": "frame.png", "latency": 0.12, "raw_predictions": RAW}
    calls = [
        {"operation": "predict", "input": {"image": "frame.png", "tags": ["night", "cam-3"]}},
        {"operation": "monitor", "input": monitor},
        {"operation": "deployment_info"},
    ]
    predicted, monitored, info = run_adapter(picsellia_mock, tmp_path, calls)

    assert predicted["ok"] and predicted["value"]["type"] == "OBJECT_DETECTION"
    assert monitored["ok"] and set(monitored["value"]) >= {"id"}
    assert info["ok"] and info["value"]["id"] == picsellia_mock.deployments["OBJECT_DETECTION"]
    stored = [p["id"] for p in picsellia_mock.predictions("OBJECT_DETECTION")]
    assert monitored["value"]["id"] in stored

    entries = journal(picsellia_mock)
    assert [e["operation"] for e in entries] == [
        "monitoringLogin",  # the SDK logs in to both services when the Deployment is built
        "servingLogin",
        "predict",
        "monitorPrediction",
        "deploymentInfo",
    ]
    assert all(e["status"] in (200, 201) for e in entries), [e["codes"] for e in entries]
    login = entries[0]["request"]
    token = picsellia_mock.api_token  # the journal keeps its fingerprint, not the token
    assert login["body"] == {
        "api_token": "sha256:" + hashlib.sha256(token.encode()).hexdigest()[:12],
        "deployment_id": picsellia_mock.deployments["OBJECT_DETECTION"],
    }
    assert "Content-Type" not in login["headers"]

    parts = entries[2]["request"]["body"]
    assert [(p["name"], p.get("value")) for p in parts] == [
        ("tags", "night"),
        ("tags", "cam-3"),
        ("monitor", "True"),
        ("postprocess", "False"),
        ("media", None),
    ]
    assert all(p["content_type"] is None for p in parts), "the SDK sends no part Content-Type"
    assert parts[-1]["filename"] == "frame.png"

    sent = entries[3]["request"]
    assert "Content-Type" not in sent["headers"]
    assert sent["body"]["content_type"] == "IMAGE/PNG"
    assert (sent["body"]["width"], sent["body"]["height"]) == (64, 48)
    assert sent["body"]["raw_predictions"] == {**RAW, "detection_texts": None}
    assert sent["body"]["latency"] == 0.12
    # One monitoring token, logged in once, serves every monitoring call.
    assert sent["headers"]["Authorization"] == entries[4]["request"]["headers"]["Authorization"]


def test_a_second_monitor_is_already_processed_and_a_401_is_replayed_once(picsellia_mock, tmp_path):
    picsellia_mock.add_fault("/api/deployment/{id}", method="GET", status=401, times=2)
    monitor = {"image": "frame.png", "latency": 0.12, "raw_predictions": RAW}
    calls = [
        {"operation": "monitor", "input": monitor},
        {"operation": "monitor", "input": monitor},
        {"operation": "deployment_info"},
        {"operation": "predict", "input": {"image": "frame.png", "singular_route": True}},
    ]
    first, again, info, singular = run_adapter(picsellia_mock, tmp_path, calls)

    assert first["ok"]
    assert again["error"]["kind"] == "already_processed" and again["error"]["status"] == 409
    assert info["error"]["kind"] == "service" and info["error"]["status"] == 401
    assert singular["error"]["kind"] == "invalid_request"
    operations = [e["operation"] for e in journal(picsellia_mock)]
    # 401, log in again, replay: a 401 again is final.
    assert operations[-3:] == ["deploymentInfo", "monitoringLogin", "deploymentInfo"]
    assert operations.count("predict") == 0
