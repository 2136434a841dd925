"""The rules JSON Schema cannot express, each with a stable code from ``error-codes.json``.

A code's severity is the catalogue's: errors (list lengths, strict base64, the image against
``content_type``, the prediction's type against the deployment's, JSON-in-text form fields) and
warnings (class indexes beyond the deployment's labels, scores, geometry, declared image size,
timestamps in the future). Which checks run on a message is named by its schema's ``x-checks``
annotation; the geometry keys come from each type schema's ``x-geometry`` (see ``geometry.py``;
boxes in ``boxes.py``, base64 in ``strict_base64.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from .boxes import check_boxes
from .geometry import geometries, geometry_keys, type_schema_name, type_schemas
from .images import image_size, sniff_content_type
from .problems import Problem, is_json_number, json_type_of, pointer
from .registry import inlined_schema
from .strict_base64 import first_fault

# How far ahead of the server's clock a timestamp may be before it is warned about: a choice of
# this project (clocks drift), not a fact of the wire, so it is a constant and not a schema.
FUTURE_TOLERANCE_SECONDS = 60


def monitorable_types() -> tuple[str, ...]:
    """The deployment types that have a raw-predictions schema, i.e. can be monitored."""
    return tuple(type_schemas())


def matching_types(raw: dict[str, Any]) -> list[str]:
    """The monitorable types whose schema's keys, and geometry item types, fit ``raw``."""
    return [type_ for type_ in type_schemas() if _fits(raw, type_)]


def _fits(raw: dict[str, Any], deployment_type: str) -> bool:
    schema = inlined_schema(type_schemas()[deployment_type])
    if not set(schema["required"]) <= raw.keys() <= set(schema["properties"]):
        return False
    return _items_fit(raw, schema)


def _items_fit(raw: dict[str, Any], schema: dict) -> bool:
    """Each geometry list's items have the JSON type the schema gives them: MASK's strings and
    SEGMENTATION's polygons share the key ``detection_masks``."""
    for key in geometry_keys():
        items = raw.get(key)
        wanted = schema["properties"].get(key, {}).get("items", {}).get("type")
        if isinstance(items, list) and wanted and not _all_of_type(items, wanted):
            return False
    return True


_CONTAINERS = {"array": list, "object": dict, "string": str}  # JSON type -> its Python type


def _all_of_type(items: list, wanted: str) -> bool:
    kind = _CONTAINERS.get(wanted)
    if kind is not None:
        return all(isinstance(item, kind) for item in items)
    return all(json_type_of(item) == wanted for item in items)


def guess_type(raw: dict[str, Any]) -> str:
    """The most likely type of a prediction whose keys fit no type exactly."""
    for geometry in geometries():
        if geometry.key in raw:
            return geometry.deployment_type
    return "CLASSIFICATION"


def check_prediction_type(raw: dict[str, Any], path: Sequence, deployment_type: str) -> list:
    """prediction_type_mismatch when ``raw``'s keys are another type's than the deployment's."""
    if _fits(raw, deployment_type):  # the usual case: no need to try the other types
        return []
    candidates = matching_types(raw)
    if not candidates or deployment_type in candidates:
        return []
    message = (
        f"the keys fit type {' or '.join(candidates)}, but the deployment's type is "
        f"{deployment_type}: send the keys of {type_schema_name(deployment_type)}.json"
    )
    return [Problem("prediction_type_mismatch", pointer(path), message)]


def check_list_lengths(raw: dict[str, Any], path: Sequence) -> Iterator[Problem]:
    """All lists of one prediction have one entry per instance (detection_texts when non-empty)."""
    classes = raw.get("detection_classes")
    if not isinstance(classes, list):
        return
    for key in ("detection_scores", *geometry_keys(), "detection_texts"):
        value = raw.get(key)
        if not isinstance(value, list) or len(value) == len(classes):
            continue
        if key == "detection_texts" and not value:  # an empty list of texts means "no texts"
            continue
        message = f"has {len(value)} entries but detection_classes has {len(classes)}"
        yield Problem("list_length_mismatch", pointer([*path, key]), message)


def check_class_range(raw: dict[str, Any], path: Sequence, label_count: int) -> Iterator[Problem]:
    """Class indexes at or beyond the deployment's label count are warned about (a negative
    one is the schema's: ``minimum: 0``). An integer-valued float (``7.0``) is an integer to
    JSON Schema, and to the mock, which stores it as ``7``: it is judged the same way."""
    classes = raw.get("detection_classes")
    for i, index in enumerate(classes if isinstance(classes, list) else []):
        if _is_integer(index) and index >= label_count:
            message = (
                f"class {index} is not one of the deployment's {label_count} labels "
                f"(indexes 0 to {label_count - 1})"
            )
            yield Problem("class_out_of_range", pointer([*path, "detection_classes", i]), message)


def check_scores(raw: dict[str, Any], path: Sequence) -> Iterator[Problem]:
    """Scores outside [0, 1] are warned about."""
    scores = raw.get("detection_scores")
    for i, score in enumerate(scores if isinstance(scores, list) else []):
        if is_json_number(score) and not 0 <= score <= 1:
            where = pointer([*path, "detection_scores", i])
            yield Problem("score_out_of_range", where, f"{score} is outside [0, 1]")


