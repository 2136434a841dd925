"""Routes come from the OpenAPI document: each view is registered under its ``operationId``.

Nothing here restates a path: a blueprint names the operations it implements, and the path and
method are read from ``schemas/openapi.json``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from flask import Blueprint, Flask, Request

from picsellia_contract.routes import operation

PARAMETER = re.compile(r"\{([^/{}]+)\}")
FLASK_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def flask_rule(path: str) -> str:
    """An OpenAPI path template as a Flask rule: /api/deployment/{id} -> /api/deployment/<id>."""
    return PARAMETER.sub(r"<\1>", path)


def add_views(blueprint: Blueprint, views: dict[str, Callable]) -> None:
    """Register each view at the path and method of its operation."""
    for operation_id, view in views.items():
        found = operation(operation_id)
        blueprint.add_url_rule(
            flask_rule(found.path), endpoint=operation_id, view_func=view, methods=[found.method]
        )


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
