"""The calls of ``check-live``, made as the SDK makes them, each answer compared with the contract.

Read only: both logins, deployment info, both stats routes, and deployment info without a token
(the contract's 401). With an image (``--write``): one predict with ``monitor=False`` and one
monitoring post marked as this check's (see ``payloads``). Every route, status and body
schema comes from ``schemas/openapi.json`` through ``picsellia_contract.answers``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import requests

from picsellia_contract import DEPLOYMENT_TYPES
from picsellia_contract.checks import monitorable_types

from . import payloads, reporting
from .answers import Comparison, Difference, compare_answer, route, success_status
from .fetch import MAX_ANSWER_BYTES, CallFailed, fetch
from .own_contract import judge_all

STATS_QUERY = [("service", "metrics")]  # the SDK always sends 'service'; metrics is its default
READ_ONLY = "read only (add --write)"


class CheckAborted(Exception):
    """Nothing more can be checked; the message is the one line to print."""


@dataclass(frozen=True)
class Target:
    """Where, for which deployment and as whom the check calls."""

    serving_host: str
    monitoring_host: str
    deployment_id: str
    api_token: str
    timeout: float


class LiveCheck:
    """One run of the check: the calls made so far, their comparisons, the tokens received."""

    def __init__(self, target: Target, http: requests.Session | None = None) -> None:
        self.target = target
        self.http = http or requests.Session()
        self.results: dict[str, Comparison | str] = {}  # call name -> comparison, or why skipped
        self.entries: list[dict] = []  # the report's lines, in call order
        self.tokens: dict[str, str | None] = {"serving": None, "monitoring": None}
        self.deployment_type: str | None = None

    def run(self, image: bytes | None, filename: str | None) -> dict:
        """Make every call (the writes only with ``image``) and answer the report."""
        started = time.time()
        self.login("serving", "servingLogin")
        self.login("monitoring", "monitoringLogin")
        self.read_deployment()
        self.call(
            "deploymentInfoWithoutToken", "deploymentInfo", "monitoring", status=401, token=False
        )
        created = []
        if image is None:
            self.skip("predict", "predict", READ_ONLY)
            self.skip("monitorPrediction", "monitorPrediction", READ_ONLY)
        else:
            created = self.write(image, filename or "image.png")
        verdicts = judge_all(self.results, started)
        return reporting.build(
            self.target, self.deployment_type, image is not None, self.entries, verdicts, created
        )

    def login(self, service: str, operation: str) -> None:
        """POST the login with the SDK's body (compact JSON, no Content-Type); keep the jwt.

        401 or 403 aborts the check: the credentials are wrong, nothing else can be learnt.
        """
        body = json.dumps(
            {"api_token": self.target.api_token, "deployment_id": self.target.deployment_id},
            separators=(",", ":"),
        )
        answer = self.call(operation, operation, service, data=body, token=False)
        if answer.status in (401, 403):
            raise CheckAborted(
                f"the {service} service refused the login ({answer.status}): "
                "check --api-token and --deployment-id"
            )
        jwt = answer.body.get("jwt") if isinstance(answer.body, dict) else None
        self.tokens[service] = jwt if isinstance(jwt, str) and jwt else None

    def read_deployment(self) -> None:
        """Deployment info (which tells the type) and both stats routes, on the monitoring host."""
        if self.tokens["monitoring"] is None:
            for operation in ("deploymentInfo", "deploymentStats", "predictionStats"):
                self.skip(operation, operation, "the monitoring login gave no jwt")
            return
        info = self.call("deploymentInfo", "deploymentInfo", "monitoring")
        type_ = info.body.get("type") if isinstance(info.body, dict) else None
        # A type the contract does not know is reported by this answer's comparison; the later
        # answers are then compared without a type.
        self.deployment_type = type_ if type_ in DEPLOYMENT_TYPES else None
        for operation in ("deploymentStats", "predictionStats"):
            self.call(operation, operation, "monitoring", params=STATS_QUERY)

    def write(self, image: bytes, filename: str) -> list[str]:
        """The predict (monitor=False) and the monitoring post; what they created."""
        latency = 0.0
        if self.tokens["serving"] is None:
            self.skip("predict", "predict", "the serving login gave no jwt")
        else:
            files = {"media": (filename, image)}  # a 2-tuple: no per-part Content-Type
            begin = time.monotonic()
            fields = payloads.predict_fields()
            self.call("predict", "predict", "serving", data=fields, files=files)
            latency = time.monotonic() - begin
        why = self._cannot_monitor()
        if why:
            self.skip("monitorPrediction", "monitorPrediction", why)
            return []
        try:
            payload = payloads.monitoring_payload(image, filename, self.deployment_type, latency)
        except ValueError as exc:
            self.skip("monitorPrediction", "monitorPrediction", f"cannot build the payload: {exc}")
            return []
        answer = self.call(
            "monitorPrediction", "monitorPrediction", "monitoring", data=json.dumps(payload)
        )
        if answer.status // 100 != 2:
            return []
        stored = answer.body.get("id") if isinstance(answer.body, dict) else None
        return [f"monitoring prediction {stored or '(the answer gives no id)'}"]

    def call(
        self,
        name: str,
        operation: str,
        service: str,
        *,
        status: int | None = None,
        token: bool = True,
        data=None,
        files=None,
        params=None,
    ) -> Comparison:
        """One call of ``operation``; its answer is compared with the contract's ``status``
        (the operation's success when None), with the service's bearer token when ``token``."""
        method, template = route(operation)
        path = template.replace("{id}", self.target.deployment_id)
        host = self.target.serving_host if service == "serving" else self.target.monitoring_host
        jwt = self.tokens[service] if token else None
        headers = {"Authorization": "Bearer " + jwt} if jwt else {}
        try:
            answer = fetch(
                self.http,
                method,
                host + path,
                self.target.timeout,
                headers=headers,
                data=data,
                files=files,
                params=params,
            )
        except CallFailed as exc:
            raise CheckAborted(f"{method} {host}{path}: {exc}") from None
        comparison = compare_answer(
            operation,
            status or success_status(operation),
            answer.status,
            answer.headers,
            b"" if answer.cut else answer.body,
            deployment_type=self.deployment_type,
        )
        if answer.cut:
            message = f"the answer is over {MAX_ANSWER_BYTES} bytes: not read further"
            comparison.differences.insert(0, Difference("too large", "", message))
        self.results[name] = comparison
        self.entries.append(reporting.call_entry(name, method, template, params, comparison))
        return comparison

    def skip(self, name: str, operation: str, why: str) -> None:
        """Record a call that was not made, and why (a write without --write, no token)."""
        method, template = route(operation)
        self.results[name] = why
        self.entries.append(reporting.skipped_entry(name, method, template, why))

    def _cannot_monitor(self) -> str | None:
        if self.tokens["monitoring"] is None:
            return "the monitoring login gave no jwt"
        if self.deployment_type is None:
            return "the deployment's type is unknown (deployment info gave no known type)"
        if self.deployment_type not in monitorable_types():
            return f"a {self.deployment_type} deployment cannot be monitored"
        return None
