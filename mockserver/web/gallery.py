"""Stored predictions as the web page draws them: the record, the size to draw it at, and the
warnings it was stored with.

A record does not keep its warnings, so they are found again: the body is checked as it was
received (its image bytes base64-encoded back in place) against its deployment's type, on the
server clock of the moment it was stored. The checks are pure, so this gives the warnings the
monitoring answer carried, each with its JSON Pointer (``/raw_predictions/detection_boxes/0``).
"""

from __future__ import annotations

import base64
import functools
import json
import sqlite3
from typing import Any

from picsellia_contract import Problem, check_message
from picsellia_contract.images import image_size

from ..config import Deployment
from ..context import Context
from ..records import as_received

MESSAGE = "monitoring-prediction-request"


def drawn_predictions(
    ctx: Context, deployments: list[Deployment], limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many are stored, the newest ``limit`` of them, each ready to draw) for
    ``deployments``: a page open during a load test must not redraw thousands of records."""
    rows = [(row, d) for d in deployments for row in ctx.store.predictions(d.id)]
    rows.sort(key=lambda found: found[0]["received_at"], reverse=True)
    return len(rows), [drawn(row, d) for row, d in rows[:limit]]


def drawn(row: sqlite3.Row, deployment: Deployment) -> dict[str, Any]:
    """One record: as the admin API shows it, plus what drawing it needs."""
    record = as_received(row)
    body = record["body"]
    width, height = drawing_size(body, row["image"])
    problems = stored_problems(row["body"], row["image"], deployment.type, row["received_at"])
    return {
        **record,
        "deployment_id": deployment.id,
        "deployment_type": deployment.type,
        "filename": body.get("filename"),
        "width": width,
        "height": height,
        "image_url": f"/__web/predictions/{row['id']}/image" if row["image"] else None,
        "cloud_image": body.get("cloud_image"),
        "problems": [p.as_dict() for p in problems],
    }


def drawing_size(body: dict[str, Any], image: bytes | None) -> tuple[int, int]:
    """The size geometry is checked against: the declared width and height, else the image's
    own; a cloud image is drawn on a blank canvas of the declared size."""
    width, height = body.get("width"), body.get("height")
    if all(type(v) is int and v >= 1 for v in (width, height)):
        return width, height
    return (image_size(image) if image else None) or (1, 1)


@functools.lru_cache(maxsize=1024)
def stored_problems(
    body_text: str, image: bytes | None, deployment_type: str, received_at: float
) -> tuple[Problem, ...]:
    """The problems (warnings: errors were refused) of a stored body, found again."""
    body = json.loads(body_text)
    if image is not None:
        body["image"] = base64.b64encode(image).decode("ascii")
    checked = check_message(MESSAGE, body, deployment_type=deployment_type, now=received_at)
    return tuple(checked.problems)
