"""The routes of both services and of the admin API, read from ``schemas/openapi.json``.

An operation is named by its ``operationId``; its first tag is the service it belongs to
(``serving``, ``monitoring`` or ``admin``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .openapi import openapi_document

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One operation of the OpenAPI document."""

    operation_id: str
    method: str  # upper case
    path: str  # an OpenAPI path template, such as /api/deployment/{id}/predictions
    service: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation, in the document's order."""
    found = []
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                service = operation["tags"][0]
                found.append(Operation(operation["operationId"], method.upper(), path, service))
    return tuple(found)


@functools.cache  # the mock looks one up for every request (journal, faults)
def operation(operation_id: str) -> Operation:
    """The operation with this ``operationId``; KeyError naming the known ones otherwise."""
    for found in operations():
        if found.operation_id == operation_id:
            return found
    known = ", ".join(o.operation_id for o in operations())
    raise KeyError(f"no operation {operation_id!r}; known: {known}")


@functools.cache  # the guard asks on every browser call to the admin API
def state_changing() -> frozenset[str]:
    """The operationIds whose operation says ``x-changes-state: true`` (the admin calls that
    change the mock's state; the guard wants them in JSON from a browser)."""
    document = openapi_document()["paths"]
    return frozenset(
        o.operation_id
        for o in operations()
        if document[o.path][o.method.lower()].get("x-changes-state") is True
    )


@functools.cache  # every authorized request names it; openapi_document reads the file
def login_operation(service: str) -> Operation:
    """The login operation of ``serving`` or ``monitoring``: the one whose request body is
    ``login-request.json``."""
    for found in operations():
        body = openapi_document()["paths"][found.path][found.method.lower()].get("requestBody")
        schema = (body or {}).get("content", {}).get("application/json", {}).get("schema", {})
        if found.service == service and schema.get("$ref", "").endswith("login-request.json"):
            return found
    raise KeyError(f"no login operation for service {service!r}")
