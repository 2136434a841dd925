"""The monitoring service: login, predictions, shadows, deployment info and stats."""

from __future__ import annotations

from flask import Blueprint, request

from . import auth, stats
from .bodies import read_json
from .errors import ApiError
from .service import (
    authorize,
    check,
    decoded_image,
    deployment_or_404,
    login,
    now,
    store,
    store_monitored,
    stored_prediction,
    token_claims,
)

bp = Blueprint("monitoring", __name__)


@bp.post("/api/auth/login")
def monitoring_login():
    """POST /api/auth/login -> login-response.json (a token for the monitoring routes only)."""
    return login("monitoring")


@bp.post("/api/deployment/<id>/predictions")
def monitor(id: str):
    """monitoring-prediction-request.json -> 201 monitoring-prediction-response.json, or 409."""
    deployment = authorize("monitoring", id)
    body = read_json()
    warnings = check("monitoring-prediction-request", body, deployment)
    prediction_id = store_monitored(
        deployment, body, "monitoring", decoded_image(body), dedupe=True
    )
    return {"id": prediction_id, "warnings": [w.as_dict() for w in warnings]}, 201


@bp.post("/api/prediction/<prediction_id>/shadow")
def shadow(prediction_id: str):
    """shadow-request.json -> 201 shadow-response.json; 404 unknown, 409 already shadowed."""
    claims = token_claims("monitoring")
    row = stored_prediction(prediction_id)
    deployment = deployment_or_404(row["deployment_id"])
    auth.check_deployment(claims, deployment.id)
    body = read_json()
    check("shadow-request", body, deployment)
    if not store().set_shadow(prediction_id, body):
        message = f"prediction {prediction_id} already has a shadow prediction"
        raise ApiError("already_shadowed", message)
    return {"id": prediction_id}, 201


@bp.get("/api/deployment/<id>")
def deployment_info(id: str):
    """GET /api/deployment/{id} -> deployment-info-response.json."""
    deployment = authorize("monitoring", id)
    predictions, shadows = store().counts(deployment.id)
    return {
        "id": deployment.id,
        "name": deployment.name,
        "type": deployment.type,
        "labels": list(deployment.labels),
        "monitorable": deployment.monitorable,
        "prediction_count": predictions,
        "shadow_prediction_count": shadows,
    }


@bp.get("/api/deployment/<id>/stats")
@bp.get("/api/deployment/<id>/predictions/stats")
def deployment_stats(id: str):
    """Both stats routes: stats-query.json -> stats-response.json."""
    deployment = authorize("monitoring", id)
    query = stats.parse_query(request.args)
    check("stats-query", query, deployment)
    rows = store().predictions(deployment.id)
    return stats.compute(deployment, query, rows, now())
