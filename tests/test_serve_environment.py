"""What a container needs of ``serve``: SIGTERM stops it, the config file and the admin API's
extra Host names can come from the environment (``PICSELLIA_MOCK_CONFIG``,
``PICSELLIA_MOCK_ALLOWED_HOSTS``) as well as from options."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

import requests

from mockserver.app import create_app
from mockserver.serve import CONFIG_ENV, HOSTS_ENV, add_arguments, build_config
from tests.helpers import assert_one_line, start_up

DEPLOYMENT = """
[[deployments]]
id = "6f1e3a52-0b7e-4c1a-9d3e-2f0c1b7a9e10"
type = "OBJECT_DETECTION"
api_tokens = ["my-api-token"]
"""


def config_of(*argv: str):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return build_config(parser.parse_args(argv))


def test_sigterm_stops_the_server_at_once_with_exit_status_0(tmp_path):
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(tmp_path / "db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert requests.get(url + "/__admin/health", timeout=10).status_code == 200
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0  # not -15: serve handled the signal
        assert time.monotonic() - started < 2
    finally:
        process.kill()
        process.communicate(timeout=10)


def test_the_config_file_can_be_named_by_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "mock.toml"
    path.write_text(DEPLOYMENT, encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    config = config_of("--db", str(tmp_path / "db"))
    assert list(config.deployments) == ["6f1e3a52-0b7e-4c1a-9d3e-2f0c1b7a9e10"]
    assert len(config_of("--config", "", "--db", str(tmp_path / "db")).deployments) > 1


def test_a_bad_config_named_by_the_environment_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "bad.toml"
    path.write_text("deployments = 3\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    assert_one_line(start_up(tmp_path, "--db", str(tmp_path / "db")), "bad.toml")


def test_allowed_host_names_come_from_options_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(HOSTS_ENV, " docker-host.example , ")
    config = config_of("--db", str(tmp_path / "db"), "--allowed-host", "ci-runner.internal")
    assert config.allowed_hosts == ("docker-host.example", "ci-runner.internal")
    client = create_app(config).test_client()
    for host in ("docker-host.example:8080", "ci-runner.internal", "127.0.0.1:32768"):
        assert client.get("/__admin/health", headers={"Host": host}).status_code == 200, host
    refused = client.get("/__admin/health", headers={"Host": "elsewhere.example:8080"})
    assert refused.status_code == 403


def test_a_clean_stop_leaves_no_write_ahead_log(tmp_path):
    import pytest

    for workers in ("1", "2"):
        db = tmp_path / f"db-{workers}.sqlite3"
        command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(db)]
        process = subprocess.Popen(
            [*command, "--workers", workers], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        url = process.stdout.readline().decode().strip()
        for _ in range(4):  # a few writes from the workers' threads
            requests.post(url + "/api/auth/login", data="{}", timeout=10)
        if not (tmp_path / f"{db.name}-wal").exists():
            pytest.fail("no write-ahead log while serving: the test proves nothing")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert sorted(p.name for p in tmp_path.glob(f"{db.name}*")) == [db.name]
