"""Injected faults: arming them (admin-fault-request.json) and applying them to a request.

A fault names a route as an OpenAPI path template (``/api/deployment/{id}/predictions``: every
deployment) or as a path with a real id in place of the parameter
(``/api/deployment/6f1e.../predictions``: that deployment, or that prediction, only).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Request

from picsellia_contract import Problem, load_schema, retry_after_statuses
from picsellia_contract.registry import item_keys
from picsellia_contract.routes import operations

from .context import Context
from .errors import ApiError, contract_error
from .journal import operation_of


def fault_defaults() -> dict[str, Any]:
    """The ``default`` of each optional field of admin-fault-request.json (None where unset)."""
    properties = load_schema("admin-fault-request")["properties"]
    return {key: spec.get("default") for key, spec in properties.items() if key != "route"}


def resolve_route(route: str) -> tuple[str, str | None]:
    """(path template, target id or None) for a fault's ``route``; a 422 when no route fits."""
    templates = sorted({o.path for o in operations() if o.service != "admin"})
    if route in templates:
        return route, None
    for template in templates:
        target = _target(template, route)
        if target is not None:
            return template, target
    message = (
        "not a route of the services: an OpenAPI path template, or one with a real id in "
        f"place of its parameter; templates: {', '.join(templates)}"
    )
    raise contract_error([Problem("invalid_value", "/route", message)])


def _target(template: str, route: str) -> str | None:
    """The value standing for the template's one parameter in ``route``, or None."""
    expected, given = template.split("/"), route.split("/")
    if len(expected) != len(given):
        return None
    target = None
    for part, value in zip(expected, given, strict=True):
        if part.startswith("{") and value:
            target = value
        elif part != value:
            return None
    return target


def arm(ctx: Context, body: dict[str, Any]) -> None:
    """Store a validated fault request, defaults filled in from the schema."""
    # A rule across two fields; the statuses are error-codes.json#/statuses' retry_after ones.
    allowed = retry_after_statuses()
    if body.get("retry_after") is not None and body.get("status") not in allowed:
        listed = " or ".join(str(s) for s in sorted(allowed))
        message = f"retry_after goes only with status {listed}, not {body.get('status')}"
        raise contract_error([Problem("invalid_value", "/status", message)])
    template, target = resolve_route(body["route"])
    fault = {**fault_defaults(), **body, "route": template, "target": target}
    fault["remaining"] = fault.pop("times")  # the request's count, counted down as listed
    ctx.store.add_fault(fault)


def apply_fault(ctx: Context, request: Request) -> bool:
    """Slow down or fail this call if an armed fault matches its route, method and target;
    whether one fired (it may have slept or moved the clock)."""
    if not ctx.faults_armed:
        return False
    route = operation_of(request)
    if route is None or route.service == "admin":
        return False
    view_args = request.view_args or {}
    target = view_args.get("id", view_args.get("prediction_id"))
    fault = ctx.store.take_fault(route.path, request.method, target)
    if fault is None:
        return False
    if fault["advance_clock_seconds"]:  # the token the request carries may expire here
        ctx.store.advance_clock(fault["advance_clock_seconds"])
    if fault["delay_ms"]:
        time.sleep(fault["delay_ms"] / 1000)
    if fault["status"] is not None:
        headers = {}
        if fault["retry_after"] is not None:  # the schema allows it with 429 and 503 only
            headers["Retry-After"] = str(fault["retry_after"])
        message = f"fault injected by POST /__admin/faults: status {fault['status']}"
        raise ApiError(
            "injected_fault",
            message,
            status=fault["status"],
            headers=headers,
            deployment_id=view_args.get("id"),
        )
    return True


def fault_keys() -> tuple[str, ...]:
    """The keys of an armed fault: admin-faults-response.json's, in its order."""
    return item_keys("admin-faults-response", "faults")


def as_listed(row) -> dict[str, Any]:
    """An armed fault for the admin API (admin-faults-response.json): the row's columns."""
    return {key: row[key] for key in fault_keys()}
