"""The three validators behind ``validate`` give one verdict on every message we can think of.

``schema_errors`` answers "no error" from jsonschema-rs alone; it must never do so where
jsonschema finds an error, on the compiled schema (references inlined) or on the file as
written. The instances: every vector and every schema example against every schema, and the
message's own vectors and examples with each top-level field replaced by a value of another type.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from picsellia_contract import load_schema, message_names, registry, validator_for
from picsellia_contract.registry import schema_errors

VECTORS = Path(__file__).resolve().parent.parent / "schemas" / "vectors"
SCHEMA_NAMES = [n for n in message_names() if "$schema" in load_schema(n)]
REPLACEMENTS = (None, 1.5, "x", [1], {})


def corpus() -> list[tuple[str, object]]:
    """(message, instance) of every vector and every schema example."""
    found = []
    for path in sorted(VECTORS.glob("*.json")):
        if path.name != "vectors.schema.json":
            for group in json.loads(path.read_text()):
                found += [(group["message"], test["data"]) for test in group["tests"]]
    for name in SCHEMA_NAMES:
        found += [(name, example) for example in load_schema(name).get("examples", [])]
    return found


def mutations(instance) -> list:
    if not isinstance(instance, dict):
        return []
    return [{**instance, key: value} for key in instance for value in REPLACEMENTS]


CORPUS = corpus()


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_fast_compiled_and_written_schemas_agree(name):
    as_written = Draft202012Validator(
        load_schema(name), registry=registry(), format_checker=FormatChecker()
    )
    compiled = validator_for(name)
    for message, original in CORPUS:
        variants = mutations(original) if message == name else []  # its own messages, mutated
        for instance in [original, *variants]:
            fast_says_valid = not list(schema_errors(name, instance))
            written = as_written.is_valid(instance)
            assert compiled.is_valid(instance) == written, (name, instance)
            assert fast_says_valid == written, (name, instance)
