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

from picsellia_contract.problems import pointer
from picsellia_contract.registry import registry, schema_dir


def conformance_dir() -> Path:
    return schema_dir() / "conformance"


def files_dir() -> Path:
    """The images the scenarios' calls name."""
    return conformance_dir() / "files"


@functools.cache
def _validator() -> Draft202012Validator:
    """The scenario schema, resolving its references to the contract's own schemas (a fault
    is an admin-fault-request.json, a stored prediction a monitoring-prediction-request.json)."""
    schema = json.loads((conformance_dir() / "scenario.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema, registry=registry())


def scenario_paths() -> list[Path]:
    return sorted((conformance_dir() / "scenarios").glob("*.json"))


def load_scenario(path: Path) -> dict[str, Any]:
    """One scenario file, checked against its schema; a ValueError naming the scenario, its
    file and the first problem's JSON Pointer when it is not a valid one."""
    try:
        scenario = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"scenario {path.stem!r} ({path}): not a JSON file: {exc}") from None
    errors = sorted(_validator().iter_errors(scenario), key=lambda e: list(e.absolute_path))
    if errors:
        where = pointer(errors[0].absolute_path) or "/"
        raise ValueError(f"scenario {path.stem!r} ({path}): {where}: {errors[0].message}")
    if scenario["name"] != path.stem:
        message = f"its name is {scenario['name']!r}, not {path.stem!r}"
        raise ValueError(f"scenario {path.stem!r} ({path}): {message}")
    return scenario


def matches(name: str, only: str | Sequence[str] | None) -> bool:
    """Whether a scenario name matches one of the globs ``only`` (None or empty: every one)."""
    globs = [only] if isinstance(only, str) else only
    return not globs or any(fnmatch.fnmatch(name, glob) for glob in globs)


def load_scenarios(only: str | Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every scenario (those whose name matches one of the globs ``only``), sorted by name; a
    ValueError naming the scenario and its file when one breaks its schema."""
    return [load_scenario(path) for path in scenario_paths() if matches(path.stem, only)]


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
