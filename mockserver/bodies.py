"""Reading request bodies: JSON whatever the Content-Type says, and multipart predict forms.

The multipart form is turned into the shape ``schemas/predict-form.json`` describes, so that it
is validated like any JSON message.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage, MultiDict

from .errors import ApiError


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_json() -> Any:
    """The body parsed as JSON (the SDK sends no Content-Type), or a 400 invalid_json."""
    data = request.get_data(cache=True)
    if not data:
        raise ApiError("invalid_json", "the body is empty; send a JSON object")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ApiError("invalid_json", "the body is not UTF-8 text") from None
    except ValueError as exc:
        raise ApiError("invalid_json", f"the body is not JSON: {exc}") from None


def read_predict_form() -> tuple[dict[str, Any], FileStorage | None]:
    """The multipart form as parsed (predict-form.json) and the media file part, if any."""
    mimetype = request.mimetype
    if mimetype != "multipart/form-data" or "boundary" not in request.mimetype_params:
        got = request.content_type or "no Content-Type"
        message = f"predict takes a multipart/form-data body with a boundary; got {got}"
        raise ApiError("invalid_multipart", message)
    form, files = request.form, request.files
    if not form and not files and request.content_length:
        raise ApiError("invalid_multipart", "no part of the multipart body could be read")
    parts = MultiDict(form.items(multi=True))
    parts.update((key, part.filename or "") for key, part in files.items(multi=True))
    media = files.get("media") if len(files.getlist("media")) == 1 else None
    return collapse(parts, repeated={"tags"}), media


def collapse(parts: MultiDict, repeated: Collection[str]) -> dict[str, Any]:
    """Each name once: a string, or the list of its values when it is in ``repeated`` or was
    sent more than once (which the schema then reports as the wrong type)."""
    return {
        key: values if key in repeated or len(values) > 1 else values[0]
        for key, values in parts.lists()
    }
