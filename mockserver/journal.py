"""The request journal: one entry per request, written after the answer is made.

A view hands the journal what only it knows (the deployment, the problems found, the decoded
image) on the response itself, through ``answer()``; errors carry the same on ``ApiError``.
Nothing travels through ``flask.g``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Request, Response, current_app, jsonify
from werkzeug.exceptions import ClientDisconnected

from picsellia_contract import Problem
from picsellia_contract.routes import operation

from .capture import NOT_PARSED, body_as_received, captured_text, cut, headers_as_received
from .context import request_context
from .jsontext import dumps
from .store import as_text
from .transport import BODY_OVER_LIMIT

UNJOURNALED = {"adminRequests"}  # reading the journal does not fill it
UNJOURNALED_BLUEPRINTS = {"web"}  # the web page's own assets and polling


@dataclass
class Note:
    """What a view tells the journal about its request."""

    deployment_id: str | None = None
    problems: list[Problem] = field(default_factory=list)


def answer(
    body: Any,
    status: int = 200,
    *,
    deployment_id: str | None = None,
    problems: list[Problem] | None = None,
) -> Response:
    """A JSON answer carrying its note for the journal (the body it received, read_json keeps)."""
    response = jsonify(body)
    response.status_code = status
    response.journal_note = Note(deployment_id, list(problems or []))
    return response


def start_clock(request: Request) -> None:
    """Before the request: when it started, and its body read once (kept for the journal)."""
    request.environ["mock.started"] = time.perf_counter()
    data = read_body(request)
    request.environ["mock.body"] = data  # read_json replaces it by the text, then the parsed body
    request.environ["mock.body_size"] = len(data)


def read_body(request: Request) -> bytes:
    """The body, read once and cached where Werkzeug's ``get_data`` and form parser find it.

    With a Content-Length, it is read from the server's input (a file, once waitress has the
    whole body) straight into one bytes object: ``get_data`` would gather it in a bytearray and
    copy that, twice the body at its peak. Chunked bodies take Werkzeug's way.
    """
    length = request.content_length
    if length is None:
        return request.get_data(cache=True)
    data = request.environ["wsgi.input"].read(length) if length else b""
    if len(data) != length:
        raise ClientDisconnected()
    request._cached_data = data  # the attribute get_data and the form parser read first
    return data


def keep_received(request: Request, text: str | None, parsed: Any = NOT_PARSED) -> None:
    """What the journal keeps of a JSON body once read_json has it: the text (bytes dropped),
    then the parsed body (text dropped), so that a large body is not held twice or thrice."""
    request.environ["mock.body"] = text
    if parsed is not NOT_PARSED:
        request.environ["mock.received"] = parsed
    request._cached_data = None  # Werkzeug's copy of the bytes (get_data reads it with getattr)


def forget_image_text(request: Request, body: dict, summary: dict[str, Any]) -> dict:
    """``body`` with null for its base64 ``image`` (stored records keep the decoded bytes); the
    journal keeps the image's size and SHA-256, as it shows it. The text, about the size of the
    body, is freed before the record is stored."""
    request.environ["mock.received"] = {**body, "image": summary}
    return {**body, "image": None}


def write_journal(request: Request, response: Response) -> Response:
    """After the request: its journal entry (bounded to ``journal_capacity`` entries)."""
    rule = request.url_rule
    if rule is not None and rule.endpoint.rsplit(".", 1)[-1] in UNJOURNALED:
        return response
    if request.blueprint in UNJOURNALED_BLUEPRINTS:
        return response
    note: Note = getattr(response, "journal_note", None) or Note()
    started = request.environ.get("mock.started", time.perf_counter())
    route = operation_of(request)
    view_args = request.view_args or {}
    size = request.environ.get("mock.body_size")  # None: refused before it was read (413)
    kind, body = body_as_received(
        request.environ.get("mock.body") or b"",
        request.mimetype,
        request.mimetype_params.get("boundary"),
        parsed=request.environ.get("mock.received", NOT_PARSED),
    )
    body_text, truncated = cut(body)
    truncated = truncated or (size is None and bool(request.content_length))
    over = request.environ.get(BODY_OVER_LIMIT)
    if over is not None:  # the server stopped reading the body at the limit
        size, truncated = request.content_length or over, True
    head = {
        "query": request.args.to_dict(flat=False) if request.query_string else {},
        "headers": headers_as_received(request.headers),
        "body_kind": kind,
        "body_size": size if size is not None else request.content_length or 0,
    }
    ctx = request_context()
    entry = {
        "time": ctx.now,
        "method": request.method,
        "path": request.path,
        "route": route.path if route else None,
        "operation": route.operation_id if route else None,
        "service": request.blueprint,
        "deployment_id": as_text(note.deployment_id or view_args.get("id")),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "problems": dumps([p.as_dict() for p in note.problems]),
        "request": captured_text(head, body_text, truncated),
    }
    ctx.store.log(entry, current_app.config["MOCK"].journal_capacity)
    return response


def operation_of(request: Request):
    """The OpenAPI operation the request was routed to, or None (no route matched)."""
    if request.url_rule is None:
        return None
    try:
        return operation(request.url_rule.endpoint.rsplit(".", 1)[-1])
    except KeyError:
        return None


def as_entry(row) -> dict[str, Any]:
    """A journal row for the admin API (admin-journal-response.json)."""
    problems = json.loads(row["problems"])
    return {
        "id": row["id"],
        "time": row["time"],
        "method": row["method"],
        "path": row["path"],
        "route": row["route"],
        "operation": row["operation"],
        "service": row["service"],
        "deployment_id": row["deployment_id"],
        "status": row["status"],
        "duration_ms": row["duration_ms"],
        "codes": list(dict.fromkeys(p["code"] for p in problems)),
        "problems": problems,
        "request": json.loads(row["request"]),
    }
