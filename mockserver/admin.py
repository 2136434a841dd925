"""The admin API under /__admin/: health, deployments, journal, records, images, validation,
reset, clock, faults. Not part of Picsellia's services: it lets a test in any language see and
steer the mock."""

from __future__ import annotations

from flask import Blueprint, Response, request

from picsellia_contract import check_message, load_schema, message_names
from picsellia_contract.cli import verdict
from picsellia_contract.images import sniff_content_type
from picsellia_contract.openapi import bundle_path

from . import __version__, faults
from .auth import deployment_or_404
from .bodies import parse_pairs, read_json
from .context import request_context
from .errors import ApiError
from .journal import answer, as_entry
from .records import as_received, stored_prediction
from .routing import add_views

bp = Blueprint("admin", __name__)


def health():
    """admin-health-response.json."""
    ctx = request_context()
    body = {
        "status": "ok",
        "version": __version__,
        "deployments": len(ctx.config.deployments),
        "strict": ctx.strict,
        "clock_offset_seconds": ctx.store.clock_offset(),
    }
    return answer(body)


def deployments():
    """admin-deployments-response.json: every deployment, with its API tokens."""
    ctx = request_context()
    found = [
        {
            "id": d.id,
            "name": d.name,
            "type": d.type,
            "labels": list(d.labels),
            "monitorable": d.monitorable,
            "api_tokens": list(d.api_tokens),
        }
        for d in ctx.config.deployments.values()
    ]
    return answer({"count": len(found), "deployments": found})


def journal():
    """admin-journal-query.json -> admin-journal-response.json."""
    ctx = request_context()
    query = parse_pairs(request.args, "admin-journal-query")
    ctx.check("admin-journal-query", query)
    defaults = load_schema("admin-journal-query")["properties"]
    query = {"order": defaults["order"]["default"], "limit": defaults["limit"]["default"], **query}
    entries = [as_entry(row) for row in ctx.store.journal(query)]
    return answer({"count": len(entries), "entries": entries})


def predictions(id: str):
    """admin-predictions-response.json: records as received, image as size and SHA-256."""
    ctx = request_context()
    deployment = deployment_or_404(ctx.config, id)
    found = [as_received(row) for row in ctx.store.predictions(deployment.id)]
    return answer({"deployment_id": deployment.id, "count": len(found), "predictions": found})


def image(prediction_id: str):
    """The decoded image bytes of a stored prediction (404 for a cloud image)."""
    row = stored_prediction(request_context(), prediction_id)
    data = row["image"]
    if data is None:
        message = f"prediction {prediction_id} was sent with a cloud_image: no bytes are stored"
        raise ApiError("prediction_not_found", message)
    return Response(data, mimetype=sniff_content_type(data) or "application/octet-stream")


def validate(message: str):
    """Any message of the contract -> admin-validate-response.json (the CLI's --json verdict)."""
    ctx = request_context()
    if message.removesuffix(".json") not in message_names():
        known = ", ".join(message_names())
        raise ApiError("message_not_found", f"no message named {message!r}; one of: {known}")
    query = parse_pairs(request.args, "admin-validate-query")
    ctx.check("admin-validate-query", query)
    instance = read_json(request)
    checked = check_message(
        message,
        instance,
        deployment_type=query.get("deployment_type"),
        strict=query.get("strict") == "true",
        now=ctx.now,
    )
    return answer(verdict(checked.problems))


def openapi_file():
    """GET /openapi.json: schemas/openapi.bundled.json, the one-file document for generators."""
    return Response(bundle_path().read_bytes(), mimetype="application/json")


def reset():
    """admin-reset-response.json: forget predictions, journal, faults and the clock offset."""
    request_context().store.reset()
    return answer({"reset": True})


def clock():
    """admin-clock-request.json -> admin-clock-response.json."""
    ctx = request_context()
    body = read_json(request)
    ctx.check("admin-clock-request", body)
    offset = ctx.store.advance_clock(body["advance_seconds"])
    return answer({"now": ctx.store.now(), "offset_seconds": offset})


def strict():
    """admin-strict.json -> admin-strict.json: warnings are refused (true) or not, until reset."""
    ctx = request_context()
    body = read_json(request)
    ctx.check("admin-strict", body)
    ctx.store.set_strict(body["strict"])
    return answer({"strict": body["strict"]})


def add_fault():
    """admin-fault-request.json -> 201 admin-faults-response.json."""
    ctx = request_context()
    body = read_json(request)
    ctx.check("admin-fault-request", body)
    faults.arm(ctx, body)
    return answer(armed_faults(ctx), 201)


def clear_faults():
    """admin-faults-response.json with no fault left."""
    ctx = request_context()
    ctx.store.clear_faults()
    return answer(armed_faults(ctx))


def armed_faults(ctx) -> dict:
    return {"faults": [faults.as_listed(row) for row in ctx.store.faults()]}


add_views(
    bp,
    {
        "adminHealth": health,
        "adminDeployments": deployments,
        "adminRequests": journal,
        "adminPredictions": predictions,
        "adminImage": image,
        "adminValidate": validate,
        "adminReset": reset,
        "openapiDocument": openapi_file,
        "adminClock": clock,
        "adminStrict": strict,
        "adminAddFault": add_fault,
        "adminClearFaults": clear_faults,
    },
)
