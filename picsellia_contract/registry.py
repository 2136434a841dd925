"""The schema files, loaded once into one ``referencing`` registry keyed by ``$id``.

A message is named by its file stem (``monitoring-prediction-request``), its file name, or its
full ``$id``; all three find the same schema.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

BASE_URI = "https://picsellia-mock.invalid/schemas/"


def schema_dir() -> Path:
    """The folder of schema files: installed beside this package, or ``schemas/`` of a checkout.

    A wheel carries ``schemas/`` as this package's data; an editable install or a source
    checkout reads the repository's top-level ``schemas/`` folder, the one source of truth.
    """
    here = Path(__file__).resolve().parent
    installed = here / "schemas"
    return installed if installed.is_dir() else here.parent / "schemas"


@functools.cache
def _documents() -> dict[str, dict[str, Any]]:
    """Every JSON Schema file of the contract, by file name."""
    documents = {}
    for entry in sorted(schema_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text(encoding="utf-8"))
            if "$schema" in document:
                documents[entry.name] = document
    return documents


@functools.cache
def registry() -> Registry:
    """The registry holding every schema file under its ``$id``."""
    resources_ = [Resource.from_contents(doc) for doc in _documents().values()]
    return Registry().with_resources((res.id(), res) for res in resources_)


def message_names() -> list[str]:
    """The names of every schema, as file stems, sorted."""
    return [name.removesuffix(".json") for name in _documents()]


def _file_name(name_or_id: str) -> str:
    name = name_or_id.removeprefix(BASE_URI)
    return name if name.endswith(".json") else name + ".json"


def load_schema(name_or_id: str) -> dict[str, Any]:
    """Return the schema named by file stem, file name or ``$id``; KeyError if there is none."""
    file_name = _file_name(name_or_id)
    try:
        return _documents()[file_name]
    except KeyError:
        known = ", ".join(message_names())
        raise KeyError(f"no schema named {name_or_id!r}; known: {known}") from None


def validator_for(name_or_id: str) -> Draft202012Validator:
    """A compiled validator for one schema, cached, resolving ``$ref`` through the registry."""
    return _validator(_file_name(name_or_id))


@functools.cache
def _validator(file_name: str) -> Draft202012Validator:
    schema = _inline_references(file_name)
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


@functools.cache
def _fast_validator(file_name: str) -> Any:
    schema = _inline_references(file_name)
    return jsonschema_rs.validator_for(schema, validate_formats=True, offline=True)


def schema_errors(name_or_id: str, instance: Any) -> Iterable[ValidationError]:
    """The jsonschema errors of ``instance``; none without asking jsonschema when it is valid.

    jsonschema-rs answers "valid?" in microseconds; only an invalid instance is walked by the
    Python validator, whose errors carry what the problems need (path, keyword, subschema).
    Formats are checked by both, so the fast answer is never more lenient. A string holding a
    lone surrogate (JSON can escape one) cannot cross into Rust: the Python validator takes it.
    """
    file_name = _file_name(name_or_id)
    try:
        if _fast_validator(file_name).is_valid(instance):
            return ()
    except UnicodeEncodeError:
        pass
    return _validator(file_name).iter_errors(instance)


def inlined_schema(name_or_id: str) -> dict[str, Any]:
    """The schema with every ``$ref`` replaced by its target (read-only: shared, cached)."""
    return _inline_references(_file_name(name_or_id))


@functools.cache
def _inline_references(file_name: str) -> dict[str, Any]:
    """A copy of the schema with every ``$ref`` replaced by its target, resolved once.

    The contract has no recursive schema, so this terminates; validating against the copy gives
    the same verdicts and errors, without a registry look-up for every list item.
    """

    def inline(node: Any, resolver) -> Any:
        if isinstance(node, list):
            return [inline(item, resolver) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            resolved = resolver.lookup(node["$ref"])
            target = inline(resolved.contents, resolved.resolver)
            siblings = {k: inline(v, resolver) for k, v in node.items() if k != "$ref"}
            return {**target, **siblings} if siblings else target
        return {k: inline(v, resolver) for k, v in node.items() if k not in ("$defs", "examples")}

    schema = load_schema(file_name)
    resolver = registry().resolver(base_uri=schema["$id"])
    return {**inline(schema, resolver), "$id": schema["$id"], "$schema": schema["$schema"]}


def field_defaults(name_or_id: str) -> dict[str, Any]:
    """The ``default`` of each top-level property of a message that declares one."""
    properties = inlined_schema(name_or_id).get("properties", {})
    return {key: spec["default"] for key, spec in properties.items() if "default" in spec}


@functools.cache
def item_keys(name_or_id: str, field: str) -> tuple[str, ...]:
    """The property names, in the schema's order, of the items of a message's array ``field``."""
    return tuple(inlined_schema(name_or_id)["properties"][field]["items"]["properties"])


@functools.cache
def _error_codes() -> dict[str, Any]:
    return json.loads((schema_dir() / "error-codes.json").read_text(encoding="utf-8"))


@functools.cache
def error_catalogue() -> dict[str, dict[str, Any]]:
    """``schemas/error-codes.json`` as a dict keyed by code."""
    return {entry["code"]: entry for entry in _error_codes()["codes"]}


@functools.cache
def status_titles() -> dict[int, str]:
    """The problem title of each error status the mock answers (error-codes.json#/statuses)."""
    return {int(key): entry["title"] for key, entry in _error_codes()["statuses"].items()}


@functools.cache
def retry_after_statuses() -> frozenset[int]:
    """The statuses whose answers may carry Retry-After (``retry_after`` in #/statuses)."""
    statuses = _error_codes()["statuses"]
    return frozenset(int(key) for key, entry in statuses.items() if entry["retry_after"])
