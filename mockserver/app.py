"""The application factory: both services, the admin API, faults, the journal, one error shape."""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import threading
import time

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from picsellia_contract.openapi import bundle_path

from . import admin, monitoring, serving
from .config import Config
from .errors import ApiError
from .service import note_problems, now, store
from .store import initialise

RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


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
    app.json.sort_keys = False
    app.extensions["mock_connections"] = threading.local()
    for blueprint in (serving.bp, monitoring.bp, admin.bp):
        app.register_blueprint(blueprint)
    app.add_url_rule("/openapi.json", "openapi_document", openapi_document)
    app.config["MOCK_ROUTES"] = {template(rule.rule) for rule in app.url_map.iter_rules()}
    app.before_request(refuse_large_body)
    app.before_request(apply_fault)
    app.after_request(write_journal)
    app.register_error_handler(ApiError, render_api_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected)
    return app


def template(rule: str) -> str:
    """A Flask rule as an OpenAPI path template: /api/deployment/<id> -> /api/deployment/{id}."""
    return RULE_VARIABLE.sub(r"{\1}", rule)


def openapi_document() -> Response:
    """GET /openapi.json: schemas/openapi.bundled.json, the one-file document for generators."""
    return Response(bundle_path().read_bytes(), mimetype="application/json")


def refuse_large_body() -> None:
    """413 before anything else when the declared length is over the limit."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        message = f"the body is {request.content_length} bytes, more than the limit of {limit}"
        raise ApiError("body_too_large", message)


def apply_fault() -> None:
    """Slow down or fail this call if an armed fault matches its route and method."""
    if request.url_rule is None or request.blueprint == "admin":
        return
    fault = store().take_fault(template(request.url_rule.rule), request.method)
    if fault is None:
        return
    if fault["delay_ms"]:
        time.sleep(fault["delay_ms"] / 1000)
    if fault["status"] is not None:
        headers = {}
        if fault["retry_after"] is not None:
            headers["Retry-After"] = str(fault["retry_after"])
        message = f"fault injected by POST /__admin/faults: status {fault['status']}"
        raise ApiError("injected_fault", message, status=fault["status"], headers=headers)


def write_journal(response):
    if request.path == "/__admin/requests":
        return response
    view_args = request.view_args or {}
    entry = {
        "time": now(),
        "method": request.method,
        "path": request.path,
        "service": request.blueprint,
        "deployment_id": g.get("deployment_id", view_args.get("id")),
        "status": response.status_code,
        "problems": json.dumps([p.as_dict() for p in g.get("problems", [])]),
    }
    store().log(entry, current_app.config["MOCK"].journal_capacity)
    return response


def render_api_error(error: ApiError):
    note_problems(error.problems)
    return error.response()


def render_http_error(error: HTTPException):
    status = error.code or 500
    if status == 404:
        api_error = ApiError("route_not_found", route_not_found_message())
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


def route_not_found_message() -> str:
    path = request.path
    segments = path.strip("/").split("/")
    best, best_score = None, 0.0
    for rule in current_app.url_map.iter_rules():
        shown = template(rule.rule)
        parts = shown.strip("/").split("/")
        if len(parts) == len(segments):  # compare with the caller's own ids in place
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


def render_unexpected(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    message = f"the mock server failed ({type(error).__name__}); please report it"
    return render_api_error(ApiError("internal_error", message))
