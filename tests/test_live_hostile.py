"""``check-live`` against hostile servers: a call is bounded in time and size, no redirect is
followed, an answer that cannot be read is one line, no part of a token is printed, and 'cannot
connect' means that no connection was made."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable

import pytest

from checklive.fetch import MAX_ANSWER_BYTES
from checklive.reporting import REDACTED, scrub
from picsellia_mock.cli import main

TOKEN = "tok-0123456789abcdefghijklmnopqrstuvwxyz"


class Hostile:
    """A loopback server answering every request with ``behave(connection)``; counts requests."""

    def __init__(self, behave: Callable[[socket.socket], None]) -> None:
        self.behave = behave
        self.requests = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(connection,), daemon=True).start()

    def answer(self, connection: socket.socket) -> None:
        with connection:
            data = b""
            while b"\r\n\r\n" not in data or len(data) < self.length(data):
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests += 1
            with contextlib.suppress(OSError):
                self.behave(connection)

    @staticmethod
    def length(data: bytes) -> int:
        """The whole request's length once its head is in (the body read too, so that closing
        the connection does not reset it before the client has read the answer)."""
        head, _, _ = data.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return len(head) + 4 + int(value)
        return len(head) + 4

    def close(self) -> None:
        self.sock.close()


def answer_with(status: str, body: bytes, extra: str = "") -> Callable[[socket.socket], None]:
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return lambda connection: connection.sendall(head.encode() + body)


def check(capsys, url: str, *extra: str) -> tuple[int, str, str]:
    argv = ["check-live", "--serving-host", url, "--monitoring-host", url, "--api-token", TOKEN]
    code = main([*argv, "--deployment-id", "d", *extra])
    out, err = capsys.readouterr()
    assert TOKEN[:8] not in out + err and "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def hostile():
    servers = []

    def make(behave):
        servers.append(Hostile(behave))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def test_a_dripping_answer_cannot_hold_the_check_past_its_timeout(capsys, hostile):
    """A byte every half second: no read waits a whole --timeout, the answer takes 50 s."""

    def drip(connection):
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        connection.sendall(b"Content-Length: 100\r\n\r\n")
        for _ in range(100):
            connection.sendall(b" ")
            time.sleep(0.5)

    server = hostile(drip)
    started = time.monotonic()
    code, _, err = check(capsys, server.url, "--timeout", "1")
    assert time.monotonic() - started < 4
    assert code == 2 and "no whole answer within 1 s" in err and err.count("\n") == 1


def test_a_redirect_is_reported_not_followed_with_credentials(capsys, hostile):
    elsewhere = hostile(answer_with("200 OK", b"{}"))
    location = f"Location: {elsewhere.url}/api/login\r\n"
    server = hostile(answer_with("307 Temporary Redirect", b"", location))
    code, out, _ = check(capsys, server.url)
    assert elsewhere.requests == 0  # the login body, token included, went nowhere else
    assert code == 1 and "the contract answers 200, the service answered 307" in out


def test_a_deep_answer_is_one_line(capsys, hostile):
    deep = hostile(answer_with("200 OK", b"[" * 200_000 + b"]" * 200_000))
    code, out, _ = check(capsys, deep.url)
    assert code == 1 and "nests arrays or objects too deep" in out


def test_a_huge_answer_is_read_no_further_than_the_size_cap(capsys, hostile):
    huge = hostile(answer_with("200 OK", b" " * (MAX_ANSWER_BYTES + 1_000_000)))
    code, out, _ = check(capsys, huge.url)
    assert code == 1 and f"over {MAX_ANSWER_BYTES} bytes" in out


def test_cannot_connect_only_when_no_connection_was_made(capsys, hostile):
    server = hostile(lambda connection: connection.shutdown(socket.SHUT_RDWR))
    code, _, err = check(capsys, server.url)
    assert code == 2 and "cannot connect" not in err and "connection broke" in err


def test_a_token_cut_short_by_a_message_is_still_redacted():
    for shown in (TOKEN, TOKEN[:36] + "...", json.dumps(TOKEN)[1:30]):
        text = scrub(f"the field holds '{shown}'", [TOKEN])
        assert REDACTED in text and TOKEN[:8] not in text
