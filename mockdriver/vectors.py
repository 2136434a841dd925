"""``picsellia-mock vectors --url URL``: send every test vector to a running server over HTTP.

Each group of ``schemas/vectors/*.json`` with an ``http`` object names the operation its data is
sent to and the demo deployment (by type) it is sent for; each of its tests names the status
the server must answer. A test's problems are compared with the answer's: the error body's
``problems``, or the ``warnings`` of a 201. See ``schemas/vectors/README.md``.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from dataclasses import dataclass, field
from typing import Any

import requests

from mockserver.config import demo_name
from picsellia_contract.registry import schema_dir
from picsellia_contract.routes import operation

from .admin_client import AdminClient, AdminError

TIMEOUT = 30


@dataclass
class Outcome:
    """What one run found."""

    passed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)


def load_groups() -> list[tuple[str, dict]]:
    """(file name, group) of every vector group, in file order."""
    folder = schema_dir() / "vectors"
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.name != "vectors.schema.json":
            found += [(path.name, group) for group in json.loads(path.read_text("utf-8"))]
    return found


class Runner:
    """Sends vectors to one server, logging in once per deployment and service."""

    def __init__(self, url: str) -> None:
        self.admin = AdminClient(url)
        self.url, self.http = self.admin.base_url, self.admin.http
        self.strict = self.admin.health()["strict"]
        self.deployments = {d["name"]: d for d in self.admin.deployments()}
        self.tokens: dict[tuple[str, str], str] = {}

    def token(self, service: str, deployment: dict) -> str:
        key = (service, deployment["id"])
        if key not in self.tokens:
            self.tokens[key] = self.admin.login(service, deployment)
        return self.tokens[key]

    def run(self, outcome: Outcome) -> Outcome:
        self.admin.reset()
        for file_name, group in load_groups():
            http = group.get("http")
            for index, test in enumerate(group["tests"]):
                reason = self._skip_reason(group, http, test)
                if reason:
                    outcome.skipped[reason] = outcome.skipped.get(reason, 0) + 1
                    continue
                where = f"{file_name} / {group['description']} / {test['description']}"
                found = self.send(http, test, index)
                problem = compare(test, *found)
                if problem:
                    outcome.disagreements.append(f"{where}: {problem}")
                else:
                    outcome.passed += 1
        return outcome

    def _skip_reason(self, group: dict, http: dict | None, test: dict) -> str | None:
        if http is None or test.get("http_status") is None:
            return "schema only (not sent over HTTP)"
        if group.get("strict", False) != self.strict:
            return (
                "needs a server started "
                + ("with" if group.get("strict") else "without")
                + (" --strict")
            )
        if http.get("config") and not self._has_config_deployments(http, test):
            return f"needs a server started with --config schemas/vectors/{http['config']}"
        if "label_count" in group and not self._has_labels(http, test, group["label_count"]):
            return f"needs demo deployments with {group['label_count']} labels"
        return None

    def _has_labels(self, http: dict, test: dict, count: int) -> bool:
        """Whether the deployment the test goes to has ``count`` labels (class range)."""
        type_ = test.get("http_deployment_type") or http.get("deployment_type")
        deployment = self.deployments.get(demo_name(type_)) if type_ else None
        return deployment is not None and len(deployment.get("labels", [])) == count

    def _has_config_deployments(self, http: dict, test: dict) -> bool:
        type_ = test.get("http_deployment_type") or http.get("deployment_type")
        if type_ is None:  # login vectors name their deployment in the data
            return any(d["name"] == "vectors-login" for d in self.deployments.values())
        return demo_name(type_) in self.deployments

    def send(self, http: dict, test: dict, index: int) -> tuple[int, list | None]:
        """(status, problems as [code, pointer] pairs, or None when the answer has none)."""
        found = operation(http["operation"])
        data = test["data"]
        if found.operation_id == "servingLogin":
            response = self.http.post(self.url + found.path, data=json.dumps(data), timeout=TIMEOUT)
            return answered(response)
        type_ = test.get("http_deployment_type") or http["deployment_type"]
        deployment = self.deployments[demo_name(type_)]
        headers = {"Authorization": "Bearer " + self.token(found.service, deployment)}
        path = found.path.replace("{id}", deployment["id"])
        if "prediction" in http:
            prediction_id = self.setup_prediction(http["prediction"], deployment, index)
            path = path.replace("{prediction_id}", prediction_id)
            if isinstance(data, dict) and data.get("prediction_id"):
                data = {**data, "prediction_id": prediction_id}
        if found.operation_id in ("predict", "predictSingular"):
            files = multipart(data, base64.b64decode(http["media"]))
            response = self.http.post(self.url + path, files=files, headers=headers, timeout=60)
        else:
            body = json.dumps(data)
            response = self.http.request(
                found.method, self.url + path, data=body, headers=headers, timeout=TIMEOUT
            )
        return answered(response)

    def setup_prediction(self, payload: dict, deployment: dict, index: int) -> str:
        """Store the group's setup prediction (filename prefixed by the test's index)."""
        found = operation("monitorPrediction")
        payload = {**payload, "filename": f"{index}-{payload['filename']}"}
        headers = {"Authorization": "Bearer " + self.token("monitoring", deployment)}
        path = found.path.replace("{id}", deployment["id"])
        response = self.http.post(
            self.url + path, data=json.dumps(payload), headers=headers, timeout=TIMEOUT
        )
        response.raise_for_status()
        return response.json()["id"]


def multipart(data: Any, media: bytes) -> list:
    """The parsed form of a predict-form vector as multipart parts: one part per value of a
    list, ``media`` as file parts whose filename is the value, carrying ``media`` bytes."""
    parts = []
    for name, value in (data or {}).items():
        for item in value if isinstance(value, list) else [value]:
            if name == "media":
                parts.append((name, (str(item), media)))
            else:
                parts.append((name, (None, str(item))))
    return parts


def answered(response: requests.Response) -> tuple[int, list | None]:
    try:
        body = response.json()
    except ValueError:
        return response.status_code, None
    if isinstance(body, dict) and isinstance(body.get("problems"), list):
        return response.status_code, body["problems"]
    if isinstance(body, dict) and isinstance(body.get("warnings"), list):
        return response.status_code, body["warnings"]
    return response.status_code, None


def compare(test: dict, status: int, problems: list | None) -> str | None:
    """None when the answer agrees with the test; else what differs, in plain words."""
    if status != test["http_status"]:
        return f"expected status {test['http_status']}, got {status} ({problems or ''})"
    if problems is None:
        return None
    expected = {(p["code"], p["pointer"]) for p in test.get("problems", [])}
    got = {(p["code"], p["pointer"]) for p in problems}
    if got != expected:
        return f"expected problems {sorted(expected)}, got {sorted(got)}"
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="base URL of a running mock server")


def run(args: argparse.Namespace) -> int:
    """Print each disagreement and a summary; exit 1 on any disagreement, 2 if unreachable."""
    try:
        outcome = Runner(args.url).run(Outcome())
    except (AdminError, requests.RequestException) as exc:
        print(f"picsellia-mock: error: cannot talk to {args.url}: {exc}", file=sys.stderr)
        return 2
    for line in outcome.disagreements:
        print("DISAGREES " + line)
    for reason, count in sorted(outcome.skipped.items()):
        print(f"skipped {count}: {reason}")
    print(f"{outcome.passed} agree, {len(outcome.disagreements)} disagree")
    return 1 if outcome.disagreements else 0