def check_geometry(raw: dict[str, Any], path: Sequence, size: tuple | None) -> Iterator[Problem]:
    """Inverted boxes; boxes, points, vertices and keypoints outside the image; boxes that fit
    it only when read x-first (see ``boxes.py``)."""
    for geometry in geometries():
        if geometry.shape == "box":
            boxes, where = _list(raw.get(geometry.key)), [*path, geometry.key]
            yield from check_boxes(boxes, where, size, geometry.coordinates)
        elif size and geometry.coordinates is not None:
            items = _list(raw.get(geometry.key))
            for where, xy in _coordinates(items, [*path, geometry.key], geometry.nesting):
                if not _inside(xy, size):
                    message = f"[{xy[0]}, {xy[1]}] is outside the {size[0]} x {size[1]} image"
                    yield Problem("geometry_outside_image", pointer(where), message)


IMAGE_KEYS = ("image", "cloud_image")


def check_one_image(payload: dict[str, Any]) -> list[Problem]:
    """Exactly one of ``image`` and ``cloud_image``: the schema has both optional, as every
    generated type can hold them, and leaves the choice to this check."""
    sent = [key for key in IMAGE_KEYS if key in payload]
    if not sent:
        message = (
            "send the image: either 'image' (the file as base64) or 'cloud_image' "
            "(a bucket reference)"
        )
        return [Problem("image_missing", "", message)]
    if len(sent) == 2:
        return [
            Problem("image_conflict", "", "send exactly one of 'image' and 'cloud_image', not both")
        ]
    return []


def check_image(payload: dict[str, Any], data: bytes | None) -> list[Problem]:
    """``image`` (decoded: ``data``) is a PNG or JPEG that agrees with content_type, width,
    height; ``data`` is None when ``image`` is not strict base64."""
    if not isinstance(payload.get("image"), str):
        return []
    if data is None:
        fault = first_fault(payload["image"])
        message = fault.message() if fault else "is not strict standard base64"
        return [Problem("invalid_base64", "/image", message)]
    kind, size = sniff_content_type(data), image_size(data)
    if kind is None or size is None:
        message = f"the {len(data)} decoded bytes are not a readable PNG or JPEG file"
        return [Problem("image_not_png_or_jpeg", "/image", message)]
    problems = []
    declared = payload.get("content_type")
    known = isinstance(declared, str) and declared.lower() in ("image/png", "image/jpeg")
    if known and declared.lower() != kind:
        message = f"says {declared} but the image bytes are {kind}"
        problems.append(Problem("content_type_mismatch", "/content_type", message))
    for key, actual in (("width", size[0]), ("height", size[1])):
        declared_size = payload.get(key)
        if isinstance(declared_size, int) and declared_size >= 1 and declared_size != actual:
            message = f"is {declared_size} but the image's {key} is {actual}"
            problems.append(Problem("image_size_mismatch", "/" + key, message))
    return problems


def check_timestamp(payload: dict[str, Any], now: float) -> list[Problem]:
    """A timestamp more than FUTURE_TOLERANCE_SECONDS ahead of ``now`` is warned about."""
    timestamp = payload.get("timestamp")
    if is_json_number(timestamp) and timestamp > now + FUTURE_TOLERANCE_SECONDS:
        message = f"{timestamp} is {timestamp - now:.0f} s in the future (server clock {now:.0f})"
        return [Problem("timestamp_in_future", "/timestamp", message)]
    return []


def check_json_text(message: str, form: dict[str, Any]) -> Iterator[Problem]:
    """Fields whose schema says ``contentMediaType: application/json`` hold an object's JSON."""
    for key in json_text_fields(message):
        text = form.get(key)
        if not isinstance(text, str):
            continue
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            value = None
        if not isinstance(value, dict):
            message_ = 'must be the JSON text of an object, such as {"site": "lyon"}'
            yield Problem("metadata_not_json_object", "/" + key, message_)


def json_text_fields(message: str) -> tuple[str, ...]:
    """The fields of ``message`` that carry JSON as text (multipart metadata)."""
    properties = inlined_schema(message).get("properties", {})
    wanted = "application/json"
    return tuple(k for k, v in properties.items() if v.get("contentMediaType") == wanted)


def _is_integer(value: Any) -> bool:
    """A JSON integer as JSON Schema has it: ``7`` or ``7.0`` (a bool is not one)."""
    return type(value) is int or (type(value) is float and value.is_integer())


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _inside(xy: Sequence, size: tuple) -> bool:
    return 0 <= xy[0] <= size[0] and 0 <= xy[1] <= size[1]


def _coordinates(items: list, path: list, depth: int) -> Iterator[tuple[list, Sequence]]:
    """(path, [x, y, ...]) for each well-formed point ``depth`` lists below ``items``."""
    for i, item in enumerate(items):
        if not isinstance(item, list):
            continue
        if depth > 1:
            yield from _coordinates(item, [*path, i], depth - 1)
        elif len(item) >= 2 and all(map(is_json_number, item)):
            yield [*path, i], item
