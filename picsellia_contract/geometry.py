"""The geometry of each monitorable type, read from the ``x-geometry`` annotation of its schema.

Each ``schemas/raw-predictions-<type>.json`` names its deployment type (``x-deployment-type``)
and, except CLASSIFICATION, its geometry: the key holding one entry per instance, the shape
drawn, the names of a coordinate tuple's values, how many list levels lie between an instance
list entry and a coordinate tuple (``nesting``), and the order in which keys suggest a type when
no type fits a prediction exactly (``inference_priority``, 1 first).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .registry import load_schema, message_names

RAW_PREDICTIONS_PREFIX = "raw-predictions-"


@dataclass(frozen=True)
class Geometry:
    """Where a type's instances keep their geometry, and how it is laid out."""

    deployment_type: str
    key: str
    shape: str
    coordinates: tuple[str, ...] | None  # None: opaque (a MASK's encoded string)
    nesting: int
    inference_priority: int


@functools.cache
def type_schemas() -> dict[str, str]:
    """Monitorable deployment type -> the stem of its raw-predictions schema, in the order of
    common.json's ``monitorable_type`` enum."""
    found = {}
    for name in message_names():
        if name.startswith(RAW_PREDICTIONS_PREFIX):
            found[load_schema(name)["x-deployment-type"]] = name
    order = load_schema("common")["$defs"]["monitorable_type"]["enum"]
    return {type_: found[type_] for type_ in order}


def type_schema_name(deployment_type: str) -> str:
    """``OBJECT_DETECTION`` -> ``raw-predictions-object-detection``."""
    return type_schemas()[deployment_type]


@functools.cache
def geometries() -> tuple[Geometry, ...]:
    """Every type's geometry, by inference priority (the strongest hint first)."""
    found = []
    for type_, name in type_schemas().items():
        annotation = load_schema(name).get("x-geometry")
        if annotation is None:
            continue
        coordinates = annotation["coordinates"]
        found.append(
            Geometry(
                deployment_type=type_,
                key=annotation["key"],
                shape=annotation["shape"],
                coordinates=tuple(coordinates) if coordinates is not None else None,
                nesting=annotation["nesting"],
                inference_priority=annotation["inference_priority"],
            )
        )
    return tuple(sorted(found, key=lambda g: g.inference_priority))


def geometry_of(deployment_type: str) -> Geometry | None:
    """The geometry of one type; None for a type without geometry (CLASSIFICATION)."""
    for geometry in geometries():
        if geometry.deployment_type == deployment_type:
            return geometry
    return None


def geometry_keys() -> tuple[str, ...]:
    """Every key that holds geometry, once each, the strongest type hint first."""
    return tuple(dict.fromkeys(g.key for g in geometries()))


def as_json() -> list[dict]:
    """The table as plain JSON, for pages and clients in other languages."""
    return [
        {
            "deployment_type": g.deployment_type,
            "key": g.key,
            "shape": g.shape,
            "coordinates": list(g.coordinates) if g.coordinates is not None else None,
            "nesting": g.nesting,
            "inference_priority": g.inference_priority,
        }
        for g in geometries()
    ]
