"""The admin API under /__admin/: health, journal, stored records, images, reset, clock, faults."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, current_app, request

from picsellia_contract import Problem
from picsellia_contract.images import sniff_content_type

from . import __version__
from .bodies import read_json
from .errors import ApiError, contract_error
from .service import check, config, deployment_or_404, store, stored_prediction

bp = Blueprint("admin", __name__, url_prefix="/__admin")
JOURNAL_SERVICES = ("serving", "monitoring", "admin")


@bp.get("/health")
def health():
    """admin-health-response.json."""
    return {
        "status": "ok",
        "version": __version__,
        "deployments": len(config().deployments),
        "strict": config().strict,
        "clock_offset_seconds": store().clock_offset(),
    }


@bp.get("/requests")
def journal():
    """admin-journal-response.json, newest first; filters service, status, limit."""
    service, status, limit = _journal_filters()
    rows = store().journal(service, status, limit)
    entries = [dict(row, problems=json.loads(row["problems"])) for row in rows]
    return {"count": len(entries), "entries": entries}


def _journal_filters() -> tuple[str | None, int | None, int]:
    args, problems = request.args, []
    capacity = config().journal_capacity
    service = args.get("service")
    if service is not None and service not in JOURNAL_SERVICES:
        message = f"must be one of {', '.join(JOURNAL_SERVICES)}; got {service!r}"
        problems.append(Problem("invalid_value", "/service", message))
    numbers = {}
    for key, low, high in (("status", 100, 599), ("limit", 1, capacity)):
        text = args.get(key)
        if text is None:
            continue
        if not text.isdigit():
            problems.append(Problem("wrong_type", "/" + key, f"must be an integer, got {text!r}"))
        elif not low <= int(text) <= high:
            message = f"must be between {low} and {high}, got {text}"
            problems.append(Problem("out_of_range", "/" + key, message))
        else:
            numbers[key] = int(text)
    if problems:
        raise contract_error(problems)
    return service, numbers.get("status"), numbers.get("limit", capacity)


@bp.get("/deployments/<id>/predictions")
def predictions(id: str):
    """admin-predictions-response.json: records as received, image as size and SHA-256."""
    deployment = deployment_or_404(id)
    found = []
    for row in store().predictions(deployment.id):
        body = json.loads(row["body"])
        if row["image"] is not None and "image" in body:
            body["image"] = {
                "size": len(row["image"]),
                "sha256": hashlib.sha256(row["image"]).hexdigest(),
            }
        shadow = json.loads(row["shadow"]) if row["shadow"] else None
        found.append(
            {
                "id": row["id"],
                "received_at": row["received_at"],
                "origin": row["origin"],
                "body": body,
                "shadow": shadow,
            }
        )
    return {"deployment_id": deployment.id, "count": len(found), "predictions": found}


@bp.get("/predictions/<prediction_id>/image")
def image(prediction_id: str):
    """The decoded image bytes of a stored prediction (404 for a cloud image)."""
    row = stored_prediction(prediction_id)
    data = row["image"]
    if data is None:
        message = f"prediction {prediction_id} was sent with a cloud_image: no bytes are stored"
        raise ApiError("prediction_not_found", message)
    return Response(data, mimetype=sniff_content_type(data) or "application/octet-stream")


@bp.post("/reset")
def reset():
    """admin-reset-response.json: forget predictions, journal, faults and the clock offset."""
    store().reset()
    return {"reset": True}


@bp.post("/clock")
def clock():
    """admin-clock-request.json -> admin-clock-response.json."""
    body = read_json()
    check("admin-clock-request", body)
    offset = store().advance_clock(body["advance_seconds"])
    return {"now": store().now(), "offset_seconds": offset}


@bp.post("/faults")
def add_fault():
    """admin-fault-request.json -> 201 admin-faults-response.json."""
    body = read_json()
    check("admin-fault-request", body)
    routes = current_app.config["MOCK_ROUTES"]
    if body["route"] not in routes:
        message = f"not a route of this server; one of: {', '.join(sorted(routes))}"
        raise contract_error([Problem("invalid_value", "/route", message)])
    fault = {"method": None, "status": None, "times": 1, "delay_ms": 0, "retry_after": None}
    fault.update(body)
    store().add_fault(fault)
    return faults(), 201


@bp.delete("/faults")
def clear_faults():
    """admin-faults-response.json with no fault left."""
    store().clear_faults()
    return faults()


def faults() -> dict:
    keys = ("id", "route", "method", "status", "remaining", "delay_ms", "retry_after")
    return {"faults": [{k: row[k] for k in keys} for row in store().faults()]}
