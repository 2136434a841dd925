"""pytest plugin: the ``picsellia_mock`` fixture, a live mock server for integration tests.

    def test_my_client(picsellia_mock):
        client = MyClient(picsellia_mock.base_url, picsellia_mock.api_token)
        client.monitor(picsellia_mock.deployments["OBJECT_DETECTION"], ...)
        assert len(picsellia_mock.predictions("OBJECT_DETECTION")) == 1

The server starts once per session on a free loopback port; each test gets it reset.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app
from .config import DEMO_API_TOKEN, Config


class QuietHandler(WSGIRequestHandler):
    """No access log: the journal (``requests()``) records every request."""

    def log_request(self, *args: Any) -> None:
        pass


class LiveMock:
    """A running mock server, its demo credentials, and helpers for the admin API."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.app = create_app(self.config)
        self._server = make_server(
            "127.0.0.1", 0, self.app, threaded=True, request_handler=QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self.api_token = DEMO_API_TOKEN
        self.deployments = {d.type: d.id for d in self.config.deployments.values()}
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._session = requests.Session()

    def start(self) -> LiveMock:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._session.close()

    def deployment_id(self, type_or_id: str) -> str:
        return self.deployments.get(type_or_id, type_or_id)

    def _admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._session.request(
            method, self.base_url + "/__admin" + path, timeout=10, **kwargs
        )
        response.raise_for_status()
        return (
            response.json()
            if response.headers.get("Content-Type", "").endswith("json")
            else response.content
        )

    def reset(self) -> None:
        self._admin("POST", "/reset", json={})

    def requests(self, **filters: Any) -> list[dict]:
        """The journal entries, newest first (filters: service, status, limit)."""
        return self._admin("GET", "/requests", params=filters)["entries"]

    def predictions(self, type_or_id: str) -> list[dict]:
        """Stored monitoring records of a deployment (by type or id), oldest first."""
        path = f"/deployments/{self.deployment_id(type_or_id)}/predictions"
        return self._admin("GET", path)["predictions"]

    def image(self, prediction_id: str) -> bytes:
        return self._admin("GET", f"/predictions/{prediction_id}/image")

    def advance_clock(self, seconds: float) -> dict:
        return self._admin("POST", "/clock", json={"advance_seconds": seconds})

    def add_fault(self, route: str, **fault: Any) -> dict:
        """Arm a fault: status, times, delay_ms, retry_after, method (see admin-fault-request)."""
        return self._admin("POST", "/faults", json={"route": route, **fault})

    def clear_faults(self) -> dict:
        return self._admin("DELETE", "/faults")


@pytest.fixture(scope="session")
def picsellia_mock_server(tmp_path_factory) -> Iterator[LiveMock]:
    """One live mock server for the whole session (demo deployments, temporary database)."""
    config = Config(db_path=str(tmp_path_factory.mktemp("picsellia-mock") / "mock.sqlite3"))
    server = LiveMock(config).start()
    yield server
    server.stop()


@pytest.fixture
def picsellia_mock(picsellia_mock_server: LiveMock) -> LiveMock:
    """The session's live mock server, reset: no predictions, journal, faults or clock offset."""
    picsellia_mock_server.reset()
    return picsellia_mock_server
