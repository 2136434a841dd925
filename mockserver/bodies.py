"""Reading request bodies and query strings into the shape their schema describes.

JSON is read whatever the Content-Type says (the SDK sends none). A multipart form and a query
string arrive as repeated name=value pairs; the schema says which names are lists (``type:
array``) and which values are numbers (``type: number`` or ``integer``), so that the parsed
form is validated like any JSON message.
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from picsellia_contract.checks import json_text_fields
from picsellia_contract.registry import inlined_schema

from .errors import ApiError
from .jsontext import MAX_JSON_DEPTH, NOT_READ, fast_loads

if TYPE_CHECKING:
    from .exchange import Incoming

_SIGNIFICANT = re.compile(r'["\\\[\]{}]')  # what _too_deep looks at


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:20]} is too large for a double")
    return number


def read_json(incoming: Incoming) -> Any:
    """The body parsed as JSON, or a 400 invalid_json. orjson reads it where it reads it as the
    standard library would; the standard library does the rest, and says what is wrong.

    What the journal keeps moves with it (``incoming.raw``, then ``incoming.parsed``): the
    bytes are dropped once decoded, the text once parsed, so a large body is not held twice."""
    data = incoming.raw
    if not data:
        raise ApiError("invalid_json", "the body is empty; send a JSON object")
    if isinstance(data, bytes):
        parsed = fast_loads(data)
        if parsed is not NOT_READ:
            del data
            incoming.raw, incoming.parsed = None, parsed
            return parsed
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError("invalid_json", "the body is not UTF-8 text") from None
        del data
        incoming.raw = text  # the bytes are freed before parsing, not after
    else:
        text = data
    if _too_deep(text):
        message = f"the body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep"
        raise ApiError("invalid_json", message)
    try:
        parsed = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite)
    except ValueError as exc:
        raise ApiError("invalid_json", f"the body is not JSON: {exc}") from None
    incoming.raw, incoming.parsed = None, parsed
    return parsed


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_JSON_DEPTH (a cheap scan that
    spares the parser a RecursionError)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    depth, in_string, escaped_at = 0, False, -1
    for match in _SIGNIFICANT.finditer(text):  # other characters change nothing: skipped in C
        at, char = match.start(), match.group()
        if at == escaped_at:
            continue
        if in_string:
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def read_predict_form(incoming: Incoming) -> tuple[dict[str, Any], FileStorage | None]:
    """The multipart form as parsed (predict-form.json) and the media file part, if any."""
    request = incoming.request
    if request.mimetype != "multipart/form-data" or "boundary" not in request.mimetype_params:
        got = request.content_type or "no Content-Type"
        message = f"predict takes a multipart/form-data body with a boundary; got {got}"
        raise ApiError("invalid_multipart", message)
    data = incoming.raw if isinstance(incoming.raw, bytes) else b""
    parser = FormDataParser(
        max_form_memory_size=request.max_form_memory_size,
        max_content_length=request.max_content_length,
        max_form_parts=request.max_form_parts,
    )
    try:
        _, form, files = parser.parse(
            io.BytesIO(data), request.mimetype, len(data), request.mimetype_params
        )
    except RequestEntityTooLarge:
        if len(data) > (request.max_content_length or len(data)):
            raise
        message = (
            f"the multipart body has more than {request.max_form_parts} parts "
            f"(or more than {request.max_form_memory_size} bytes of text fields)"
        )
        raise ApiError("too_many_parts", message) from None
    for key in json_text_fields("predict-form"):  # JSON text inside a field: as deep as a body
        if isinstance(form.get(key), str) and _too_deep(form[key]):
            message = f"'{key}' nests arrays and objects more than {MAX_JSON_DEPTH} levels deep"
            raise ApiError("invalid_json", message, pointer="/" + key)
    if not form and not files and data:
        raise ApiError("invalid_multipart", "no part of the multipart body could be read")
    parts = MultiDict(form.items(multi=True))
    parts.update((key, part.filename or "") for key, part in files.items(multi=True))
    media = files.get("media") if len(files.getlist("media")) == 1 else None
    return parse_pairs(parts, "predict-form"), media


def forget_image_text(incoming: Incoming, body: dict, summary: dict[str, Any]) -> dict:
    """``body`` with null for its base64 ``image`` (stored records keep the decoded bytes); the
    journal keeps the image's size and SHA-256, as it shows it. The text, about the size of the
    body, is freed before the record is stored."""
    incoming.parsed = {**body, "image": summary}
    return {**body, "image": None}


def parse_pairs(pairs: MultiDict, message: str) -> dict[str, Any]:
    """Name=value pairs in the shape of ``message``'s schema: each name once, a list where the
    schema says array (or where a name was sent twice, which the schema then reports), a
    number where the schema says number and the text is one."""
    lists, numbers = _field_types(message)
    parsed: dict[str, Any] = {}
    for key, values in pairs.lists():
        value = values if key in lists or len(values) > 1 else values[0]
        if key in numbers and isinstance(value, str):
            value = _number(value)
        parsed[key] = value
    return parsed


@functools.cache
def _field_types(message: str) -> tuple[frozenset[str], frozenset[str]]:
    properties = inlined_schema(message).get("properties", {})
    lists = {k for k, v in properties.items() if v.get("type") == "array"}
    numbers = {k for k, v in properties.items() if v.get("type") in ("number", "integer")}
    return frozenset(lists), frozenset(numbers)


# A number as JSON spells it (ASCII digits only): Python's int() and float() also take "1_000",
# full-width digits, spaces around, "inf" and "nan", which no client means as a number.
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?", re.ASCII)


def _number(text: str) -> Any:
    """The number a query value spells, or the text itself (the schema then reports it)."""
    if NUMBER.fullmatch(text) is None:
        return text
    if text.lstrip("-").isdigit():
        return int(text)  # any size: a JSON integer has no bound
    number = float(text)
    return number if math.isfinite(number) else text
