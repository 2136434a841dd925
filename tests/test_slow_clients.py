"""Slow and idle clients hold no worker: in every serving mode, normal requests are answered
within 2 s while 8 slowloris connections and 200 idle ones stay open. Loopback only, bounded."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
import requests

pytestmark = pytest.mark.slow

SLOWLORIS, IDLE, NORMAL = 8, 200, 10


def start(tmp_path, *options: str):
    command = [sys.executable, "-m", "mockserver", "--port", "0", "--db", str(tmp_path / "db")]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    url = process.stdout.readline().strip()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/__admin/health", timeout=1)
            return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("the mock did not start")


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=5)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_slow_and_idle_connections_leave_normal_requests_answered(tmp_path, workers):
    process, url = start(tmp_path, "--workers", workers)
    held = []
    try:
        for _ in range(SLOWLORIS):  # a request line and one header, then nothing more
            sock = connect(url)
            sock.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
            held.append(sock)
        held += [connect(url) for _ in range(IDLE)]  # connected, never a byte
        for sock in held[:SLOWLORIS]:
            sock.sendall(b"\r\nX-Slow: 2")  # still trickling
        times = []
        for _ in range(NORMAL):
            started = time.monotonic()
            answer = requests.get(url + "/__admin/health", timeout=5)
            times.append(time.monotonic() - started)
            assert answer.status_code == 200
        assert max(times) < 2.0, times
    finally:
        for sock in held:
            sock.close()
        process.terminate()
        process.communicate(timeout=10)


def test_a_chunked_body_over_the_limit_is_413_in_the_error_shape(tmp_path):
    config = tmp_path / "mock.toml"
    config.write_text("max_body_bytes = 1000\n")
    process, url = start(tmp_path, "--config", str(config))
    try:
        chunks = (b"x" * 500 for _ in range(10))  # no Content-Length: sent chunked
        answer = requests.post(url + "/api/auth/login", data=chunks, timeout=10)
        assert answer.status_code == 413
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["problems"][0]["code"] == "body_too_large"
    finally:
        process.terminate()
        process.communicate(timeout=10)
