"""Compare one HTTP answer (status, headers, body) with what the contract says it should be.

What an operation answers comes from ``schemas/openapi.json`` (status, media type, schema) and
the body is checked with ``validate``, so nothing here restates a field. Each difference is said
in plain words with where it is: ``status``, ``header <Name>`` or a JSON Pointer into the body.

The headers that matter are the ones a client acts on; every other header is the transport's
business and is not compared:

- ``Content-Type``: how to read the body; its media type must be the one the contract declares;
- ``WWW-Authenticate``: on a 401 it says the token was refused (``Bearer``, RFC 6750);
- ``Retry-After``: when to retry; only on 429 and 503, in whole seconds;
- ``Set-Cookie``: state a client would have to keep, which the contract never asks for;
- ``Deprecation`` and ``Sunset``: the service says the route is going away.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from picsellia_contract.openapi import openapi_document
from picsellia_contract.registry import BASE_URI, load_schema, retry_after_statuses
from picsellia_contract.validate import validate

# What a problem code of ``validate`` means when the message is an answer from the service.
KINDS = {
    "unknown_property": "extra field",
    "missing_property": "missing field",
    "wrong_type": "another type",
}
OTHER_KIND = "another value"
UNWANTED_HEADERS = {
    "set-cookie": "the contract keeps no state in cookies; a client that drops them may fail",
    "deprecation": "the service says this route is deprecated",
    "sunset": "the service says this route will be removed",
}


@dataclass(frozen=True)
class Difference:
    """One way an answer differs from the contract."""

    kind: str  # "another status", "extra field", "missing header", ...
    where: str  # "status", "header Content-Type", or a JSON Pointer into the body
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Comparison:
    """An answer compared: its status, its body as JSON (None if it is not JSON), what differs."""

    status: int
    expected_status: int
    body: Any = None
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def expected_answer(operation_id: str, status: int) -> tuple[str, str | None]:
    """(media type, schema name or None) the OpenAPI document gives ``operation_id`` for
    ``status`` (its own entry, else ``default``); KeyError for an unknown operation."""
    document = openapi_document()
    operation = _operation(document, operation_id)
    responses = operation["responses"]
    response = responses.get(str(status), responses.get("default", {}))
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    media_type, content = next(iter(response.get("content", {}).items()), ("", {}))
    reference = content.get("schema", {}).get("$ref")
    schema = reference.removeprefix(BASE_URI).removesuffix(".json") if reference else None
    return media_type, schema


def route(operation_id: str) -> tuple[str, str]:
    """(METHOD, path template) of an operation of the OpenAPI document."""
    for path, item in openapi_document()["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return method.upper(), path
    raise KeyError(f"no operation {operation_id!r} in openapi.json")


def success_status(operation_id: str) -> int:
    """The one 2xx status the OpenAPI document gives an operation."""
    responses = _operation(openapi_document(), operation_id)["responses"]
    return next(int(status) for status in responses if status.startswith("2"))


def compare_answer(
    operation_id: str,
    expected_status: int,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    deployment_type: str | None = None,
) -> Comparison:
    """Compare one answer of ``operation_id`` with the contract's answer of ``expected_status``.

    A 2xx answer's body is compared with the operation's success schema (even under another
    2xx status); an error's with the schema the contract gives that status.
    """
    comparison = Comparison(status, expected_status)
    if status != expected_status:
        message = f"the contract answers {expected_status}, the service answered {status}"
        comparison.differences.append(Difference("another status", "status", message))
    same_class = status // 100 == expected_status // 100
    media_type, schema = expected_answer(operation_id, expected_status if same_class else status)
    lowered = {name.lower(): value for name, value in headers.items()}
    comparison.differences += header_differences(status, lowered, media_type)
    if schema is not None:
        parsed = _read_json(body, comparison.differences)
        if parsed is not _NOT_JSON:
            comparison.body = parsed
            _compare_body(schema, comparison, deployment_type)
    return comparison


def header_differences(
    status: int, headers: Mapping[str, str], media_type: str
) -> list[Difference]:
    """The differences of the headers that matter; ``headers`` has lower-case names."""
    found = []
    got = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and got != media_type:
        message = f"the contract sends {media_type}, the service sent {got or 'none'}"
        kind = "another media type" if got else "missing header"
        found.append(Difference(kind, "header Content-Type", message))
    challenge = headers.get("www-authenticate")
    if status == 401 and not (challenge or "").lower().startswith("bearer"):
        message = "a 401 says 'WWW-Authenticate: Bearer ...' (RFC 6750)"
        message += f"; the service sent {challenge!r}" if challenge else "; the service sent none"
        found.append(Difference("missing header", "header WWW-Authenticate", message))
    elif status != 401 and challenge is not None:
        message = f"the contract sends it only with a 401, not with a {status}"
        found.append(Difference("extra header", "header WWW-Authenticate", message))
    retry_after = headers.get("retry-after")
    if retry_after is not None and status not in retry_after_statuses():
        allowed = " and ".join(str(s) for s in sorted(retry_after_statuses()))
        message = f"the contract sends it only with {allowed}, not with a {status}"
        found.append(Difference("extra header", "header Retry-After", message))
    elif retry_after is not None and not retry_after.strip().isdigit():
        message = f"the contract sends whole seconds; the service sent {retry_after!r}"
        found.append(Difference("another value", "header Retry-After", message))
    for name, why in UNWANTED_HEADERS.items():
        if name in headers:
            found.append(Difference("extra header", "header " + name.title(), why))
    return found


def _compare_body(schema: str, comparison: Comparison, deployment_type: str | None) -> None:
    for problem in validate(schema, comparison.body, deployment_type=deployment_type):
        where = problem.pointer or "/"
        if problem.severity == "warning":
            comparison.notes.append(f"{where}: {problem.message} (the contract warns about it)")
            continue
        kind = KINDS.get(problem.code, OTHER_KIND)
        comparison.differences.append(Difference(kind, problem.pointer, problem.message))
    declared = load_schema(schema).get("properties", {})
    if isinstance(comparison.body, dict) and declared and not _is_closed(schema):
        for name in comparison.body:
            if name not in declared:
                note = f"/{name}: a field the contract allows here but does not name"
                comparison.notes.append(note)


def _is_closed(schema: str) -> bool:
    return load_schema(schema).get("additionalProperties", True) is False


_NOT_JSON = object()


def _read_json(body: bytes, differences: list[Difference]) -> Any:
    if not body.strip():
        differences.append(Difference("not JSON", "", "the contract sends JSON; the body is empty"))
        return _NOT_JSON
    try:
        return json.loads(body)
    except RecursionError:
        message = "the contract sends JSON; the body nests arrays or objects too deep to read"
        differences.append(Difference("not JSON", "", message))
        return _NOT_JSON
    except ValueError:
        start = body[:60].decode("utf-8", "replace")
        message = f"the contract sends JSON; the body starts {start!r}"
        differences.append(Difference("not JSON", "", message))
        return _NOT_JSON


def _operation(document: dict, operation_id: str) -> dict:
    method, path = route(operation_id)
    return document["paths"][path][method.lower()]
