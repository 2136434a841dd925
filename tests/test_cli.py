"""``picsellia-mock validate``: output, exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from picsellia_mock.cli import main

from .helpers import sdk_payload


def write(tmp_path, content, name="payload.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_valid_file_exits_0(tmp_path, capsys):
    path = write(tmp_path, sdk_payload("OBJECT_DETECTION"))
    assert main(["validate", "monitoring-prediction-request", path]) == 0
    assert "valid (0 errors, 0 warnings)" in capsys.readouterr().out


def test_invalid_file_prints_pointer_and_code_and_exits_1(tmp_path, capsys):
    payload = sdk_payload("OBJECT_DETECTION")
    payload["content_type"] = "image/jpg"
    path = write(tmp_path, payload)
    assert main(["validate", "monitoring-prediction-request", path]) == 1
    out = capsys.readouterr().out
    assert "/content_type" in out and "[invalid_value]" in out


def test_json_output_lists_problems(tmp_path, capsys):
    payload = sdk_payload("POINT")
    path = write(tmp_path, payload)
    code = main(
        ["validate", "monitoring-prediction-request", path, "--deployment-type", "MASK", "--json"]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["valid"] is False
    assert report["problems"][0]["code"] == "prediction_type_mismatch"


def test_strict_turns_warnings_into_failure(tmp_path, capsys):
    payload = dict(sdk_payload("OBJECT_DETECTION"), height=50)
    path = write(tmp_path, payload)
    assert main(["validate", "monitoring-prediction-request", path]) == 0
    assert main(["validate", "monitoring-prediction-request", path, "--strict"]) == 1


@pytest.mark.parametrize(
    "args, content, message",
    [
        (["no-such-message"], {}, "unknown message"),
        (["login-request"], "{broken", "is not JSON"),
        (["login-request"], None, "cannot read"),
    ],
    ids=["unknown-message", "not-json", "unreadable"],
)
def test_usage_errors_exit_2(tmp_path, capsys, args, content, message):
    path = str(tmp_path / "absent.json") if content is None else write(tmp_path, content)
    assert main(["validate", *args, path]) == 2
    assert message in capsys.readouterr().err


def test_console_script_never_prints_a_traceback(tmp_path):
    path = write(tmp_path, b"\xff\xfe".decode("latin-1"))
    result = subprocess.run(
        [sys.executable, "-m", "picsellia_mock", "validate", "login-request", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_stdin_is_read_with_a_dash(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO('{"api_token": "t", "deployment_id": "d"}'))
    assert main(["validate", "login-request", "-"]) == 0
