"""One request, read top to bottom: receive it, check it, hand it to its view, answer, journal.

``handle`` is the whole life of a request to the services or the admin API:

1. refuse a body over the limit (before reading it), then the admin guard;
2. read the body once (``Incoming``);
3. the server's state as one value (``Context``), then an armed fault, which may answer instead;
4. the view: ``view(ctx, incoming, **path)`` returns an ``Answer`` or raises ``ApiError``;
5. the answer is made into a response, then the journal entry is written (``journal.record``):
   a failure to write it is logged and never changes the answer already decided.

Nothing travels beside these values: the view's inputs are its arguments, and what the journal
keeps of the body is what the body readers left on ``Incoming``.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Request, Response, current_app, request
from werkzeug.exceptions import ClientDisconnected, HTTPException

from picsellia_contract import Problem

from . import guard, journal
from .capture import NOT_PARSED
from .context import Context, read_context
from .errors import ApiError
from .faults import apply_fault
from .jsontext import dumps
from .transport import BODY_OVER_LIMIT

View = Callable[..., "Answer"]
FLASK_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass
class Incoming:
    """A request as the mock read it: its body, read once, and what the journal keeps of it.

    ``raw`` is the body as bytes, or as text once a reader decoded it, or None once parsed (or
    never read); ``parsed`` is the JSON body as a reader parsed it (the journal shows that
    instead of the text, so that a large body is held once, not twice)."""

    request: Request
    raw: bytes | str | None
    size: int | None  # bytes read; None: refused before its body was read
    over_limit: int | None = None  # bytes the server read before it stopped reading
    parsed: Any = NOT_PARSED
    started: float = field(default_factory=time.perf_counter)

    @property
    def headers(self):
        return self.request.headers

    @property
    def args(self):
        return self.request.args


@dataclass
class Answer:
    """What a view answers: a JSON body (or bytes with their media type), and what the journal
    notes of it (the deployment concerned, the problems found)."""

    body: Any
    status: int = 200
    deployment_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    mimetype: str = "application/json"

    def response(self) -> Response:
        content = self.body if isinstance(self.body, bytes) else dumps(self.body)
        response = Response(content, self.status, mimetype=self.mimetype)
        response.headers.update(self.headers)
        return response


def error_answer(error: ApiError) -> Answer:
    """The one error shape (schemas/error.json) as an answer."""
    return Answer(
        error.body(),
        error.status,
        deployment_id=error.deployment_id,
        problems=error.problems,
        headers=error.headers,
        mimetype="application/problem+json",
    )


def handle(view: View, **path: str) -> Response:
    """Serve the current request with ``view`` (see the module's docstring)."""
    req = request._get_current_object()  # the request itself: one look-up, not one per use
    config = current_app.config["MOCK"]
    incoming = Incoming(req, None, None, over_limit=req.environ.get(BODY_OVER_LIMIT))
    ctx: Context | None = None
    try:
        refuse_over_limit(req, incoming.over_limit)
        guard.check(config, req)
        incoming.raw = read_body(req)
        incoming.size = len(incoming.raw)
        ctx = read_context()
        if apply_fault(ctx, req):  # it may have slept or moved the clock
            ctx = read_context()
        answer = view(ctx, incoming, **path)
    except Exception as error:  # every failure is answered in the one error shape
        answer = error_answer(as_api_error(error))
    response = answer.response()
    journal.record(ctx, incoming, answer, response.status_code)
    return response


def refuse_over_limit(req: Request, over_limit: int | None) -> None:
    """413 for a body the server stopped reading, or whose declared length is over the limit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = req.content_length
    if length is not None and length > limit:
        raise ApiError(
            "body_too_large", f"the body is {length} bytes, more than the limit of {limit}"
        )
    if over_limit is not None:
        message = f"the body, sent chunked, went over the limit of {limit} bytes"
        raise ApiError("body_too_large", message)


def read_body(req: Request) -> bytes:
    """The body, read once.

    With a Content-Length, it is read from the server's input (a file, once waitress has the
    whole body) straight into one bytes object: ``get_data`` would gather it in a bytearray and
    copy that, twice the body at its peak. Chunked bodies take Werkzeug's way.
    """
    length = req.content_length
    if length is None:
        return req.get_data(cache=False)
    data = req.environ["wsgi.input"].read(length) if length else b""
    if len(data) != length:
        raise ClientDisconnected()
    return data


def as_api_error(error: Exception) -> ApiError:
    """Any failure as the one error family: werkzeug's HTTP errors mapped to catalogued codes,
    anything unexpected logged and answered 500 ``internal_error``."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, HTTPException):
        return from_http_exception(current_app, request, error)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    message = f"the mock server failed ({type(error).__name__}); please report it"
    return ApiError("internal_error", message)


def from_http_exception(app: Flask, req: Request, error: HTTPException) -> ApiError:
    status = error.code or 500
    if status == 404:
        return ApiError("route_not_found", route_not_found_message(app, req))
    if status == 405:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or []))
        message = f"{req.method} is not allowed on {req.path}; allowed: {allowed}"
        return ApiError("method_not_allowed", message, headers={"Allow": allowed})
    if status == 413:
        limit = app.config["MAX_CONTENT_LENGTH"]
        return ApiError("body_too_large", f"the body is larger than {limit} bytes")
    if status == 400:
        code = "invalid_multipart" if req.mimetype.startswith("multipart/") else "invalid_json"
        return ApiError(code, f"the body cannot be read: {error.description}")
    return ApiError("internal_error", str(error.description), status=status)


def unrouted(error: HTTPException) -> Response:
    """A request no route takes (404, 405): answered and journaled like any other."""

    def view(ctx: Context, incoming: Incoming) -> Answer:
        raise error

    return handle(view)


def route_not_found_message(app: Flask, request: Request) -> str:
    """'no route ...', with the nearest route when one is close (the caller's ids in place)."""
    path = request.path
    segments = path.strip("/").split("/")
    best, best_score = None, 0.0
    for rule in app.url_map.iter_rules():
        shown = FLASK_VARIABLE.sub(r"{\1}", rule.rule)
        parts = shown.strip("/").split("/")
        if len(parts) == len(segments):
            parts = [s if p.startswith("{") else p for p, s in zip(parts, segments, strict=True)]
        candidate = "/" + "/".join(parts)
        score = difflib.SequenceMatcher(None, path, candidate).ratio()
        if score > best_score:
            methods = "/".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
            best, best_score = f"{methods} {candidate}", score
    message = f"no route {request.method} {path}"
    if best and best_score >= 0.75:
        message += f"; did you mean {best}?"
    return message
