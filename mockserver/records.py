"""Monitored predictions: storing one as received (with the 409 rule), reading them back.

A record keeps the request body exactly as received, but for the base64 image, which is stored
once as bytes (the body keeps its place with null) and shown to the admin API as its size and
SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from typing import Any

from picsellia_contract.integers import with_integers

from .config import Deployment
from .context import Context
from .errors import ApiError
from .jsontext import dumps
from .store import Duplicate
from .tables import as_real, as_text


def store_monitored(
    ctx: Context,
    deployment: Deployment,
    body: dict,
    origin: str,
    image: bytes | None,
    dedupe: bool,
    image_sha256: str | None = None,
    warnings: list | None = None,
) -> str:
    """Store one monitored prediction and return its new id; 409 when already seen.

    ``image`` is the decoded base64 ``image`` of ``body`` (None for a cloud image). The body
    is stored with integer-valued numbers as integers where the contract says integer. With
    ``dedupe`` and ``reject_duplicates`` on, the same image bytes (or the same cloud_image) with
    the same filename on the same deployment is refused: own contract. ``image_sha256`` is
    the image's SHA-256 in hex when the caller has it already. ``warnings`` (the problems it
    was accepted with) are kept, so that the page never validates a record again.
    """
    prediction_id = str(uuid.uuid4())
    body = with_integers("monitoring-prediction-request", body, deployment.type)
    key = None
    if dedupe and ctx.config.reject_duplicates:
        if image is None:
            source = json.dumps(body.get("cloud_image"), sort_keys=True).encode()
            image_sha256 = hashlib.sha256(source).hexdigest()
        elif image_sha256 is None:
            image_sha256 = hashlib.sha256(image).hexdigest()
        key = image_sha256 + "|" + as_text(body["filename"])
    record = {
        "id": prediction_id,
        "deployment_id": deployment.id,
        "received_at": ctx.now,
        "timestamp": as_real(body.get("timestamp", ctx.now)),
        "origin": origin,
        "body": dumps({**body, "image": None} if image is not None else body),
        "image": image,
        "dedupe_key": key,
        "shadow": _shadow_of(body),
        "image_size": len(image) if image is not None else None,
        "image_sha256": None
        if image is None
        else image_sha256 or hashlib.sha256(image).hexdigest(),
        "warnings": dumps([w.as_dict() for w in warnings or []]),
    }
    try:
        ctx.store.add_prediction(record)
        if image is not None:
            ctx.store.drop_images_over(ctx.config.max_stored_image_bytes)
    except Duplicate:
        message = (
            f"this image and filename {body['filename']!r} were already stored for deployment "
            f"{deployment.id}"
        )
        raise ApiError("already_processed", message, deployment_id=deployment.id) from None
    return prediction_id


def store_posted(ctx: Context, deployment: Deployment, body: dict, checked, summary) -> str:
    """Store a monitoring body as posted, once checked (``checked``: its decoded image and
    warnings; ``summary``: the image's size and SHA-256, hashed once by the caller): 409 rule
    on, the image kept as bytes and the base64 text dropped."""
    if checked.image is not None:
        body = {**body, "image": None}
    digest = summary["sha256"] if summary else None
    return store_monitored(
        ctx,
        deployment,
        body,
        "monitoring",
        checked.image,
        True,
        image_sha256=digest,
        warnings=checked.problems,
    )


def _shadow_of(body: dict) -> str | None:
    """A payload that carries the shadow model's prediction has its shadow already."""
    if "shadow_raw_predictions" not in body:
        return None
    keys = ("shadow_raw_predictions", "shadow_latency")
    return dumps({key: body[key] for key in keys if key in body})


def stored_prediction(ctx: Context, prediction_id: str) -> sqlite3.Row:
    """The stored row of a prediction, or a 404."""
    row = ctx.store.prediction(prediction_id)
    if row is None:
        message = f"no stored prediction has the id {prediction_id!r}"
        raise ApiError("prediction_not_found", message)
    return row


def image_summary(data: bytes) -> dict[str, Any]:
    """How the admin API and the journal show an image: its size and SHA-256."""
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def as_received(row: sqlite3.Row) -> dict[str, Any]:
    """A stored record for the admin API (admin-predictions-response.json)."""
    body = json.loads(row["body"])
    if row["image_size"] is not None and "image" in body:
        body["image"] = {"size": row["image_size"], "sha256": row["image_sha256"]}
    return {
        "id": row["id"],
        "received_at": row["received_at"],
        "origin": row["origin"],
        "body": body,
        "shadow": json.loads(row["shadow"]) if row["shadow"] else None,
        "image_dropped": row["image_size"] is not None and not row["has_image"],
    }
