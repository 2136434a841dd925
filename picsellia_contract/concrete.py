"""Concrete messages: one schema per deployment type for each message that carries raw predictions.

A client always knows its deployment's type, so it needs no union. For every message whose
properties refer to ``raw-predictions.json`` (the monitoring request, the shadow request, the
predict answer) and every monitorable type, this module derives ``<message>-<type>.json`` (e.g.
``monitoring-prediction-request-object-detection.json``, title "Monitoring prediction request,
object detection", component ``MonitoringPredictionRequestObjectDetection``): the message as
written, with every reference to the union replaced by one to that type's schema. The message's
file is the one definition; ``python -m picsellia_contract.openapi`` writes the derived files
(and the bundle), ``--check`` fails when one is stale.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from .geometry import RAW_PREDICTIONS_PREFIX, type_schemas
from .registry import BASE_URI, load_schema, message_names, schema_dir

UNION = "raw-predictions"
GENERATED_FROM = "x-generated-from"
MAX_EXAMPLES = 2
# Image sizes tried, besides the example's own, so that every type's example geometry fits.
_SIZES = ({}, {"width": 640, "height": 480})


def carriers() -> list[str]:
    """The messages (file stems) whose properties refer to the raw-predictions union."""
    return [
        name
        for name in message_names()
        if GENERATED_FROM not in load_schema(name) and union_properties(load_schema(name))
    ]


def union_properties(schema: dict[str, Any]) -> list[str]:
    """The properties of ``schema`` that are the raw-predictions union."""
    properties = schema.get("properties", {})
    return [k for k, v in properties.items() if _stem(v.get("$ref", "")) == UNION]


def _stem(ref: str) -> str:
    return ref.removeprefix(BASE_URI).partition("#")[0].removesuffix(".json")


def concrete_name(message: str, deployment_type: str) -> str:
    """``("shadow-request", "LINE")`` -> ``shadow-request-line``."""
    suffix = type_schemas()[deployment_type].removeprefix(RAW_PREDICTIONS_PREFIX)
    return f"{message}-{suffix}"


def concrete_names() -> dict[tuple[str, str], str]:
    """(message, deployment type) -> the concrete message's file stem, for every pair."""
    return {(m, t): concrete_name(m, t) for m in carriers() for t in type_schemas()}


def concrete_schema(message: str, deployment_type: str) -> dict[str, Any]:
    """The schema of ``message`` for a ``deployment_type`` deployment."""
    union = load_schema(message)
    type_file = type_schemas()[deployment_type]
    kind = load_schema(type_file)["title"].split(", ", 1)[-1]
    keys = union_properties(union)
    described = " and ".join(f"'{k}'" for k in keys)
    schema: dict[str, Any] = {
        "$schema": union["$schema"],
        "$id": f"{BASE_URI}{concrete_name(message, deployment_type)}.json",
        "title": f"{union['title']}, {kind}",
        "description": (
            f"{union['description']} This is the message of a {deployment_type} deployment: "
            f"{described} {'is' if len(keys) == 1 else 'are'} {type_file}.json, not the union. "
            f"Generated from {message}.json (python -m picsellia_contract.openapi): "
            "edit that file, not this one."
        ),
        GENERATED_FROM: f"{message}.json",
        "x-deployment-type": deployment_type,
    }
    body = {k: copy.deepcopy(v) for k, v in union.items() if k not in ("$schema", "$id")}
    for key in ("title", "description", "examples"):
        body.pop(key)
    for key in keys:
        body["properties"][key] = {**body["properties"][key], "$ref": f"{type_file}.json"}
    schema["examples"] = _examples(message, deployment_type)
    return {**schema, **body}


def _examples(message: str, deployment_type: str) -> list[Any]:
    """The message's examples as this type would send them: each raw-predictions property
    replaced by one of the type's examples, kept when valid with no problem at all."""
    from .validate import validate  # validate imports the registry this module feeds

    union = load_schema(message)
    keys = union_properties(union)
    raw_examples = load_schema(type_schemas()[deployment_type])["examples"]
    found: list[Any] = []
    for example in union["examples"]:
        for raw in raw_examples:
            for size in _SIZES:
                candidate = {**example, **{k: raw for k in keys if k in example}}
                if isinstance(candidate.get("type"), str) and "type" in union["properties"]:
                    candidate["type"] = deployment_type
                if all(isinstance(candidate.get(k), int) for k in size):
                    candidate.update(size)
                problems = validate(message, candidate, deployment_type=deployment_type)
                if not problems and candidate not in found:
                    found.append(candidate)
                    break
    if not found:
        raise ValueError(f"no example of {message} is valid for a {deployment_type} deployment")
    return found[:MAX_EXAMPLES]


def concrete_files() -> dict[str, str]:
    """File name -> text of every concrete message, as ``schemas/`` holds them (indent 2)."""
    return {
        f"{name}.json": json.dumps(concrete_schema(m, t), indent=2, ensure_ascii=False) + "\n"
        for (m, t), name in concrete_names().items()
    }


def stale_files() -> list[str]:
    """The concrete files that are missing, differ from what they should be, or are orphans."""
    wanted = concrete_files()
    stale = [n for n, text in wanted.items() if _read(n) != text]
    for path in sorted(schema_dir().glob("*.json")):
        if path.name not in wanted and GENERATED_FROM in json.loads(path.read_text("utf-8")):
            stale.append(path.name)
    return stale


def write_files() -> list[str]:
    """Write every concrete file, remove orphans; the names of the files changed."""
    wanted, changed = concrete_files(), stale_files()
    for name in changed:
        path = schema_dir() / name
        if name in wanted:
            path.write_text(wanted[name], encoding="utf-8")
        else:
            path.unlink()
    return changed


def _read(name: str) -> str | None:
    path = schema_dir() / name
    return path.read_text(encoding="utf-8") if path.exists() else None


def definitions_document() -> dict[str, Any]:
    """The concrete messages and every component they refer to, as one JSON Schema whose
    ``definitions`` are the bundle's components (``#/definitions/<Name>``): the input of JSON
    Schema generators that read one file of definitions (typify)."""
    from .openapi import COMPONENTS, bundled_openapi  # openapi imports this module

    components = bundled_openapi()["components"]["schemas"]
    wanted = [n for n, schema in components.items() if GENERATED_FROM in schema]
    kept: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name not in kept:
            kept.add(name)
            text = json.dumps(components[name])
            wanted += [t.split('"')[0] for t in text.split(f'"{COMPONENTS}')[1:]]
    text = json.dumps({name: components[name] for name in sorted(kept)})
    definitions = json.loads(text.replace(f'"{COMPONENTS}', '"#/definitions/'))
    return {"$schema": "http://json-schema.org/draft-07/schema#", "definitions": definitions}


def main(argv: list[str] | None = None) -> int:
    """``python -m picsellia_contract.concrete --definitions FILE``: write definitions_document."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "--definitions":
        print("usage: python -m picsellia_contract.concrete --definitions FILE", file=sys.stderr)
        return 2
    text = json.dumps(definitions_document(), indent=2, ensure_ascii=False) + "\n"
    Path(args[1]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
