"""The request journal: one entry per request, assembled and written in one place.

``record`` is called once per request by ``exchange.handle``, after the answer is made, with
everything it needs as arguments: the context, the request as read (``Incoming``: what the
body readers left of the body), the answer (its deployment and problems) and the status sent.
A failure to write is logged and changes nothing of the answer already decided.
"""

from __future__ import annotations

import json
import time
from typing import Any

from flask import Request, current_app

from picsellia_contract.registry import item_keys
from picsellia_contract.routes import operation

from .capture import (
    body_as_received,
    captured_text,
    cut,
    headers_as_received,
    query_as_received,
    secret_free,
)
from .context import Context, read_context
from .jsontext import dumps
from .tables import as_text

UNJOURNALED = {"adminRequests"}  # reading the journal does not fill it


def record(ctx: Context | None, incoming, answer, status: int) -> None:
    """Write the journal entry of a request (bounded to ``journal_capacity`` entries)."""
    request = incoming.request
    rule = request.url_rule
    if rule is not None and rule.endpoint.rsplit(".", 1)[-1] in UNJOURNALED:
        return
    try:
        ctx = ctx or read_context()
        ctx.store.log(entry(ctx, incoming, answer, status), ctx.config.journal_capacity)
    except Exception:  # the answer is decided: a journal that cannot be written is only logged
        current_app.logger.exception("the journal entry of %s %s", request.method, request.path)


def entry(ctx: Context, incoming, answer, status: int) -> dict[str, Any]:
    """The journal row of one request (admin-journal-response.json, as stored)."""
    request = incoming.request
    route = operation_of(request)
    view_args = request.view_args or {}
    size = incoming.size  # None: refused before it was read (413, guard)
    kind, body = body_as_received(
        incoming.raw or b"",
        request.mimetype,
        request.mimetype_params.get("boundary"),
        parsed=incoming.parsed,
    )
    body_text, truncated = cut(secret_free(body))
    truncated = truncated or (size is None and bool(request.content_length))
    if incoming.over_limit is not None:  # the server stopped reading the body at the limit
        size, truncated = request.content_length or incoming.over_limit, True
    head = {
        "query": query_as_received(request.args) if request.query_string else {},
        "headers": headers_as_received(request.headers),
        "body_kind": kind,
        "body_size": size if size is not None else request.content_length or 0,
    }
    return {
        "time": ctx.now,
        "method": request.method,
        "path": request.path,
        "route": route.path if route else None,
        "operation": route.operation_id if route else None,
        "service": request.blueprint,
        "deployment_id": as_text(answer.deployment_id or view_args.get("id")),
        "status": status,
        "duration_ms": round((time.perf_counter() - incoming.started) * 1000, 3),
        "problems": dumps([p.as_dict() for p in answer.problems]),
        "request": captured_text(head, body_text, truncated),
    }


def operation_of(request: Request):
    """The OpenAPI operation the request was routed to, or None (no route matched)."""
    if request.url_rule is None:
        return None
    try:
        return operation(request.url_rule.endpoint.rsplit(".", 1)[-1])
    except KeyError:
        return None


def entry_keys() -> tuple[str, ...]:
    """The keys of a journal entry: admin-journal-response.json's, in its order."""
    return item_keys("admin-journal-response", "entries")


def as_entry(row) -> dict[str, Any]:
    """A journal row for the admin API (admin-journal-response.json): each key of the schema
    is the row's column, except ``codes`` (from the problems) and the JSON text columns."""
    problems = json.loads(row["problems"])
    decoded = {
        "codes": list(dict.fromkeys(p["code"] for p in problems)),
        "problems": problems,
        "request": json.loads(row["request"]),
    }
    return {key: decoded[key] if key in decoded else row[key] for key in entry_keys()}
