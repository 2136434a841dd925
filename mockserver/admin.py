"""The admin API under /__admin/: health, deployments, journal, records, images, validation,
reset, clock, faults. Not part of Picsellia's services: it lets a test in any language see and
steer the mock."""

from __future__ import annotations

from flask import Blueprint

from picsellia_contract import check_message, field_defaults, message_names
from picsellia_contract.cli import verdict
from picsellia_contract.images import sniff_content_type
from picsellia_contract.openapi import bundle_path

from . import __version__, faults
from .auth import deployment_or_404
from .bodies import parse_pairs, read_json
from .certification import views as certification
from .context import Context
from .errors import ApiError
from .exchange import Answer, Incoming
from .journal import as_entry
from .records import as_received, stored_prediction
from .routing import add_views

bp = Blueprint("admin", __name__)


def health(ctx: Context, incoming: Incoming) -> Answer:
    """admin-health-response.json."""
    body = {
        "status": "ok",
        "version": __version__,
        "deployments": len(ctx.config.deployments),
        "strict": ctx.strict,
        "clock_offset_seconds": ctx.store.clock_offset(),
    }
    return Answer(body)


def deployments(ctx: Context, incoming: Incoming) -> Answer:
    """admin-deployments-response.json: every deployment, with its API tokens."""
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
    return Answer({"count": len(found), "deployments": found})


def journal(ctx: Context, incoming: Incoming) -> Answer:
    """admin-journal-query.json -> admin-journal-response.json."""
    query = parse_pairs(incoming.args, "admin-journal-query")
    ctx.check("admin-journal-query", query)
    query = {**field_defaults("admin-journal-query"), **query}
    entries = [as_entry(row) for row in ctx.store.journal(query)]
    return Answer({"count": len(entries), "entries": entries})


def predictions(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """admin-predictions-response.json: records as received, image as size and SHA-256."""
    deployment = deployment_or_404(ctx.config, id)
    found = [as_received(row) for row in ctx.store.predictions(deployment.id)]
    return Answer({"deployment_id": deployment.id, "count": len(found), "predictions": found})


def image(ctx: Context, incoming: Incoming, prediction_id: str) -> Answer:
    """The decoded image bytes of a stored prediction (404 for a cloud image)."""
    row = stored_prediction(ctx, prediction_id)
    data = row["image"]
    if data is None and row["image_size"] is not None:
        budget = ctx.config.max_stored_image_bytes
        message = (
            f"prediction {prediction_id}'s image was dropped to keep the stored images within "
            f"{budget} bytes (max_stored_image_bytes); its size and SHA-256 are kept"
        )
        raise ApiError("prediction_not_found", message)
    if data is None:
        message = f"prediction {prediction_id} was sent with a cloud_image: no bytes are stored"
        raise ApiError("prediction_not_found", message)
    return Answer(data, mimetype=sniff_content_type(data) or "application/octet-stream")


def validate(ctx: Context, incoming: Incoming, message: str) -> Answer:
    """Any message of the contract -> admin-validate-response.json (the CLI's --json verdict)."""
    if message.removesuffix(".json") not in message_names():
        known = ", ".join(message_names())
        raise ApiError("message_not_found", f"no message named {message!r}; one of: {known}")
    query = parse_pairs(incoming.args, "admin-validate-query")
    ctx.check("admin-validate-query", query)
    instance = read_json(incoming)
    checked = check_message(
        message,
        instance,
        deployment_type=query.get("deployment_type"),
        strict={**field_defaults("admin-validate-query"), **query}["strict"] == "true",
        now=ctx.now,
        label_count=int(query["label_count"]) if "label_count" in query else None,
    )
    return Answer(verdict(checked.problems))


def openapi_file(ctx: Context, incoming: Incoming) -> Answer:
    """GET /openapi.json: schemas/openapi.bundled.json, the one-file document for generators."""
    return Answer(bundle_path().read_bytes())


def reset(ctx: Context, incoming: Incoming) -> Answer:
    """admin-reset-response.json: forget predictions, journal, faults and the clock offset."""
    ctx.store.reset()
    return Answer({"reset": True})


def clock(ctx: Context, incoming: Incoming) -> Answer:
    """admin-clock-request.json -> admin-clock-response.json."""
    body = read_json(incoming)
    ctx.check("admin-clock-request", body)
    offset = ctx.store.advance_clock(body["advance_seconds"])
    return Answer({"now": ctx.store.now(), "offset_seconds": offset})


def strict(ctx: Context, incoming: Incoming) -> Answer:
    """admin-strict.json -> admin-strict.json: warnings are refused (true) or not, until reset."""
    body = read_json(incoming)
    ctx.check("admin-strict", body)
    ctx.store.set_strict(body["strict"])
    return Answer({"strict": body["strict"]})


def list_faults(ctx: Context, incoming: Incoming) -> Answer:
    """admin-faults-response.json: the faults armed and not yet spent."""
    return Answer(armed_faults(ctx))


def add_fault(ctx: Context, incoming: Incoming) -> Answer:
    """admin-fault-request.json -> 201 admin-faults-response.json."""
    body = read_json(incoming)
    ctx.check("admin-fault-request", body)
    faults.arm(ctx, body)
    return Answer(armed_faults(ctx), 201)


def clear_faults(ctx: Context, incoming: Incoming) -> Answer:
    """admin-faults-response.json with no fault left."""
    ctx.store.clear_faults()
    return Answer(armed_faults(ctx))


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
        "adminFaults": list_faults,
        "adminAddFault": add_fault,
        "adminClearFaults": clear_faults,
        **certification.VIEWS,
    },
)
