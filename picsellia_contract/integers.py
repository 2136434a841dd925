"""Integer-valued numbers where the contract says integer: ``48.0`` becomes ``48``.

JSON Schema counts 48.0 as an integer, so validation accepts it; a client in Go, Rust or Java
then cannot decode a stored ``48.0`` into an integer field. The mock stores what it received in
this canonical form (the journal keeps the request exactly as received).
"""

from __future__ import annotations

from typing import Any

from .geometry import type_schema_name
from .registry import inlined_schema
from .validate import raw_prediction_paths


def with_integers(message: str, instance: Any, deployment_type: str | None = None) -> Any:
    """A copy of a valid ``instance`` with every integer-valued float that its schema types as
    an integer turned into an int; raw predictions follow their deployment type's schema.
    ``instance`` itself when it holds no integer-valued float (the usual case)."""
    if not _holds_integral_float(instance):
        return instance
    raw_keys = {path[0] for path in raw_prediction_paths(message) if path}
    result = _walk(instance, inlined_schema(message), skip=raw_keys)
    if deployment_type is not None and isinstance(result, dict):
        type_schema = inlined_schema(type_schema_name(deployment_type))
        for key in raw_keys:
            if isinstance(result.get(key), dict):
                result[key] = _walk(result[key], type_schema, skip=set())
    return result


_UNCHANGED = (str, int, bool, type(None))  # what _walk gives back as it is, whatever the schema
_NO_SKIP = frozenset()


def _walk(value: Any, schema: Any, skip: set | frozenset) -> Any:
    if type(value) in _UNCHANGED or not isinstance(schema, dict):
        return value
    if isinstance(value, float) and value.is_integer() and _types(schema) == {"integer"}:
        return int(value)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {
            key: item
            if key in skip or type(item) in _UNCHANGED
            else _walk(item, properties.get(key), _NO_SKIP)
            for key, item in value.items()
        }
    if isinstance(value, list):  # a list of numbers: no call per item that stays as it is
        items = schema.get("items")
        return [
            item if type(item) in _UNCHANGED else _walk(item, items, _NO_SKIP) for item in value
        ]
    return value


def _holds_integral_float(value: Any) -> bool:
    """Whether a float such as ``48.0`` is anywhere in ``value`` (a cheap look before _walk)."""
    if type(value) is float:
        return value.is_integer()
    stack = [value] if type(value) in (dict, list) else []
    while stack:
        item = stack.pop()
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is float:
                if child.is_integer():
                    return True
            elif kind is dict or kind is list:
                stack.append(child)
    return False


def _types(schema: dict) -> set:
    declared = schema.get("type")
    return {declared} if isinstance(declared, str) else set(declared or ())
