"""The conformance suite over the admin API: list the scenarios, start one, grade it, report.

A client certifies itself from its own test runner, in any language: for each scenario it
starts it (the mock resets, sets it up and answers the action), performs the action's calls
with the client under test, and posts what the client reported; the mock grades that against
what it received (its journal). ``picsellia-mock conformance`` is one such client.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import time

from picsellia_contract.images import sniff_content_type

from .. import faults
from ..bodies import read_json
from ..config import Deployment
from ..context import Context
from ..errors import ApiError
from ..exchange import Answer, Incoming
from ..journal import as_entry
from ..records import image_summary, store_posted
from . import reports
from .grading import grade
from .scenarios import files_dir, load_scenario, scenario_paths, substitute

DEFAULT_CLIENT_TIMEOUT = 10.0
SERVICES = ("serving", "monitoring")  # the journal entries a scenario is graded on
JOURNAL_READ = 10_000  # at most this many entries of one scenario are read back


def scenarios(ctx: Context, incoming: Incoming) -> Answer:
    """admin-scenarios-response.json."""
    listed = [reports.summary(listed_scenario(path)) for path in scenario_paths()]
    return Answer({"count": len(listed), "scenarios": listed})


def start(ctx: Context, incoming: Incoming, name: str) -> Answer:
    """Reset (verdicts kept), set the scenario up, answer its action (conformance-action.json)."""
    scenario = scenario_named(name)
    deployment = deployment_of_type(ctx, scenario["deployment_type"])
    ctx.store.reset(keep_verdicts=True)
    ctx = dataclasses.replace(ctx, now=ctx.store.now(), strict=ctx.config.strict)
    setup = scenario.get("server", {})
    names = {"$deployment_id": deployment.id}
    if "prediction" in setup:
        names["$prediction_id"] = store_setup_prediction(ctx, deployment, setup["prediction"])
    if "strict" in setup:
        ctx.store.set_strict(setup["strict"])
    for fault in setup.get("faults", []):
        faults.arm(ctx, fault)
    ctx.store.start_scenario(name, names, time.time())
    base = incoming.request.host_url.rstrip("/")  # as the client reached the mock
    action = {
        "scenario": name,
        "serving_url": base,
        "monitoring_url": base,
        "deployment_id": deployment.id,
        "deployment_type": deployment.type,
        "api_token": setup.get("api_token", deployment.api_tokens[0]),
        "files": {path.name: base64.b64encode(path.read_bytes()).decode() for path in files()},
        "files_url": base + "/__admin/conformance/files/",
        "timeout_seconds": scenario.get("timeout_seconds", DEFAULT_CLIENT_TIMEOUT),
        "calls": substitute(scenario["calls"], names),
    }
    return Answer(action)


def grade_scenario(ctx: Context, incoming: Incoming, name: str) -> Answer:
    """admin-grade-request.json -> admin-verdict.json, kept for the report."""
    body = read_json(incoming)
    ctx.check("admin-grade-request", body)
    scenario = scenario_named(name)
    started = ctx.store.started_scenario()
    if started is None or started["name"] != name:
        last = f"the last started is {started['name']!r}" if started else "none was started"
        message = f"scenario {name!r} was not started ({last}); POST .../{name}/start first"
        raise ApiError("scenario_not_started", message)
    settle(scenario)
    names = json.loads(started["names"])
    deployment_id = names["$deployment_id"]
    stored = ctx.store.predictions(deployment_id)
    if stored:
        names["$stored_id"] = stored[-1]["id"]
    query = {"order": "oldest", "limit": JOURNAL_READ}
    entries = [as_entry(row) for row in ctx.store.journal(query)]
    entries = [e for e in entries if e["service"] in SERVICES]
    if body["outcome"] is None:
        failures = [body.get("error") or "the client reported no outcome"]
    else:
        expect = substitute(scenario["expect"], names)
        failures = grade(expect, entries, body["outcome"]["results"], len(stored))
    seconds = max(0.0, time.time() - started["started"])
    verdict = reports.verdict(scenario, failures, seconds, body)
    ctx.store.keep_verdict(name, verdict, time.time())
    return Answer(verdict)


def report(ctx: Context, incoming: Incoming) -> Answer:
    """admin-conformance-report.json."""
    return Answer(reports.report([json.loads(row["verdict"]) for row in ctx.store.verdicts()]))


def junit(ctx: Context, incoming: Incoming) -> Answer:
    """The report as JUnit XML."""
    verdicts = [json.loads(row["verdict"]) for row in ctx.store.verdicts()]
    return Answer(reports.junit_xml(reports.report(verdicts)), mimetype="application/xml")


def scenario_file(ctx: Context, incoming: Incoming, file: str) -> Answer:
    """The bytes of an image the actions name."""
    found = {path.name: path for path in files()}.get(file)
    if found is None:
        known = ", ".join(sorted(p.name for p in files()))
        raise ApiError("scenario_not_found", f"no file {file!r} among the scenarios' ({known})")
    data = found.read_bytes()
    return Answer(data, mimetype=sniff_content_type(data) or "application/octet-stream")


def files() -> list:
    return sorted(path for path in files_dir().iterdir() if path.is_file())


def scenario_named(name: str) -> dict:
    """The scenario of this name, loaded from its file now; a 500 ``scenario_broken`` naming
    the scenario, its file and the pointer when the file breaks the scenario schema."""
    for path in scenario_paths():
        if path.stem == name:
            try:
                return load_scenario(path)
            except ValueError as exc:
                raise ApiError("scenario_broken", str(exc)) from None
    message = f"no conformance scenario is named {name!r}; GET /__admin/conformance/scenarios"
    raise ApiError("scenario_not_found", message)


def listed_scenario(path) -> dict:
    """A scenario as listed; one whose file is broken is listed too (starting it says why),
    so that the others still run."""
    try:
        return load_scenario(path)
    except ValueError as exc:
        summary = f"cannot be loaded: {exc}"
        return {
            "name": path.stem,
            "level": "required",
            "rules": [],
            "summary": summary,
            "deployment_type": "",
        }


def deployment_of_type(ctx: Context, deployment_type: str) -> Deployment:
    """The first deployment of a type (the demo one, with the demo deployments)."""
    for deployment in ctx.config.deployments.values():
        if deployment.type == deployment_type:
            return deployment
    message = f"this mock has no {deployment_type} deployment (the demo deployments have one)"
    raise ApiError("deployment_not_found", message)


def store_setup_prediction(ctx: Context, deployment: Deployment, payload: dict) -> str:
    """Store a scenario's setup prediction as the monitoring service would (the image given
    by file name)."""
    body = dict(payload)
    if isinstance(body.get("image"), str) and (files_dir() / body["image"]).is_file():
        body["image"] = base64.b64encode((files_dir() / body["image"]).read_bytes()).decode()
    checked = ctx.check("monitoring-prediction-request", body, deployment)
    summary = image_summary(checked.image) if checked.image is not None else None
    return store_posted(ctx, deployment, body, checked, summary)


def settle(scenario: dict) -> None:
    """Wait until requests the client gave up on (delayed by a fault) have been answered and
    journaled: at most the longest delay, once the client is done."""
    delays = [f.get("delay_ms", 0) / 1000 for f in scenario.get("server", {}).get("faults", [])]
    if any(delays):
        time.sleep(max(delays) + 0.2)


VIEWS = {
    "adminScenarios": scenarios,
    "adminStartScenario": start,
    "adminGradeScenario": grade_scenario,
    "adminConformanceReport": report,
    "adminConformanceJunit": junit,
    "adminConformanceFile": scenario_file,
}
