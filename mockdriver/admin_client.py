"""One client of the mock's admin API (``/__admin/``), shared by the conformance runner, the
pytest plugin and the vectors runner.

Every path is the one of an operation of ``schemas/openapi.json``, named by its
``operationId``; nothing here restates a route. A call that the mock refuses raises
``AdminError`` with the status and the mock's message.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from picsellia_contract.routes import login_operation, operation

TIMEOUT = 30


class AdminError(Exception):
    """The mock answered an admin call with an error status (or not at all); ``code`` is the
    answer's catalogued code when it had one."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class AdminClient:
    """The admin API of the mock at ``base_url`` (with ``admin_token`` if it has one)."""

    def __init__(self, base_url: str, admin_token: str | None = None, timeout: float = TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.admin_headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}

    def close(self) -> None:
        self.http.close()

    def call(
        self, operation_id: str, body: Any = None, params: dict | None = None, **path: str
    ) -> Any:
        """Call one admin operation; its JSON answer (bytes for a non-JSON one)."""
        found = operation(operation_id)
        url = self.base_url + found.path.format(**path)
        data = None if body is None else json.dumps(body)
        headers = dict(self.admin_headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self.http.request(
                found.method, url, data=data, params=params, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise AdminError(f"{found} at {self.base_url}: {exc}") from None
        if response.status_code >= 400:
            message = f"{found} answered {response.status_code}: {_message(response)}"
            raise AdminError(message, _code(response))
        if response.headers.get("Content-Type", "").split(";")[0].endswith("json"):
            return response.json()
        return response.content

    # -- what the mock holds ---------------------------------------------------------------
    def health(self) -> dict:
        return self.call("adminHealth")

    def deployments(self) -> list[dict]:
        return self.call("adminDeployments")["deployments"]

    def deployment(self, deployment_type: str) -> dict:
        """The first listed deployment of a type (the demo one, with the demo deployments)."""
        for deployment in self.deployments():
            if deployment["type"] == deployment_type:
                return deployment
        raise LookupError(f"the mock at {self.base_url} has no {deployment_type} deployment")

    def requests(self, **filters: Any) -> list[dict]:
        """Journal entries, newest first (filters: admin-journal-query.json)."""
        return self.call("adminRequests", params=filters)["entries"]

    def predictions(self, deployment_id: str) -> list[dict]:
        """Stored monitoring records of a deployment, oldest first."""
        return self.call("adminPredictions", id=deployment_id)["predictions"]

    def image(self, prediction_id: str) -> bytes:
        return self.call("adminImage", prediction_id=prediction_id)

    def validate(self, message: str, body: Any, **params: Any) -> dict:
        return self.call("adminValidate", body, params=params or None, message=message)

    # -- steering it --------------------------------------------------------------------
    def reset(self) -> dict:
        return self.call("adminReset", {})

    def advance_clock(self, seconds: float) -> dict:
        return self.call("adminClock", {"advance_seconds": seconds})

    def set_strict(self, strict: bool | None) -> dict:
        return self.call("adminStrict", {"strict": strict})

    def faults(self) -> dict:
        return self.call("adminFaults")

    def add_fault(self, fault: dict) -> dict:
        return self.call("adminAddFault", fault)

    def clear_faults(self) -> dict:
        return self.call("adminClearFaults")

    # -- the services, as a client would use them -----------------------------------------
    def login(self, service: str, deployment: dict) -> str:
        """A jwt of ``service`` ("serving" or "monitoring") for a listed deployment."""
        body = {"api_token": deployment["api_tokens"][0], "deployment_id": deployment["id"]}
        url = self.base_url + login_operation(service).path
        response = self.http.post(url, data=json.dumps(body), timeout=self.timeout)
        if response.status_code != 200:
            raise AdminError(f"login to {service} answered {response.status_code}")
        return response.json()["jwt"]


def _code(response: requests.Response) -> str | None:
    """The code of a problem+json answer (the last segment of its ``type``), or None."""
    try:
        body = response.json()
    except ValueError:
        return None
    kind = body.get("type") if isinstance(body, dict) else None
    return kind.rsplit("/", 1)[-1] if isinstance(kind, str) else None


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return body.get("message", "") if isinstance(body, dict) else str(body)[:200]
