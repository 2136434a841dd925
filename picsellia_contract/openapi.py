"""The OpenAPI document, as written (``$ref`` to the schema files) or bundled into one document.

The bundled form copies each referenced schema file, in memory, under ``components/schemas`` and
rewrites every reference to point there, for tools that do not follow references across files.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from .registry import BASE_URI, load_schema, schema_dir


def openapi_document() -> dict[str, Any]:
    """``schemas/openapi.json`` as written."""
    text = (schema_dir() / "openapi.json").read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _bundled() -> dict[str, Any]:
    document = openapi_document()
    components = document["components"].setdefault("schemas", {})
    pending = list(referenced_files(document))
    while pending:
        stem = pending.pop()
        if stem in components:
            continue
        schema = copy.deepcopy(load_schema(stem))
        for key in ("$id", "$schema"):
            schema.pop(key)
        pending.extend(referenced_files(schema))
        _rewrite(schema, stem)
        components[stem] = schema
    _rewrite(document, None)  # refs already rewritten name components/ and are left alone
    return document


def bundled_openapi() -> dict[str, Any]:
    """A self-contained copy of the OpenAPI document (a fresh copy each call)."""
    return copy.deepcopy(_bundled())


def referenced_files(node: Any) -> set[str]:
    """Stems of the schema files that ``node`` refers to."""
    found = set()
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and not target.startswith("#"):
            found.add(target.removeprefix(BASE_URI).split("#")[0].removesuffix(".json"))
        for value in node.values():
            found |= referenced_files(value)
    elif isinstance(node, list):
        for value in node:
            found |= referenced_files(value)
    return found


def _rewrite(node: Any, current: str | None) -> None:
    """Point every ``$ref`` under ``node`` (inside schema ``current``) at components/schemas."""
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and "components/" not in target:
            file_part, _, fragment = target.removeprefix(BASE_URI).partition("#")
            stem = file_part.removesuffix(".json") or current
            node["$ref"] = f"#/components/schemas/{stem}{fragment}"
        for value in node.values():
            _rewrite(value, current)
    elif isinstance(node, list):
        for value in node:
            _rewrite(value, current)
