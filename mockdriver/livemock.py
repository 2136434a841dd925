"""``LiveMock``: a mock served in this process, on a free loopback port, for tests and tools.

It serves through the same code as ``picsellia-mock serve`` (the app of ``create_app`` on the
waitress server of ``mockserver.transport``), on a thread of its own, and is driven through
``AdminClient``. It imports no test framework: the conformance runner uses it as the pytest
plugin does.

    with LiveMock() as mock:
        mock.add_fault("/api/deployment/{id}/predictions", status=503, times=2)
        ...
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from waitress import wasyncore

from mockserver.app import create_app
from mockserver.config import DEMO_API_TOKEN, Config
from mockserver.serve import base_url, bind
from mockserver.transport import make_server

from .admin_client import AdminClient

STOP_SECONDS = 5


class LiveMock:
    """A running mock server, its demo credentials, and its admin API."""

    def __init__(self, config: Config | None = None, host: str = "127.0.0.1") -> None:
        self.config = config or Config()
        self.app = create_app(self.config)
        self._connections: dict = {}  # waitress's socket map: the listener and every connection
        self._server = make_server(self.app, bind(host, 0), self._connections)
        self.base_url = base_url(self._server.socket)
        self.api_token = DEMO_API_TOKEN
        self.deployments = {d.type: d.id for d in self.config.deployments.values()}
        self.admin = AdminClient(self.base_url, self.config.admin_token)
        self._thread = threading.Thread(target=self._server.run, name="live-mock", daemon=True)

    def start(self) -> LiveMock:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Let the requests in hand finish, then close the listening socket and every
        connection on the server's own thread (its loop then ends)."""
        self._server.task_dispatcher.shutdown()
        if self._thread.is_alive():
            with contextlib.suppress(OSError):  # its wake-up pipe closed: the loop is ending
                self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._connections))
            self._thread.join(timeout=STOP_SECONDS)
        wasyncore.close_all(self._connections)  # a no-op when the loop closed them
        self.admin.close()

    def __enter__(self) -> LiveMock:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def deployment_id(self, type_or_id: str) -> str:
        return self.deployments.get(type_or_id, type_or_id)

    # The admin API, as the README's examples use it.
    def reset(self) -> None:
        self.admin.reset()

    def requests(self, **filters: Any) -> list[dict]:
        """The journal entries, newest first (filters: service, status, limit, ...)."""
        return self.admin.requests(**filters)

    def predictions(self, type_or_id: str) -> list[dict]:
        """Stored monitoring records of a deployment (by type or id), oldest first."""
        return self.admin.predictions(self.deployment_id(type_or_id))

    def image(self, prediction_id: str) -> bytes:
        return self.admin.image(prediction_id)

    def advance_clock(self, seconds: float) -> dict:
        return self.admin.advance_clock(seconds)

    def add_fault(self, route: str, **fault: Any) -> dict:
        """Arm a fault: status, times, delay_ms, retry_after, method (admin-fault-request)."""
        return self.admin.add_fault({"route": route, **fault})

    def faults(self) -> list[dict]:
        """The armed faults, with the calls each has left (admin-faults-response)."""
        return self.admin.faults()["faults"]

    def clear_faults(self) -> dict:
        return self.admin.clear_faults()
