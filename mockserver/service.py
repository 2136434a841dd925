"""What every service view needs: the store, the clock, deployments, auth and the contract.

Views stay a few lines long: parse, ``check``, delegate, answer.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from flask import current_app, g, request

from picsellia_contract import Problem, is_valid, validate
from picsellia_contract.checks import strict_b64decode

from . import auth
from .bodies import read_json
from .config import Config, Deployment
from .errors import ApiError, contract_error
from .store import Duplicate, Store, connect


def config() -> Config:
    return current_app.config["MOCK"]


def store() -> Store:
    """The store, on this thread's own connection, opened once and kept for the thread's life.

    Closing the last connection to a WAL database checkpoints it, which costs milliseconds: a
    worker thread keeps its connection instead of opening one per request.
    """
    if "store" not in g:
        local = current_app.extensions["mock_connections"]
        if getattr(local, "connection", None) is None:
            local.connection = connect(current_app.config["MOCK_DB"])
        g.store = Store(local.connection)
    return g.store


def jwt_secret() -> str:
    """The signing key, kept in the database so that every worker and restart shares it."""
    return current_app.config["MOCK_SECRET"]


def now() -> float:
    if "now" not in g:
        g.now = store().now()
    return g.now


def note_problems(problems: list[Problem]) -> None:
    """Keep problems (warnings included) for the request journal."""
    g.setdefault("problems", []).extend(problems)


def deployment_or_404(deployment_id: str) -> Deployment:
    g.deployment_id = deployment_id
    deployment = config().deployments.get(deployment_id)
    if deployment is None:
        raise ApiError("deployment_not_found", f"no deployment has the id {deployment_id!r}")
    return deployment


def token_claims(service: str) -> dict:
    """The claims of the request's bearer token, valid for ``service`` now, or a 401."""
    header = request.headers.get("Authorization")
    return auth.bearer_claims(header, service, now(), jwt_secret())


def authorize(service: str, deployment_id: str) -> Deployment:
    """The deployment a valid bearer token of ``service`` gives access to: 401, 404 or 403."""
    claims = token_claims(service)
    deployment = deployment_or_404(deployment_id)
    auth.check_deployment(claims, deployment_id)
    return deployment


def login(service: str) -> tuple[dict, int]:
    """Both login routes: check the body and the API token, answer a signed jwt (200)."""
    body = read_json()
    check("login-request", body)
    deployment = deployment_or_404(body["deployment_id"])
    auth.check_api_token(deployment, body["api_token"], request.headers.get("Authorization"))
    lifetime = config().jwt_lifetime_seconds
    return auth.issue_token(service, deployment.id, now(), lifetime, jwt_secret()), 200


def stored_prediction(prediction_id: str) -> Any:
    """The stored row of a prediction, or a 404."""
    row = store().prediction(prediction_id)
    if row is None:
        raise ApiError("prediction_not_found", f"no stored prediction has the id {prediction_id!r}")
    return row


def check(message: str, instance: Any, deployment: Deployment | None = None) -> list[Problem]:
    """Validate against the contract: 422 on errors; warnings are noted and returned."""
    problems = validate(
        message,
        instance,
        deployment_type=deployment.type if deployment else None,
        strict=config().strict,
        now=now(),
    )
    if not is_valid(problems):
        raise contract_error(problems)  # the error handler journals its problems
    note_problems(problems)
    return problems


def store_monitored(
    deployment: Deployment, body: dict, origin: str, image: bytes | None, dedupe: bool
) -> str:
    """Store one monitored prediction (body as received) and return its new id; 409 if seen."""
    prediction_id = str(uuid.uuid4())
    key = None
    if dedupe and config().reject_duplicates:
        source = image if image is not None else json.dumps(body.get("cloud_image"), sort_keys=True)
        source = source if isinstance(source, bytes) else source.encode()
        key = hashlib.sha256(source).hexdigest() + "|" + body["filename"]
    record = {
        "id": prediction_id,
        "deployment_id": deployment.id,
        "received_at": now(),
        "timestamp": body.get("timestamp", now()),
        "origin": origin,
        # the image is stored once, as bytes; the body keeps its place with null
        "body": json.dumps({**body, "image": None} if image is not None else body),
        "image": image,
        "dedupe_key": key,
    }
    try:
        store().add_prediction(record)
    except Duplicate:
        message = (
            f"this image and filename {body['filename']!r} were already stored for deployment "
            f"{deployment.id}"
        )
        raise ApiError("already_processed", message) from None
    return prediction_id


def decoded_image(body: dict) -> bytes | None:
    """The bytes of a validated payload's base64 ``image``."""
    return strict_b64decode(body["image"]) if "image" in body else None
