"""What every view works with, handed on as one explicit value: config, store, clock, key.

``read_context()`` builds it once per request (``exchange.handle``); everything after takes it
as an argument. Validation against the contract lives here because it needs the config (strict
mode) and the server's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from picsellia_contract import Checked, check_message, is_valid

from .config import Config, Deployment
from .database import connect
from .errors import contract_error
from .store import Store


@dataclass(frozen=True)
class Context:
    """The server's state as one request sees it."""

    config: Config
    store: Store
    now: float  # the server's clock (moved by POST /__admin/clock), read once per request
    secret: str  # the JWT signing key, kept in the database so that every worker shares it
    strict: bool  # --strict, unless POST /__admin/strict changed it
    faults_armed: bool  # whether POST /__admin/faults left any to fire

    def check(self, message: str, instance: Any, deployment: Deployment | None = None) -> Checked:
        """Validate against the contract: a 422 ``ApiError`` on errors; else the warnings (and
        the decoded image of a monitoring payload)."""
        checked = check_message(
            message,
            instance,
            deployment_type=deployment.type if deployment else None,
            strict=self.strict,
            now=self.now,
            label_count=label_count(deployment),
        )
        if not is_valid(checked.problems):
            raise contract_error(checked.problems, deployment.id if deployment else None)
        return checked


def label_count(deployment: Deployment | None) -> int | None:
    """How many labels class indexes are checked against: None (not checked) for a deployment
    configured without labels."""
    return (len(deployment.labels) or None) if deployment else None


def read_context() -> Context:
    """The server's state as the current request sees it, on this thread's own database
    connection, read once per request (again only after a fault fired).

    A worker thread keeps its connection for its whole life instead of opening one per
    request: closing the last connection to a WAL database checkpoints it, which costs
    milliseconds.
    """
    local = current_app.extensions["mock_connections"]
    if getattr(local, "connection", None) is None:
        local.connection = connect(current_app.config["MOCK_DB"])
        current_app.extensions["mock_connection_list"].append(local.connection)  # closed at stop
    store = Store(local.connection)
    config, secret = current_app.config["MOCK"], current_app.config["MOCK_SECRET"]
    now, strict, armed = store.settings()
    return Context(config, store, now, secret, config.strict if strict is None else strict, armed)
