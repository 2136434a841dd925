"""Running the scenarios: for each, reset the server, set it up, run the adapter, grade."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import requests

from picsellia_contract.routes import operation

from .adapters import Run, run_adapter
from .grading import grade
from .scenarios import files_dir, substitute

TIMEOUT = 30
DEFAULT_CLIENT_TIMEOUT = 10.0


@dataclass
class Result:
    """One scenario's verdict."""

    scenario: dict[str, Any]
    failure: str | None
    seconds: float
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.failure is None


class Server:
    """The admin API of the mock the scenarios run against."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()
        listed = self.call("GET", "/__admin/deployments")["deployments"]
        self.deployments = {d["name"]: d for d in listed}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, self.url + path, json=body, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()

    def deployment(self, deployment_type: str) -> dict:
        name = "demo-" + deployment_type.lower().replace("_", "-")
        try:
            return self.deployments[name]
        except KeyError:
            raise LookupError(f"the server has no deployment named {name}") from None

    def last_entry_id(self) -> int:
        entries = self.call("GET", "/__admin/requests?limit=1")["entries"]
        return entries[0]["id"] if entries else 0

    def entries_after(self, after_id: int) -> list[dict]:
        path = f"/__admin/requests?after_id={after_id}&order=oldest"
        found = self.call("GET", path)["entries"]
        return [e for e in found if e["service"] in ("serving", "monitoring")]

    def stored(self, deployment_id: str) -> list[dict]:
        return self.call("GET", f"/__admin/deployments/{deployment_id}/predictions")["predictions"]


def set_up(server: Server, scenario: dict, deployment: dict) -> dict[str, Any]:
    """Reset the server and do what the scenario's ``server`` says; the placeholders' values."""
    setup = scenario.get("server", {})
    server.call("POST", "/__admin/reset", {})
    names: dict[str, Any] = {"$deployment_id": deployment["id"]}
    if "prediction" in setup:
        names["$prediction_id"] = store_prediction(server, deployment, setup["prediction"])
    if "strict" in setup:
        server.call("POST", "/__admin/strict", {"strict": setup["strict"]})
    for fault in setup.get("faults", []):
        server.call("POST", "/__admin/faults", fault)
    return names


def store_prediction(server: Server, deployment: dict, payload: dict) -> str:
    """Store a monitoring payload (the image given by file name) through the service itself."""
    import base64

    body = dict(payload)
    if isinstance(body.get("image"), str) and (files_dir() / body["image"]).is_file():
        body["image"] = base64.b64encode((files_dir() / body["image"]).read_bytes()).decode()
    login = {"api_token": deployment["api_tokens"][0], "deployment_id": deployment["id"]}
    jwt = server.http.post(server.url + "/api/auth/login", json=login, timeout=TIMEOUT).json()[
        "jwt"
    ]
    path = operation("monitorPrediction").path.replace("{id}", deployment["id"])
    answer = server.http.post(
        server.url + path,
        data=json.dumps(body),
        headers={"Authorization": "Bearer " + jwt},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return answer.json()["id"]


def run_scenario(server: Server, scenario: dict, argv: list[str], limit: float) -> Result:
    """Reset and set up the server, run the adapter (for at most ``limit`` seconds), grade."""
    started = time.monotonic()
    deployment = server.deployment(scenario["deployment_type"])
    names = set_up(server, scenario, deployment)
    after = server.last_entry_id()
    action = {
        "scenario": scenario["name"],
        "serving_url": server.url,
        "monitoring_url": server.url,
        "deployment_id": deployment["id"],
        "deployment_type": deployment["type"],
        "api_token": scenario.get("server", {}).get("api_token", deployment["api_tokens"][0]),
        "files_dir": str(files_dir()),
        "timeout_seconds": scenario.get("timeout_seconds", DEFAULT_CLIENT_TIMEOUT),
        "calls": substitute(scenario["calls"], names),
    }
    run: Run = run_adapter(argv, action, limit)
    _settle(scenario)
    if run.outcome is None:
        return Result(scenario, run.failure, time.monotonic() - started, run.stderr)
    stored = server.stored(deployment["id"])
    if stored:
        names["$stored_id"] = stored[-1]["id"]
    expect = substitute(scenario["expect"], names)
    failure = grade(expect, server.entries_after(after), run.outcome["results"], len(stored))
    return Result(scenario, failure, time.monotonic() - started, run.stderr)


def _settle(scenario: dict) -> None:
    """Wait until requests the client gave up on (delayed by a fault) have been answered: at
    most the longest delay, after the adapter has finished."""
    delays = [f.get("delay_ms", 0) / 1000 for f in scenario.get("server", {}).get("faults", [])]
    if any(delays):
        time.sleep(max(delays) + 0.2)
