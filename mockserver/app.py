"""The application factory: both services, the admin API and the web page; every request to
the first three is served by ``exchange.handle``."""

from __future__ import annotations

import os
import tempfile
import threading

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from . import admin, guard, monitoring, serving, web
from .config import Config
from .database import initialise
from .errors import ApiError
from .exchange import as_api_error, error_answer, from_http_exception, unrouted
from .jsontext import JSONProvider


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
    app.extensions["mock_connection_list"] = []  # every thread's, for database.release
    for blueprint in (serving.bp, monitoring.bp, admin.bp, web.bp):
        app.register_blueprint(blueprint)
    app.after_request(guard.secure)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(ApiError, render_web_error)
    app.register_error_handler(Exception, render_unexpected)
    return app


def render_http_error(error: HTTPException):
    """A request no route takes goes through ``exchange.handle`` like any other (answered in
    the error shape, journaled); the web page's own errors are only answered."""
    if request.url_rule is None:
        return unrouted(error)
    return render_web_error(from_http_exception(current_app, request, error))


def render_web_error(error: ApiError):
    """An error of the web page (its guard, a missing image): the one error shape."""
    return error_answer(error).response()


def render_unexpected(error: Exception):
    return render_web_error(as_api_error(error))
