"""Loading the scenarios of ``schemas/conformance/scenarios/`` and checking them against their
schema, and filling in their placeholders."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from picsellia_contract.registry import schema_dir


def conformance_dir() -> Path:
    return schema_dir() / "conformance"


def files_dir() -> Path:
    """The images the scenarios' calls name."""
    return conformance_dir() / "files"


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads((conformance_dir() / "scenario.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def load_scenarios(only: str | Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every scenario (those whose name matches one of the globs ``only``), sorted by name; a
    ValueError naming the file when one breaks its schema."""
    globs = [only] if isinstance(only, str) else only
    found = []
    for path in sorted((conformance_dir() / "scenarios").glob("*.json")):
        scenario = json.loads(path.read_text("utf-8"))
        errors = sorted(_validator().iter_errors(scenario), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path)
            raise ValueError(f"{path.name}: /{where}: {errors[0].message}")
        if scenario["name"] != path.stem:
            raise ValueError(f"{path.name}: its name is {scenario['name']!r}, not {path.stem!r}")
        if not globs or any(fnmatch.fnmatch(scenario["name"], glob) for glob in globs):
            found.append(scenario)
    return found


def file_sha256(name: str) -> str:
    return hashlib.sha256((files_dir() / name).read_bytes()).hexdigest()


def substitute(value: Any, names: dict[str, Any]) -> Any:
    """``value`` with every string placeholder of ``names`` replaced ($prediction_id, ...), and
    ``$sha256:<file>`` replaced by that file's SHA-256."""
    if isinstance(value, str):
        if value.startswith("$sha256:"):
            return file_sha256(value.removeprefix("$sha256:"))
        return names.get(value, value)
    if isinstance(value, list):
        return [substitute(item, names) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, names) for key, item in value.items()}
    return value
