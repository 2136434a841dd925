"""``validate``: every problem of a message, from schema and domain checks, in a stable order.

What to check is read from the schemas: where a message holds raw predictions (its properties
that refer to ``raw-predictions.json``) and which domain checks it takes (``x-checks``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import checks
from .geometry import type_schema_name
from .images import image_size
from .problems import ERROR, WARNING, Problem, from_schema_error, pointer, sort_problems
from .registry import load_schema, schema_errors, validator_for
from .strict_base64 import strict_b64decode

DEPLOYMENT_TYPES = tuple(load_schema("common")["$defs"]["deployment_type"]["enum"])
RAW_PREDICTIONS = "raw-predictions"


@dataclass(frozen=True)
class Checked:
    """What ``check_message`` found: the problems, and the decoded ``image`` of a valid-base64
    monitoring payload, so that a caller storing it need not decode it again."""

    problems: list[Problem]
    image: bytes | None = None


def validate(
    message: str,
    instance: Any,
    *,
    deployment_type: str | None = None,
    strict: bool = False,
    now: float | None = None,
    label_count: int | None = None,
) -> list[Problem]:
    """Check ``instance`` against the schema ``message`` (a file stem, file name or ``$id``).

    ``deployment_type`` (a wire value such as ``OBJECT_DETECTION``) makes the raw predictions'
    keys checked against that type; without it the type is inferred from the keys. ``strict``
    turns warnings into errors. ``now`` (epoch seconds) is the clock for future timestamps.
    ``label_count`` (1 or more), the number of the deployment's labels, makes class indexes
    at or beyond it warned about (``class_out_of_range``); without it they are not checked.
    Returns every problem, sorted by pointer then code; an empty list means valid.
    """
    return check_message(
        message,
        instance,
        deployment_type=deployment_type,
        strict=strict,
        now=now,
        label_count=label_count,
    ).problems


def check_message(
    message: str,
    instance: Any,
    *,
    deployment_type: str | None = None,
    strict: bool = False,
    now: float | None = None,
    label_count: int | None = None,
) -> Checked:
    """``validate``, also handing back the decoded image (see ``Checked``)."""
    name = message_name(message)
    if deployment_type is not None and deployment_type not in DEPLOYMENT_TYPES:
        raise ValueError(f"unknown deployment type {deployment_type!r}; one of {DEPLOYMENT_TYPES}")
    if label_count is not None and not (type(label_count) is int and label_count >= 1):
        raise ValueError(f"label_count is a number of labels, 1 or more; got {label_count!r}")
    raw_paths = raw_prediction_paths(name)
    if deployment_type is None:  # a concrete message names its type
        deployment_type = load_schema(name).get("x-deployment-type")
    problems: list[Problem] = []
    for error in schema_errors(name, _without_raw_predictions(instance, raw_paths)):
        if not any(_starts_with(error.absolute_path, path) for path in raw_paths):
            problems.extend(from_schema_error(error))
    named = set(load_schema(name).get("x-checks", ()))
    monitorable = checks.monitorable_types()
    if "monitorable_deployment" in named and deployment_type not in (None, *monitorable):
        message_ = f"a {deployment_type} deployment cannot be monitored"
        problems.append(Problem("type_not_monitorable", "", message_))
    image = None
    if isinstance(instance, dict):
        if "one_image" in named:
            problems.extend(checks.check_one_image(instance))
        if "image" in named and isinstance(instance.get("image"), str):
            image = strict_b64decode(instance["image"])
            problems.extend(checks.check_image(instance, image))
        if "timestamp" in named:
            problems.extend(checks.check_timestamp(instance, time.time() if now is None else now))
        if "json_text" in named:
            problems.extend(checks.check_json_text(name, instance))
    size = _image_size(instance, image)
    for path in raw_paths:
        raw = _get(instance, path)
        if raw is not _ABSENT:
            problems.extend(_raw_problems(raw, path, deployment_type, size, label_count))
    if strict:
        problems = [Problem(p.code, p.pointer, p.message, ERROR) for p in problems]
    return Checked(sort_problems(problems), image)


def is_valid(problems: Sequence[Problem]) -> bool:
    """True when no problem is an error (warnings alone do not reject)."""
    return all(p.severity == WARNING for p in problems)


def message_name(message: str) -> str:
    """The file stem of a message named by stem, file name or ``$id``."""
    return validator_for(message).schema["$id"].rsplit("/", 1)[-1].removesuffix(".json")


@functools.cache
def raw_prediction_paths(name: str) -> tuple[tuple[str, ...], ...]:
    """Where a message holds a raw_predictions object: its properties referring to
    ``raw-predictions.json`` or one type's ``raw-predictions-<type>.json`` (a concrete
    message), or the root, for the union itself."""
    if name == RAW_PREDICTIONS:
        return ((),)
    properties = load_schema(name).get("properties", {})
    return tuple(
        (key,)
        for key, subschema in properties.items()
        if _is_raw_predictions(subschema.get("$ref", "").removesuffix(".json"))
    )


def _is_raw_predictions(stem: str) -> bool:
    return stem == RAW_PREDICTIONS or stem.startswith(RAW_PREDICTIONS + "-")


def _raw_problems(
    raw: Any, path: tuple, deployment_type: str | None, size, label_count: int | None
) -> list[Problem]:
    if not isinstance(raw, dict):
        return [Problem("wrong_type", pointer(path), "must be an object")]
    problems = []
    if deployment_type in checks.monitorable_types():
        problems = checks.check_prediction_type(raw, path, deployment_type)
        type_ = deployment_type
    else:
        candidates = checks.matching_types(raw)
        type_ = candidates[0] if candidates else checks.guess_type(raw)
    if not problems:  # keys of another type: their schema errors would only repeat the mismatch
        errors = schema_errors(type_schema_name(type_), raw)
        problems = [p for e in errors for p in from_schema_error(e, path)]
    problems.extend(checks.check_list_lengths(raw, path))
    if label_count is not None:
        problems.extend(checks.check_class_range(raw, path, label_count))
    problems.extend(checks.check_scores(raw, path))
    problems.extend(checks.check_geometry(raw, path, size))
    return problems


# The smallest valid raw_predictions: stands in for the real ones during the message's own
# validation, so that they are validated once, against their type's schema, not under anyOf.
_PLACEHOLDER = {"detection_classes": [], "detection_scores": []}


def _without_raw_predictions(instance: Any, raw_paths: tuple) -> Any:
    if () in raw_paths or not isinstance(instance, dict):
        return _PLACEHOLDER if () in raw_paths else instance
    replaced = dict(instance)
    for (key,) in raw_paths:
        if isinstance(replaced.get(key), dict):
            replaced[key] = _PLACEHOLDER
    return replaced


def _image_size(instance: Any, image: bytes | None) -> tuple[int, int] | None:
    """The size geometry is checked against: the declared one, else the image's own."""
    if isinstance(instance, dict):
        width, height = instance.get("width"), instance.get("height")
        if all(type(v) is int and v >= 1 for v in (width, height)):
            return (width, height)
    return image_size(image) if image is not None else None


_ABSENT = object()


def _get(instance: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(instance, dict) or key not in instance:
            return _ABSENT
        instance = instance[key]
    return instance


def _starts_with(path: Sequence, prefix: tuple) -> bool:
    return tuple(path)[: len(prefix)] == prefix
