"""The application factory: both services, the admin API, faults, the journal, one error shape."""

from __future__ import annotations

import os
import tempfile
import threading

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from . import admin, guard, monitoring, serving, web
from .config import Config
from .context import request_context
from .database import initialise
from .errors import ApiError
from .faults import apply_fault
from .journal import Note, start_clock, write_journal
from .jsontext import JSONProvider
from .routing import route_not_found_message
from .transport import BODY_OVER_LIMIT


def create_app(config: Config | None = None) -> Flask:
    """A mock server for ``config`` (defaults: the demo deployments and a temporary database)."""
    config = config or Config()
    db_path = config.db_path or os.path.join(tempfile.mkdtemp(prefix="picsellia-mock-"), "db")
    secret = initialise(db_path)  # the same key for every worker and after a restart
    app = Flask(__name__, static_folder=None)
    app.config.update(
        MOCK=config,
        MOCK_DB=db_path,
        MOCK_SECRET=secret,
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=config.max_body_bytes,
    )
    app.json = JSONProvider(app)
    app.extensions["mock_connections"] = threading.local()
    for blueprint in (serving.bp, monitoring.bp, admin.bp, web.bp):
        app.register_blueprint(blueprint)
    app.before_request(before)
    app.after_request(lambda response: write_journal(request._get_current_object(), response))
    app.register_error_handler(ApiError, render_api_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)
    return app


def before() -> None:
    """413 for a body over the limit, then the journal's clock, then faults."""
    req = request._get_current_object()  # the request itself: one look-up, not one per use
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    length = req.content_length
    if length is not None and length > limit:
        message = f"the body is {length} bytes, more than the limit of {limit}"
        raise ApiError("body_too_large", message)
    if req.environ.get(BODY_OVER_LIMIT) is not None:  # chunked: the server stopped reading it
        message = f"the body, sent chunked, went over the limit of {limit} bytes"
        raise ApiError("body_too_large", message)
    guard.check(current_app.config["MOCK"], req)
    start_clock(req)
    apply_fault(request_context(), req)


def render_api_error(error: ApiError):
    response = error.response()
    response.journal_note = Note(error.deployment_id, error.problems)
    return response


def render_http_error(error: HTTPException):
    status = error.code or 500
    if status == 404:
        api_error = ApiError("route_not_found", route_not_found_message(current_app, request))
    elif status == 405:
        allowed = ", ".join(sorted(error.valid_methods or []))
        message = f"{request.method} is not allowed on {request.path}; allowed: {allowed}"
        api_error = ApiError("method_not_allowed", message, headers={"Allow": allowed})
    elif status == 413:
        limit = request.max_content_length
        api_error = ApiError("body_too_large", f"the body is larger than {limit} bytes")
    elif status == 400:
        code = "invalid_multipart" if request.mimetype.startswith("multipart/") else "invalid_json"
        api_error = ApiError(code, f"the body cannot be read: {error.description}")
    else:
        api_error = ApiError("internal_error", str(error.description), status=status)
    return render_api_error(api_error)


def render_unexpected(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    message = f"the mock server failed ({type(error).__name__}); please report it"
    return render_api_error(ApiError("internal_error", message))
