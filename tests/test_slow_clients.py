"""Slow and idle clients hold no worker: in every serving mode, normal requests are answered
within 2 s while 8 slowloris connections and 200 idle ones stay open. Loopback only, bounded."""

from __future__ import annotations

import json
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


def limited(tmp_path, limit: int = 1000):
    config = tmp_path / "mock.toml"
    config.write_text(f"max_body_bytes = {limit}\n")
    return start(tmp_path, "--config", str(config))


def answer_to(sock: socket.socket) -> tuple[int, dict, dict]:
    """Read one answer (status, headers, JSON body) from a raw socket; the server closes it."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


def test_a_chunked_body_over_the_limit_is_413_in_the_error_shape(tmp_path):
    process, url = limited(tmp_path)
    try:
        chunks = (b"x" * 500 for _ in range(10))  # no Content-Length: sent chunked
        answer = requests.post(url + "/api/auth/login", data=chunks, timeout=10)
        assert answer.status_code == 413
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["problems"][0]["code"] == "body_too_large"
        entry = requests.get(url + "/__admin/requests", timeout=5).json()["entries"][0]
        assert (entry["path"], entry["status"]) == ("/api/auth/login", 413)
        assert entry["request"]["body_truncated"] is True
        assert entry["request"]["body_size"] == 1001  # read up to one byte over, then stopped
    finally:
        process.terminate()
        process.communicate(timeout=10)


DECLARED = (
    b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1001\r\n"
)


@pytest.mark.parametrize("expect", [b"", b"Expect: 100-continue\r\n"], ids=["plain", "expect"])
def test_a_declared_length_over_the_limit_is_answered_before_any_of_the_body(tmp_path, expect):
    process, url = limited(tmp_path)
    try:
        sock = connect(url)
        sock.sendall(DECLARED + expect + b"\r\n")  # not a byte of the body: no wait for it
        status, headers, body = answer_to(sock)  # the first answer: 413, not 100 Continue
        assert status == 413
        assert headers["Connection"] == "close"
        assert body["problems"][0]["code"] == "body_too_large"
        assert "1001 bytes" in body["problems"][0]["message"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def chunked_login(sock: socket.socket) -> None:
    sock.sendall(
        b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )


def test_a_chunked_body_is_answered_once_one_byte_over_the_limit_has_arrived(tmp_path):
    process, url = limited(tmp_path)
    try:
        sock = connect(url)
        chunked_login(sock)
        for _ in range(143):  # 1001 bytes of body in chunks of 7
            sock.sendall(b"7\r\nxxxxxxx\r\n")
        # no last chunk: the body never ends, and the answer must not wait for its end
        status, _, body = answer_to(sock)
        assert status == 413
        assert body["problems"][0]["code"] == "body_too_large"
        assert "chunked" in body["problems"][0]["message"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(tmp_path):
    """The limit counts the body's bytes, not the chunk framing around them."""
    process, url = limited(tmp_path)
    try:
        body = json.dumps({"api_token": "t", "deployment_id": "none"}).encode()
        body = body[:-1] + b" " * (1000 - len(body)) + b"}"  # JSON of exactly 1000 bytes
        sock = connect(url)
        chunked_login(sock)
        for start in range(0, len(body), 10):  # 100 chunks: 1,500 bytes on the wire
            piece = body[start : start + 10]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        sock.sendall(b"0\r\n\r\n")
        sock.shutdown(socket.SHUT_WR)
        status, _, answer = answer_to(sock)
        assert status == 404  # read, parsed and checked: no such deployment
        assert "none" in answer["problems"][0]["message"]
    finally:
        process.terminate()
        process.communicate(timeout=10)
