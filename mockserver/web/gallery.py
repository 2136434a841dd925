"""Stored predictions as the web page draws them: the record, the size to draw it at, and the
warnings it was stored with.

The page polls this every second or two while it is open, so it reads only the rows it shows,
and no image bytes: a record keeps its image's size and SHA-256 and the warnings it was accepted
with (each with its JSON Pointer, ``/raw_predictions/detection_boxes/0``); the image itself is
fetched by the browser, from its own URL, only when drawn. Records stored by a mock older than
these columns have their warnings found again, by checking the body as received.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

from picsellia_contract import check_message
from picsellia_contract.images import image_size

from ..config import Deployment
from ..context import Context, label_count
from ..records import as_received

MESSAGE = "monitoring-prediction-request"


def drawn_predictions(
    ctx: Context, deployments: list[Deployment], limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many are stored, the newest ``limit`` of them, each ready to draw) for
    ``deployments``: a page open during a load test must not redraw thousands of records."""
    if not deployments:
        return 0, []
    by_id = {d.id: d for d in deployments}
    ids = list(by_id)
    rows = ctx.store.newest_predictions(ids, limit) if limit else []
    return ctx.store.count_predictions(ids), [
        drawn(ctx, row, by_id[row["deployment_id"]]) for row in rows
    ]


def drawn(ctx: Context, row: sqlite3.Row, deployment: Deployment) -> dict[str, Any]:
    """One record: as the admin API shows it, plus what drawing it needs."""
    record = as_received(row)
    body = record["body"]
    has_image = bool(row["has_image"])
    return {
        **record,
        "deployment_id": deployment.id,
        "deployment_type": deployment.type,
        "filename": body.get("filename"),
        **drawing_size(ctx, row, body),
        "image_url": f"/__web/predictions/{row['id']}/image" if has_image else None,
        "cloud_image": body.get("cloud_image"),
        "problems": warnings(ctx, row, deployment),
    }


def drawing_size(ctx: Context, row: sqlite3.Row, body: dict[str, Any]) -> dict[str, int]:
    """The size geometry is checked against: the declared width and height, else the image's
    own (read from its header); a cloud image is drawn on a blank canvas of the declared size."""
    width, height = body.get("width"), body.get("height")
    if not all(type(v) is int and v >= 1 for v in (width, height)):
        stored = ctx.store.prediction(row["id"]) if row["has_image"] else None
        width, height = (image_size(stored["image"]) if stored else None) or (1, 1)
    return {"width": width, "height": height}


def warnings(ctx: Context, row: sqlite3.Row, deployment: Deployment) -> list[dict[str, Any]]:
    """The warnings the record was accepted with (found again for a record that has none kept:
    the body checked as received, its image base64-encoded back in place, on the server clock
    of the moment it was stored)."""
    if row["warnings"] is not None:
        return json.loads(row["warnings"])
    body = json.loads(row["body"])
    if row["has_image"]:
        image = ctx.store.prediction(row["id"])["image"]
        body["image"] = base64.b64encode(image).decode("ascii")
    checked = check_message(
        MESSAGE,
        body,
        deployment_type=deployment.type,
        now=row["received_at"],
        label_count=label_count(deployment),
    )
    return [p.as_dict() for p in checked.problems]
