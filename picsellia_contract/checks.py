"""The rules JSON Schema cannot express, each with a stable code and a default severity.

Errors: list lengths, strict base64, image format against ``content_type``, the prediction's
type against the deployment's, multipart metadata strings. Warnings (the SDK lets these through):
scores, geometry, declared image size, timestamps in the future.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from .images import image_size, sniff_content_type
from .problems import WARNING, Problem, pointer
from .registry import load_schema

MONITORABLE_TYPES = tuple(load_schema("common")["$defs"]["monitorable_type"]["enum"])
# The type each geometry key suggests when no type matches exactly, the strongest hint first
# (KEYPOINT and SEGMENTATION predictions may carry detection_boxes too).
GEOMETRY_PRIORITY = {
    "keypoints": "KEYPOINT",
    "detection_masks": "SEGMENTATION",
    "lines": "LINE",
    "points": "POINT",
    "detection_boxes": "OBJECT_DETECTION",
}
GEOMETRY_KEYS = tuple(GEOMETRY_PRIORITY)
FUTURE_TOLERANCE_SECONDS = 60
BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def type_schema_name(deployment_type: str) -> str:
    """``OBJECT_DETECTION`` -> ``raw-predictions-object-detection``."""
    return "raw-predictions-" + deployment_type.lower().replace("_", "-")


def matching_types(raw: dict[str, Any]) -> list[str]:
    """The monitorable types whose schema's required and allowed keys fit ``raw``'s keys."""
    keys = set(raw)
    masks = raw.get("detection_masks")
    kinds = {type(m) for m in masks} if isinstance(masks, list) else set()
    found = []
    for type_ in MONITORABLE_TYPES:
        schema = load_schema(type_schema_name(type_))
        if not set(schema["required"]) <= keys <= set(schema["properties"]):
            continue
        if (type_ == "MASK" and list in kinds) or (type_ == "SEGMENTATION" and str in kinds):
            continue
        found.append(type_)
    return found


def guess_type(raw: dict[str, Any]) -> str:
    """The most likely type of a prediction whose keys fit no type exactly."""
    for key in GEOMETRY_KEYS:
        if key in raw:
            return GEOMETRY_PRIORITY[key]
    return "CLASSIFICATION"


def check_prediction_type(raw: dict[str, Any], path: Sequence, deployment_type: str) -> list:
    """prediction_type_mismatch when ``raw``'s keys are another type's than the deployment's."""
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
    for key in ("detection_scores", *GEOMETRY_KEYS, "detection_texts"):
        value = raw.get(key)
        if not isinstance(value, list) or len(value) == len(classes):
            continue
        if key == "detection_texts" and not value:  # an empty list of texts means "no texts"
            continue
        message = f"has {len(value)} entries but detection_classes has {len(classes)}"
        yield Problem("list_length_mismatch", pointer([*path, key]), message)


def check_scores(raw: dict[str, Any], path: Sequence) -> Iterator[Problem]:
    """Scores outside [0, 1] are warned about."""
    scores = raw.get("detection_scores")
    for i, score in enumerate(scores if isinstance(scores, list) else []):
        if _is_number(score) and not 0 <= score <= 1:
            where = pointer([*path, "detection_scores", i])
            yield Problem("score_out_of_range", where, f"{score} is outside [0, 1]", WARNING)


def check_geometry(raw: dict[str, Any], path: Sequence, size: tuple | None) -> Iterator[Problem]:
    """Inverted boxes; boxes, points, vertices and keypoints outside the declared image."""
    for i, box in enumerate(_list(raw.get("detection_boxes"))):
        if not (isinstance(box, list) and len(box) == 4 and all(map(_is_number, box))):
            continue
        y1, x1, y2, x2 = box
        if y1 > y2 or x1 > x2:
            message = f"{box} is not [top, left, bottom, right]: y1 > y2 or x1 > x2"
            yield Problem("box_inverted", pointer([*path, "detection_boxes", i]), message, WARNING)
        if size and not (_inside((x1, y1), size) and _inside((x2, y2), size)):
            message = f"{box} reaches outside the {size[0]} x {size[1]} image"
            where = pointer([*path, "detection_boxes", i])
            yield Problem("box_outside_image", where, message, WARNING)
    if not size:
        return
    for key, depth in (("points", 1), ("detection_masks", 2), ("lines", 2), ("keypoints", 2)):
        for where, xy in _coordinates(_list(raw.get(key)), [*path, key], depth):
            if not _inside(xy, size):
                message = f"[{xy[0]}, {xy[1]}] is outside the {size[0]} x {size[1]} image"
                yield Problem("geometry_outside_image", pointer(where), message, WARNING)


def check_image(payload: dict[str, Any]) -> list[Problem]:
    """``image`` is strict base64 of a PNG or JPEG that agrees with content_type, width, height."""
    encoded = payload.get("image")
    if not isinstance(encoded, str):
        return []
    data = strict_b64decode(encoded)
    if data is None:
        message = "is not strict standard base64 (alphabet A-Z a-z 0-9 + /, '=' padding, no spaces)"
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
            problems.append(Problem("image_size_mismatch", "/" + key, message, WARNING))
    return problems


def check_timestamp(payload: dict[str, Any], now: float) -> list[Problem]:
    """A timestamp more than a minute ahead of ``now`` is warned about."""
    timestamp = payload.get("timestamp")
    if _is_number(timestamp) and timestamp > now + FUTURE_TOLERANCE_SECONDS:
        message = f"{timestamp} is {timestamp - now:.0f} s in the future (server clock {now:.0f})"
        return [Problem("timestamp_in_future", "/timestamp", message, WARNING)]
    return []


def check_form_metadata(form: dict[str, Any]) -> Iterator[Problem]:
    """Multipart ``metadata`` and ``custom_metadata`` are the JSON text of an object."""
    for key in ("metadata", "custom_metadata"):
        text = form.get(key)
        if not isinstance(text, str):
            continue
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            message = 'must be the JSON text of an object, such as {"site": "lyon"}'
            yield Problem("metadata_not_json_object", "/" + key, message)


def strict_b64decode(text: str) -> bytes | None:
    """Decode standard padded base64, or None unless ``text`` is exactly its canonical encoding.

    The last answer is kept per thread for the same string object (identity, not equality), so
    that a server decoding the image it has just validated does not decode it twice.
    """
    if getattr(_last_decoded, "text", None) is text:
        return _last_decoded.data
    try:
        data = base64.b64decode(text, validate=True)  # alphabet and padding
    except (binascii.Error, ValueError):
        data = None
    if data is not None and not _canonical_tail(text):
        data = None
    _last_decoded.text, _last_decoded.data = text, data
    return data


def _canonical_tail(text: str) -> bool:
    """The bits that padding leaves unused in the last character are zero (RFC 4648, 3.5)."""
    padding = len(text) - len(text.rstrip("="))
    if padding == 0:
        return True
    last = BASE64_ALPHABET.index(text[-padding - 1])
    return last & (0x0F if padding == 2 else 0x03) == 0


_last_decoded = threading.local()


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)  # JSON numbers; bool is not one


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
        elif len(item) >= 2 and all(map(_is_number, item)):
            yield [*path, i], item
