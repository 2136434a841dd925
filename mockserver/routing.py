"""Routes come from the OpenAPI document: each view is registered under its ``operationId``.

Nothing here restates a path: a blueprint names the operations it implements, and the path and
method are read from ``schemas/openapi.json``.
"""

from __future__ import annotations

import functools
import re

from flask import Blueprint

from picsellia_contract.routes import operation

from .exchange import View, handle

PARAMETER = re.compile(r"\{([^/{}]+)\}")


def flask_rule(path: str) -> str:
    """An OpenAPI path template as a Flask rule: /api/deployment/{id} -> /api/deployment/<id>."""
    return PARAMETER.sub(r"<\1>", path)


def add_views(blueprint: Blueprint, views: dict[str, View]) -> None:
    """Register each view at the path and method of its operation, served by ``handle``."""
    for operation_id, view in views.items():
        found = operation(operation_id)
        blueprint.add_url_rule(
            flask_rule(found.path),
            endpoint=operation_id,
            view_func=functools.partial(handle, view),
            methods=[found.method],
        )
