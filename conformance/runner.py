"""Running the scenarios: for each, reset the server, set it up, run the adapter, grade."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

from mockdriver import AdminClient
from picsellia_contract.routes import operation

from .adapters import Run, run_adapter
from .grading import grade
from .scenarios import files_dir, substitute

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


def entries_after(server: AdminClient, after_id: int) -> list[dict]:
    """The services' journal entries after ``after_id``, oldest first."""
    found = server.requests(after_id=after_id, order="oldest")
    return [e for e in found if e["service"] in ("serving", "monitoring")]


def last_entry_id(server: AdminClient) -> int:
    entries = server.requests(limit=1)
    return entries[0]["id"] if entries else 0


def set_up(server: AdminClient, scenario: dict, deployment: dict) -> dict[str, Any]:
    """Reset the server and do what the scenario's ``server`` says; the placeholders' values."""
    setup = scenario.get("server", {})
    server.reset()
    names: dict[str, Any] = {"$deployment_id": deployment["id"]}
    if "prediction" in setup:
        names["$prediction_id"] = store_prediction(server, deployment, setup["prediction"])
    if "strict" in setup:
        server.set_strict(setup["strict"])
    for fault in setup.get("faults", []):
        server.add_fault(fault)
    return names


def store_prediction(server: AdminClient, deployment: dict, payload: dict) -> str:
    """Store a monitoring payload (the image given by file name) through the service itself."""
    body = dict(payload)
    if isinstance(body.get("image"), str) and (files_dir() / body["image"]).is_file():
        body["image"] = base64.b64encode((files_dir() / body["image"]).read_bytes()).decode()
    jwt = server.login("monitoring", deployment)
    path = operation("monitorPrediction").path.format(id=deployment["id"])
    answer = server.http.post(
        server.base_url + path,
        data=json.dumps(body),
        headers={"Authorization": "Bearer " + jwt},
        timeout=server.timeout,
    )
    answer.raise_for_status()
    return answer.json()["id"]


def run_scenario(server: AdminClient, scenario: dict, argv: list[str], limit: float) -> Result:
    """Reset and set up the server, run the adapter (for at most ``limit`` seconds), grade."""
    started = time.monotonic()
    deployment = server.deployment(scenario["deployment_type"])
    names = set_up(server, scenario, deployment)
    after = last_entry_id(server)
    action = {
        "scenario": scenario["name"],
        "serving_url": server.base_url,
        "monitoring_url": server.base_url,
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
    stored = server.predictions(deployment["id"])
    if stored:
        names["$stored_id"] = stored[-1]["id"]
    expect = substitute(scenario["expect"], names)
    failure = grade(expect, entries_after(server, after), run.outcome["results"], len(stored))
    return Result(scenario, failure, time.monotonic() - started, run.stderr)


def _settle(scenario: dict) -> None:
    """Wait until requests the client gave up on (delayed by a fault) have been answered: at
    most the longest delay, after the adapter has finished."""
    delays = [f.get("delay_ms", 0) / 1000 for f in scenario.get("server", {}).get("faults", [])]
    if any(delays):
        time.sleep(max(delays) + 0.2)
