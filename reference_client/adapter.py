"""The reference client's conformance adapter: ``python -m reference_client.adapter``.

Reads one action (schemas/conformance-action.json) on standard input, performs its calls in
order with one client per service, and prints one outcome (schemas/conformance-outcome.json).
The same shape, in any language, certifies a port: see the porting guide, "Certify your client".
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .errors import AlreadyProcessed, RequestInvalid, ServiceError, TransportError
from .monitoring import MonitoringClient
from .serving import ServingClient
from .session import ServiceSession


class Clients:
    """One session per service for the whole action, so tokens are reused across calls."""

    def __init__(self, action: dict[str, Any]) -> None:
        timeout = (5.0, float(action["timeout_seconds"]))
        ident, token, type_ = (
            action["deployment_id"],
            action["api_token"],
            action["deployment_type"],
        )
        serving = ServiceSession("serving", action["serving_url"], ident, token, timeout=timeout)
        monitoring = ServiceSession(
            "monitoring", action["monitoring_url"], ident, token, timeout=timeout
        )
        self.files = action["files_dir"]
        self.serving = ServingClient("", ident, token, deployment_type=type_, session=serving)
        self.singular = ServingClient(
            "", ident, token, deployment_type=type_, session=serving, singular_route=True
        )
        self.monitoring = MonitoringClient(
            "", ident, token, deployment_type=type_, session=monitoring
        )

    def perform(self, operation: str, given: dict[str, Any]) -> Any:
        if operation == "predict":
            client = self.singular if given.pop("singular_route", False) else self.serving
            return client.predict(os.path.join(self.files, given.pop("image")), **given)
        if operation == "predict_cloud_image":
            return self.serving.predict_cloud_image(given.pop("cloud_image"), **given)
        if operation == "predict_shadow":
            return self.serving.predict_shadow(
                given["prediction_id"], given["cloud_image"], monitor=given.get("monitor", True)
            )
        if operation == "monitor":
            content_type = given.pop("content_type", None)
            image = os.path.join(self.files, given.pop("image"))
            payload = self.monitoring.build_payload(
                image, given.pop("raw_predictions"), given.pop("latency"), **given
            )
            if content_type is not None:
                payload["content_type"] = content_type
            return self.monitoring.monitor(payload)
        if operation == "shadow":
            return self.monitoring.shadow(
                given["prediction_id"], given["shadow_raw_predictions"], given["shadow_latency"]
            )
        if operation == "deployment_info":
            return self.monitoring.deployment()
        if operation == "stats":
            return self.monitoring.stats(given.pop("service"), **given)
        raise ValueError(f"unknown operation {operation!r}")


def error(kind: str, message: str, status=None, problems=None) -> dict[str, Any]:
    problems = problems or []
    code = problems[0].get("code") if problems and isinstance(problems[0], dict) else None
    return {
        "ok": False,
        "error": {
            "kind": kind,
            "status": status,
            "code": code,
            "problems": problems,
            "message": message,
        },
    }


def result(clients: Clients, call: dict[str, Any]) -> dict[str, Any]:
    """One call's outcome: its answer, or the error the client raised, by kind."""
    try:
        return {"ok": True, "value": clients.perform(call["operation"], dict(call["input"]))}
    except AlreadyProcessed as exc:
        return error("already_processed", exc.message, exc.status, exc.problems)
    except ServiceError as exc:
        return error("service", exc.message, exc.status, exc.problems)
    except RequestInvalid as exc:
        return error("invalid_request", exc.message, None, exc.problems)
    except TransportError as exc:
        return error("timeout" if exc.timed_out else "transport", exc.message)


def main() -> int:
    action = json.load(sys.stdin)
    clients = Clients(action)
    print(json.dumps({"results": [result(clients, call) for call in action["calls"]]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
