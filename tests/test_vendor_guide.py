"""The vendor guide's two snippets, run unchanged but for host, ids, token and image path.

They are read from ../shared/reference/ at test time and never copied into this repository.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REFERENCE_DIR
from .helpers import image

GUIDE = REFERENCE_DIR / "predicting-and-monitoring-without-sdk.txt"
pytestmark = pytest.mark.skipif(
    not GUIDE.exists(), reason=f"the vendor guide is not at {GUIDE} (shared/reference is absent)"
)


def snippets() -> tuple[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    start_predict = text.index("import requests")
    end_predict = text.index("Monitoring Service", start_predict)
    start_monitor = text.index("import base64", end_predict)
    return text[start_predict:end_predict], text[start_monitor:]


def adapt(snippet: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert snippet.count(old) == 1, f"the guide no longer contains {old!r} once"
        snippet = snippet.replace(old, new)
    return snippet


def run(tmp_path, name: str, code: str) -> str:
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_both_guide_snippets_succeed_against_the_mock(picsellia_mock, tmp_path):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]
    small, large = tmp_path / "image.png", tmp_path / "guide-image.png"
    small.write_bytes(image("PNG", (320, 240)))
    large.write_bytes(image("PNG", (800, 600)))  # the guide hard-codes 800 x 600
    common = {
        '"https://serving.picsellia.com"': repr(picsellia_mock.base_url),
        '"<YOUR_DEPLOYMENT_ID>"': repr(deployment_id),
        '"<YOUR_PICSELLIA_API_TOKEN>"': repr(picsellia_mock.api_token),
    }
    predict_code, monitor_code = snippets()
    predicted = run(
        tmp_path,
        "predict.py",
        adapt(predict_code, {**common, '"path/to/image.png"': repr(str(small))}),
    )
    monitored = run(
        tmp_path,
        "monitor.py",
        adapt(monitor_code, {**common, '"/path/to/your/image"': repr(str(large))}),
    )
    assert "'raw_predictions'" in predicted and "'detection_boxes'" in predicted
    assert monitored.startswith("{'id': '")

    entries = picsellia_mock.requests()
    routes = sorted(
        (e["method"], e["path"].replace(deployment_id, "{id}"), e["status"])
        for e in entries
        if e["service"] != "admin"
    )
    assert routes == [
        ("POST", "/api/auth/login", 200),
        ("POST", "/api/deployment/{id}/predict", 200),
        ("POST", "/api/deployment/{id}/predictions", 201),
        ("POST", "/api/login", 200),
    ]
    assert [p for e in entries for p in e["problems"]] == []
    records = picsellia_mock.predictions("OBJECT_DETECTION")
    assert sorted(r["origin"] for r in records) == ["monitoring", "serving"]
