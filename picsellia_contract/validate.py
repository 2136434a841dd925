"""``validate``: every problem of a message, from schema and domain checks, in a stable order."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from . import checks
from .problems import ERROR, WARNING, Problem, from_schema_error, pointer, sort_problems
from .registry import load_schema, schema_errors, validator_for

DEPLOYMENT_TYPES = tuple(load_schema("common")["$defs"]["deployment_type"]["enum"])

# Where each message holds a raw_predictions object (a path from its root).
RAW_PREDICTION_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "monitoring-prediction-request": (("raw_predictions",), ("shadow_raw_predictions",)),
    "shadow-request": (("shadow_raw_predictions",),),
    "predict-response": (("raw_predictions",),),
    "raw-predictions": ((),),
}
# Messages that only a monitorable deployment can receive.
MONITORED_MESSAGES = ("monitoring-prediction-request", "shadow-request")


def validate(
    message: str,
    instance: Any,
    *,
    deployment_type: str | None = None,
    strict: bool = False,
    now: float | None = None,
) -> list[Problem]:
    """Check ``instance`` against the schema ``message`` (a file stem, file name or ``$id``).

    ``deployment_type`` (a wire value such as ``OBJECT_DETECTION``) makes the raw predictions'
    keys checked against that type; without it the type is inferred from the keys. ``strict``
    turns warnings into errors. ``now`` (epoch seconds) is the clock for future timestamps.
    Returns every problem, sorted by pointer then code; an empty list means valid.
    """
    name = validator_for(message).schema["$id"].rsplit("/", 1)[-1].removesuffix(".json")
    if deployment_type is not None and deployment_type not in DEPLOYMENT_TYPES:
        raise ValueError(f"unknown deployment type {deployment_type!r}; one of {DEPLOYMENT_TYPES}")
    raw_paths = RAW_PREDICTION_PATHS.get(name, ())
    problems: list[Problem] = []
    for error in schema_errors(name, _without_raw_predictions(instance, raw_paths)):
        if not any(_starts_with(error.absolute_path, path) for path in raw_paths):
            problems.extend(from_schema_error(error))
    if name in MONITORED_MESSAGES and deployment_type not in (None, *checks.MONITORABLE_TYPES):
        message_ = f"a {deployment_type} deployment cannot be monitored"
        problems.append(Problem("type_not_monitorable", "", message_))
    size = _declared_size(instance) if isinstance(instance, dict) else None
    for path in raw_paths:
        raw = _get(instance, path)
        if raw is not _ABSENT:
            problems.extend(_raw_problems(raw, path, deployment_type, size))
    if isinstance(instance, dict):
        problems.extend(_message_checks(name, instance, time.time() if now is None else now))
    if strict:
        problems = [Problem(p.code, p.pointer, p.message, ERROR) for p in problems]
    return sort_problems(problems)


def is_valid(problems: Sequence[Problem]) -> bool:
    """True when no problem is an error (warnings alone do not reject)."""
    return all(p.severity == WARNING for p in problems)


def _message_checks(name: str, instance: dict, now: float) -> list[Problem]:
    if name == "monitoring-prediction-request":
        return checks.check_image(instance) + checks.check_timestamp(instance, now)
    if name == "predict-form":
        return list(checks.check_form_metadata(instance))
    return []


def _raw_problems(raw: Any, path: tuple, deployment_type: str | None, size) -> list[Problem]:
    if not isinstance(raw, dict):
        return [Problem("wrong_type", pointer(path), "must be an object")]
    monitorable = deployment_type in checks.MONITORABLE_TYPES
    if monitorable:
        mismatch = checks.check_prediction_type(raw, path, deployment_type)
        if mismatch:
            return mismatch
        type_ = deployment_type
    else:
        candidates = checks.matching_types(raw)
        type_ = candidates[0] if candidates else checks.guess_type(raw)
    errors = schema_errors(checks.type_schema_name(type_), raw)
    problems = [p for e in errors for p in from_schema_error(e, path)]
    problems.extend(checks.check_list_lengths(raw, path))
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


def _declared_size(instance: dict) -> tuple[int, int] | None:
    width, height = instance.get("width"), instance.get("height")
    if all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (width, height)):
        return (width, height)
    return None  # no usable size: the schema reports it, and geometry is not checked


_ABSENT = object()


def _get(instance: Any, path: tuple) -> Any:
    for key in path:
        if not isinstance(instance, dict) or key not in instance:
            return _ABSENT
        instance = instance[key]
    return instance


def _starts_with(path: Sequence, prefix: tuple) -> bool:
    return tuple(path)[: len(prefix)] == prefix
