"""The monitoring service: login, predictions, shadows, deployment info and stats."""

from __future__ import annotations

from flask import Blueprint

from picsellia_contract.integers import with_integers

from . import stats
from .auth import authorize, bearer_claims, check_deployment, deployment_or_404, login_view
from .bodies import forget_image_text, parse_pairs, read_json
from .context import Context
from .errors import ApiError
from .exchange import Answer, Incoming
from .records import image_summary, store_posted, stored_prediction
from .routing import add_views

bp = Blueprint("monitoring", __name__)


def monitor(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """monitoring-prediction-request.json -> 201 monitoring-prediction-response.json, or 409."""
    deployment = authorize(ctx, "monitoring", id, incoming.headers.get("Authorization"))
    body = read_json(incoming)
    checked = ctx.check("monitoring-prediction-request", body, deployment)
    summary = None
    if checked.image is not None:
        summary = image_summary(checked.image)  # hashed once: for the journal and the 409 rule
        body = forget_image_text(incoming, body, summary)
    prediction_id = store_posted(ctx, deployment, body, checked, summary)
    warnings = [w.as_dict() for w in checked.problems]
    return Answer(
        {"id": prediction_id, "warnings": warnings},
        201,
        deployment_id=id,
        problems=checked.problems,
    )


def shadow(ctx: Context, incoming: Incoming, prediction_id: str) -> Answer:
    """shadow-request.json -> 201 shadow-response.json; 404 unknown, 409 already shadowed."""
    claims = bearer_claims(incoming.headers.get("Authorization"), "monitoring", ctx.now, ctx.secret)
    row = stored_prediction(ctx, prediction_id)
    deployment = deployment_or_404(ctx.config, row["deployment_id"])
    check_deployment(claims, deployment.id)
    body = read_json(incoming)
    warnings = ctx.check("shadow-request", body, deployment).problems
    body = with_integers("shadow-request", body, deployment.type)
    if not ctx.store.set_shadow(prediction_id, body):
        message = f"prediction {prediction_id} already has a shadow prediction"
        raise ApiError("already_shadowed", message, deployment_id=deployment.id)
    return Answer({"id": prediction_id}, 201, deployment_id=deployment.id, problems=warnings)


def deployment_info(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """GET /api/deployment/{id} -> deployment-info-response.json."""
    deployment = authorize(ctx, "monitoring", id, incoming.headers.get("Authorization"))
    predictions, shadows = ctx.store.counts(deployment.id)
    body = {
        "id": deployment.id,
        "name": deployment.name,
        "type": deployment.type,
        "labels": list(deployment.labels),
        "monitorable": deployment.monitorable,
        "prediction_count": predictions,
        "shadow_prediction_count": shadows,
    }
    return Answer(body, deployment_id=id)


def deployment_stats(ctx: Context, incoming: Incoming, id: str) -> Answer:
    """Both stats routes: stats-query.json -> stats-response.json."""
    deployment = authorize(ctx, "monitoring", id, incoming.headers.get("Authorization"))
    query = parse_pairs(incoming.args, "stats-query")
    warnings = ctx.check("stats-query", query, deployment).problems
    body = stats.compute(deployment, query, ctx.store.db)
    return Answer(body, deployment_id=id, problems=warnings)


add_views(
    bp,
    {
        "monitoringLogin": login_view("monitoring"),
        "monitorPrediction": monitor,
        "shadowPrediction": shadow,
        "deploymentInfo": deployment_info,
        "deploymentStats": deployment_stats,
        "predictionStats": deployment_stats,
    },
)
