"""Problems: what ``validate`` reports, and how a JSON Schema error becomes one.

A problem is a code from ``schemas/error-codes.json``, a JSON Pointer into the instance, a human
message and a severity, which is the code's severity in the catalogue unless given (strict mode
gives ``error``). Schema errors are mapped by keyword; a subschema may name its own code and
message with the annotations ``x-error-code`` and ``x-error-message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from .registry import error_catalogue

ERROR = "error"
WARNING = "warning"

KEYWORD_CODES = {
    "required": "missing_property",
    "dependentRequired": "missing_property",
    "additionalProperties": "unknown_property",
    "type": "wrong_type",
    "minimum": "out_of_range",
    "maximum": "out_of_range",
    "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
    "minLength": "invalid_string",
    "maxLength": "invalid_string",
    "pattern": "invalid_string",
    "format": "invalid_string",
    "minItems": "wrong_item_count",
    "maxItems": "wrong_item_count",
}
FALLBACK_CODE = "invalid_value"  # enum, const and any keyword not listed above

JSON_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a message."""

    code: str
    pointer: str
    message: str
    severity: str = ""  # empty: the code's severity in schemas/error-codes.json

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", error_catalogue()[self.code]["severity"])

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def pointer(parts: Iterable[Any]) -> str:
    """RFC 6901 JSON Pointer for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


MISSING = object()  # what ``resolve`` answers where a pointer leads nowhere


def resolve(document: Any, where: str) -> Any:
    """The value at an RFC 6901 JSON Pointer, or MISSING."""
    for token in where.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(document, dict) and key in document:
            document = document[key]
        elif isinstance(document, list) and key.isdigit() and int(key) < len(document):
            document = document[int(key)]
        else:
            return MISSING
    return document


def _pointer_key(text: str) -> tuple:
    tokens = text.split("/")[1:]
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in tokens)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Distinct problems in a stable order: by pointer (indexes numerically), then code, message."""
    unique = set(problems)
    return sorted(unique, key=lambda p: (_pointer_key(p.pointer), p.code, p.message))


def is_json_number(value: Any) -> bool:
    """A JSON number as decoded: an int or a float, not a bool."""
    return type(value) in (int, float)


def json_type_of(value: Any) -> str:
    """The JSON type name of a Python value decoded from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _describe_type(expected: str | Sequence[str]) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(JSON_TYPE_NAMES.get(n, n) for n in names)


def from_schema_error(error: ValidationError, prefix: Sequence[Any] = ()) -> Iterator[Problem]:
    """The problems one jsonschema error stands for (``required`` may name several fields)."""
    path = [*prefix, *error.absolute_path]
    where = pointer(path)
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if "x-error-code" in schema:
        yield Problem(schema["x-error-code"], where, schema.get("x-error-message", error.message))
    elif keyword == "required":
        for name in expected:
            if isinstance(instance, dict) and name not in instance:
                yield Problem("missing_property", pointer([*path, name]), f"'{name}' is required")
    elif keyword == "dependentRequired":
        for name, needed in expected.items():
            for other in needed:
                if isinstance(instance, dict) and name in instance and other not in instance:
                    message = f"'{other}' is required when '{name}' is sent"
                    yield Problem("missing_property", pointer([*path, other]), message)
    elif keyword == "additionalProperties":
        known = schema.get("properties", {})
        for name in instance:
            if name not in known:
                message = f"'{name}' is not a field of this message"
                yield Problem("unknown_property", pointer([*path, name]), message)
    else:
        yield Problem(KEYWORD_CODES.get(keyword, FALLBACK_CODE), where, _message(error))


def _message(error: ValidationError) -> str:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword == "type":
        got = JSON_TYPE_NAMES[json_type_of(instance)]
        return f"must be {_describe_type(expected)}, got {got}"
    if keyword == "enum":
        allowed = ", ".join(repr(v) for v in expected)
        return f"must be one of {allowed}; got {instance!r}"
    if keyword == "minItems" and expected == error.schema.get("maxItems"):
        return f"must have exactly {expected} items, got {len(instance)}"
    if keyword == "maxItems" and expected == error.schema.get("minItems"):
        return f"must have exactly {expected} items, got {len(instance)}"
    if keyword == "minItems":
        return f"must have at least {expected} items, got {len(instance)}"
    if keyword == "maxItems":
        return f"must have at most {expected} items, got {len(instance)}"
    if keyword == "minLength" and expected == 1:
        return "must not be empty"
    if keyword == "minLength":
        return f"must have at least {expected} characters, got {len(instance)}"
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
        return f"must be {sign[keyword]} {expected}, got {instance!r}"
    return error.message
