"""``picsellia-mock check-live`` against the mock (everything agrees) and a divergent server."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest
from flask import request

from checklive.payloads import SOURCE, TAG
from mockdriver import LiveMock
from mockserver.config import Config
from picsellia_mock.cli import main

from .helpers import TYPES, image
from .test_own_contract import CALL_OPERATIONS

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


def args(base_url, deployment_id, *extra, token="demo-api-token", monitoring_url=None):
    return [
        "check-live",
        "--serving-host",
        base_url,
        "--monitoring-host",
        monitoring_url or base_url,
        "--api-token",
        token,
        "--deployment-id",
        deployment_id,
        *extra,
    ]


def run(capsys, argv, tmp_path=None):
    """(exit status, stdout, stderr, JSON report or None)."""
    report_path = tmp_path / "report.json" if tmp_path else None
    code = main(argv + (["--json", str(report_path)] if report_path else []))
    out, err = capsys.readouterr()
    report = json.loads(report_path.read_text()) if report_path else None
    for text in (out, err, report_path.read_text() if report_path else ""):
        assert "demo-api-token" not in text and not JWT.search(text)
    return code, out, err, report


def test_read_only_against_the_mock_agrees_and_creates_nothing(picsellia_mock, capsys, tmp_path):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]
    code, out, _, report = run(capsys, args(picsellia_mock.base_url, deployment_id), tmp_path)
    assert code == 0, out
    assert "Result: every answer agrees with the contract." in out
    assert "read only: nothing was created" in out
    verdicts = {e["name"]: e["verdict"] for e in report["calls"]}
    assert verdicts == {
        **{name: "agrees" for name in CALL_OPERATIONS},
        "predict": "skipped",
        "monitorPrediction": "skipped",
    }
    sent = {(e["method"], e["path"]) for e in picsellia_mock.requests() if e["service"] != "admin"}
    assert {method for method, _ in sent} == {"GET", "POST"}
    assert {path for method, path in sent if method == "POST"} == {"/api/login", "/api/auth/login"}
    assert picsellia_mock.predictions(deployment_id) == []


@pytest.mark.parametrize("type_", TYPES)
def test_write_against_the_mock_agrees_and_marks_what_it_stores(
    picsellia_mock, capsys, tmp_path, type_
):
    deployment_id = picsellia_mock.deployments[type_]
    argv = args(picsellia_mock.base_url, deployment_id, "--write")
    code, out, _, report = run(capsys, argv, tmp_path)
    assert code == 0, out
    assert {e["name"] for e in report["calls"]} == set(CALL_OPERATIONS)
    assert all(e["verdict"] == "agrees" for e in report["calls"]), out
    verdicts = {v["id"]: v["verdict"] for v in report["own_contract"]}
    assert verdicts["predict-answer"] == verdicts["monitoring-warnings"] == "confirmed"
    assert "contradicted" not in verdicts.values()
    [record] = picsellia_mock.predictions(deployment_id)  # the predict (monitor=False) stored none
    assert record["body"]["source"] == SOURCE and record["body"]["tags"] == [TAG]
    assert report["created"] == [f"monitoring prediction {record['id']}"]


def test_write_sends_the_given_image(picsellia_mock, capsys, tmp_path):
    path = tmp_path / "frame.jpg"
    path.write_bytes(image("JPEG", (32, 24)))
    deployment_id = picsellia_mock.deployments["CLASSIFICATION"]
    argv = args(picsellia_mock.base_url, deployment_id, "--write", "--image", str(path))
    assert run(capsys, argv)[0] == 0
    [record] = picsellia_mock.predictions(deployment_id)
    assert picsellia_mock.image(record["id"]) == path.read_bytes()
    assert record["body"]["filename"].endswith("-frame.jpg")
    assert (record["body"]["width"], record["body"]["height"]) == (32, 24)


def diverge(response):
    """After each answer of the mock: the differences the check must find."""
    if request.path == "/api/login":
        response.headers["Set-Cookie"] = "session=abc; Path=/"
    elif request.path == "/api/auth/login" and response.status_code == 200:
        body = response.get_json()
        response.set_data(json.dumps(dict(body, expires="2026-11-27T23:00:00Z")))
    elif re.fullmatch(r"/api/deployment/[^/]+", request.path) and response.status_code == 200:
        body = response.get_json()
        body["predictions_count"] = body.pop("prediction_count")
        response.set_data(json.dumps(body))
    elif request.path.endswith("/predictions") and response.status_code == 201:
        response.status_code = 200
    return response


@pytest.fixture
def divergent(tmp_path):
    server = LiveMock(Config(db_path=str(tmp_path / "divergent.sqlite3")))
    server.app.after_request(diverge)
    yield server.start()
    server.stop()


def test_every_difference_of_a_divergent_server_is_reported(divergent, capsys, tmp_path):
    deployment_id = divergent.deployments["OBJECT_DETECTION"]
    argv = args(divergent.base_url, deployment_id, "--write")
    code, out, _, report = run(capsys, argv, tmp_path)
    assert code == 1
    found = {
        (e["name"], d["kind"], d["where"])
        for e in report["calls"]
        for d in e.get("differences", [])
    }
    assert found == {
        ("servingLogin", "extra header", "header Set-Cookie"),
        ("monitoringLogin", "another type", "/expires"),
        ("deploymentInfo", "missing field", "/prediction_count"),
        ("deploymentInfo", "extra field", "/predictions_count"),
        ("monitorPrediction", "another status", "status"),
    }
    verdicts = {v["id"]: v["verdict"] for v in report["own_contract"]}
    assert verdicts["expires-epoch-seconds"] == "contradicted"
    assert verdicts["deployment-info-answer"] == "contradicted"
    assert verdicts["stats-answer"] == verdicts["monitoring-warnings"] == "confirmed"
    assert "      /expires: another type: must be an integer, got a string" in out
    assert "monitoringLogin: /expires is string" in out
    assert "the contract answers 201, the service answered 200" in out
    assert "Result: 5 difference(s) in 4 of 8 calls; 2 own-contract choice(s) contradicted." in out


def test_a_type_the_contract_does_not_know_is_a_difference_not_a_crash(tmp_path, capsys):
    def rename_type(response):
        if re.fullmatch(r"/api/deployment/[^/]+", request.path) and response.status_code == 200:
            response.set_data(json.dumps(dict(response.get_json(), type="ObjectDetection")))
        return response

    server = LiveMock(Config(db_path=str(tmp_path / "type.sqlite3")))
    server.app.after_request(rename_type)
    server.start()
    try:
        argv = args(server.base_url, server.deployments["OBJECT_DETECTION"], "--write")
        code, out, _, _ = run(capsys, argv)
    finally:
        server.stop()
    assert code == 1
    assert "      /type: another value: must be one of" in out
    assert "monitorPrediction           POST" in out and "the deployment's type is unknown" in out


def test_the_two_hosts_are_called_separately(picsellia_mock, divergent, capsys):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]  # the same demo ids
    argv = args(picsellia_mock.base_url, deployment_id, monitoring_url=divergent.base_url)
    code, out, _, _ = run(capsys, argv)
    assert code == 1
    assert re.search(r"servingLogin +POST /api/login +agrees", out)
    assert re.search(r"monitoringLogin +POST /api/auth/login +1 difference", out)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_an_unreachable_host_is_one_line_and_exit_2(capsys, tmp_path):
    code, out, err, report = run(capsys, args(closed_port_url(), "d"), tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "POST" in err and "cannot connect" in err
    assert report["agrees"] is False and "cannot connect" in report["error"]


def test_a_refused_login_is_one_line_and_exit_2(picsellia_mock, capsys):
    deployment_id = picsellia_mock.deployments["OBJECT_DETECTION"]
    secret = "not-the-right-token-42"
    argv = args(picsellia_mock.base_url, deployment_id, token=secret)
    code, out, err, _ = run(capsys, argv)
    assert code == 2 and out == ""
    assert err == (
        "picsellia-mock check-live: error: the serving service refused the login (401): "
        "check --api-token and --deployment-id\n"
    )
    assert secret not in err


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--image", "frame.png"], "--image is sent only with --write"),
        (["--write", "--image", "absent.png"], "--image: [Errno 2]"),
        (["--write", "--image", __file__], "is not a PNG or JPEG"),
        (["--timeout", "0"], "--timeout must be more than 0"),
    ],
    ids=["image-without-write", "missing-image", "not-an-image", "zero-timeout"],
)
def test_usage_errors_exit_2_before_any_call(capsys, extra, message):
    code, out, err, _ = run(capsys, args(closed_port_url(), "d", *extra))
    assert code == 2 and out == "" and message in err and "cannot connect" not in err


def test_a_host_that_is_not_a_url_is_a_usage_error(capsys):
    code, _, err, _ = run(capsys, args("serving.example", "d"))
    assert code == 2 and "not 'serving.example'" in err


def test_a_missing_option_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.delenv("PICSELLIA_API_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main(["check-live", "--serving-host", "http://a", "--monitoring-host", "http://b"])
    assert exit_.value.code == 2
    assert "--api-token" in capsys.readouterr().err


def test_the_help_says_that_without_write_nothing_is_created(capsys):
    with pytest.raises(SystemExit):
        main(["check-live", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Without --write nothing is created on the service" in help_text
    assert SOURCE in help_text and TAG in help_text


def test_the_console_script_never_prints_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "picsellia_mock", *args(closed_port_url(), "d")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_json_to_standard_output_prints_the_report_alone(picsellia_mock, capsys):
    deployment_id = picsellia_mock.deployments["POINT"]
    code = main(args(picsellia_mock.base_url, deployment_id, "--json", "-"))
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["agrees"] is True and report["deployment_type"] == "POINT"
