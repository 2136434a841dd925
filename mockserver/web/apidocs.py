"""The API reference page's content, read from the bundled OpenAPI document.

``reference(document)`` turns the document into plain values for ``templates/docs.html``:
operations grouped by tag (in the document's tag order), each with its method, path, summary,
description, parameters, request body and responses, every schema named with a link to it; then
every schema of ``components/schemas``. Nothing is fetched: the page is made offline.
"""

from __future__ import annotations

import json
from typing import Any

from picsellia_contract.problems import MISSING
from picsellia_contract.problems import resolve as pointer_target

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SCHEMAS = "#/components/schemas/"


def reference(document: dict[str, Any]) -> dict[str, Any]:
    """Everything the reference page shows, in the order it shows it."""
    groups: dict[str, list[dict]] = {tag["name"]: [] for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                tag = (operation.get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(describe(document, method, path, operation))
    descriptions = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    schemas = document.get("components", {}).get("schemas", {})
    return {
        "info": document["info"],
        "openapi": document["openapi"],
        "tags": [
            {"name": name, "description": descriptions.get(name, ""), "operations": operations}
            for name, operations in groups.items()
            if operations
        ],
        "schemas": [schema_entry(name, schemas[name]) for name in sorted(schemas)],
    }


def describe(document: dict, method: str, path: str, operation: dict) -> dict[str, Any]:
    """One operation, its references resolved to names and links."""
    body = resolve(document, operation.get("requestBody"))
    if body is not None:
        content = body.get("content", {})
        body = {
            "required": body.get("required", False),
            "media": [media(m, c) for m, c in content.items()],
        }
    return {
        "method": method.upper(),
        "path": path,
        "id": operation.get("operationId") or f"{method}-{path}",
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "security": [name for entry in operation.get("security", []) for name in entry],
        "parameters": [parameter(document, p) for p in operation.get("parameters", [])],
        "body": body,
        "responses": [
            response(status, resolve(document, answer))
            for status, answer in operation.get("responses", {}).items()
        ],
    }


def parameter(document: dict, found: dict) -> dict[str, Any]:
    """A parameter: name, place, type, and the schema it refers to (a query schema's property)."""
    found = resolve(document, found)
    schema = found.get("schema", {})
    target = resolve(document, schema)
    return {
        "name": found["name"],
        "in": found["in"],
        "required": found.get("required", False),
        "type": type_text(target),
        "schema": schema_link(schema),
        "description": found.get("description") or target.get("description", ""),
    }


def response(status: str, found: dict) -> dict[str, Any]:
    """A response (shared ones already resolved): status, description, media types."""
    content = found.get("content", {})
    return {
        "status": status,
        "description": found.get("description", ""),
        "media": [media(m, c) for m, c in content.items()],
    }


def media(media_type: str, content: dict) -> dict[str, Any]:
    """A media type and the schema of its body, as a link or a short type."""
    schema = content.get("schema", {})
    return {"type": media_type, "schema": schema_link(schema), "text": type_text(schema)}


def schema_link(schema: dict) -> dict[str, str] | None:
    """{name, anchor} of the component schema a ``$ref`` names (a fragment inside it included)."""
    target = schema.get("$ref", "") if isinstance(schema, dict) else ""
    if not target.startswith(SCHEMAS):
        return None
    name, _, inner = target.removeprefix(SCHEMAS).partition("/")
    return {"name": name + ("#/" + inner if inner else ""), "anchor": "schema-" + name}


def type_text(schema: Any) -> str:
    """A short type: ``string``, ``integer | null``, ``one of a, b``, ``array of number``."""
    if not isinstance(schema, dict):
        return ""
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind == "array" and isinstance(schema.get("items"), dict):
        inner = type_text(schema["items"]) or "items"
        return f"array of {inner}"
    if "$ref" in schema:
        return ""
    return kind or ""


def resolve(document: dict, node: Any) -> Any:
    """``node``, or what its local ``$ref`` points to (followed until it is not a reference)."""
    seen = 0
    while isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/") and seen < 20:
        target = pointer_target(document, node["$ref"][1:])
        if target is MISSING:
            raise KeyError(f"the bundle's reference {node['$ref']!r} leads nowhere")
        node, seen = target, seen + 1
    return node


def schema_entry(name: str, schema: dict) -> dict[str, Any]:
    """A schema of components/schemas: title, description, top-level properties, its JSON."""
    required = set(schema.get("required", []))
    return {
        "name": name,
        "anchor": "schema-" + name,
        "title": schema.get("title", name),
        "description": schema.get("description", ""),
        "properties": [
            {
                "name": key,
                "required": key in required,
                "type": type_text(value),
                "schema": schema_link(value),
                "description": value.get("description", "") if isinstance(value, dict) else "",
            }
            for key, value in schema.get("properties", {}).items()
        ],
        "json": json.dumps(schema, indent=2, ensure_ascii=False),
    }
