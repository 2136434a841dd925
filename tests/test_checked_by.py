"""The catalogue's ``checked_by`` is true: each contract code is found by what it says.

``schema``: a JSON Schema validator alone finds it (a keyword failing maps to it);
``concrete_schema``: only with the deployment type's concrete message; ``domain_rule``: no schema
finds it. Checked on the code, then on every vector, as the Go and TypeScript recipes use it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from picsellia_contract import error_catalogue, load_schema, validator_for
from picsellia_contract.problems import FALLBACK_CODE, KEYWORD_CODES
from picsellia_contract.registry import message_names

ROOT = Path(__file__).resolve().parent.parent
VECTOR_DIR = ROOT / "schemas" / "vectors"


def checked_by(value: str) -> set[str]:
    return {code for code, entry in error_catalogue().items() if entry.get("checked_by") == value}


def x_error_codes(node) -> set[str]:
    """The codes the schemas name with x-error-code (a schema failing reports them)."""
    if isinstance(node, dict):
        own = {node["x-error-code"]} if "x-error-code" in node else set()
        return own.union(*(x_error_codes(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(x_error_codes(v) for v in node))
    return set()


def test_schema_codes_are_those_a_failing_keyword_maps_to():
    named = set().union(*(x_error_codes(load_schema(name)) for name in message_names()))
    assert checked_by("schema") == {*KEYWORD_CODES.values(), FALLBACK_CODE, *named}


def test_every_contract_code_says_what_finds_it_and_no_server_code_does():
    for code, entry in error_catalogue().items():
        assert ("checked_by" in entry) == (entry["source"] == "contract"), code
    assert checked_by("domain_rule") and checked_by("concrete_schema")


def concrete_of(message: str, deployment_type: str | None) -> str | None:
    """The concrete message of ``message`` for a type, found as the recipes find it."""
    for name in message_names():
        schema = load_schema(name)
        if (
            schema.get("x-generated-from") == f"{message}.json"
            and schema.get("x-deployment-type") == deployment_type
        ):
            return name
    return None


def vector_cases():
    for path in sorted(VECTOR_DIR.glob("*.json")):
        if path.name == "vectors.schema.json":
            continue
        for group in json.loads(path.read_text(encoding="utf-8")):
            for test in group["tests"]:
                type_ = group.get("deployment_type") or test.get("http_deployment_type")
                concrete = test.get("concrete") or concrete_of(group["message"], type_)
                codes = {p["code"] for p in test.get("problems", [])}
                yield pytest.param(group["message"], concrete, codes, test, id=test["description"])


@pytest.mark.parametrize(("message", "concrete", "codes", "test"), list(vector_cases()))
def test_a_schema_finds_exactly_the_codes_said_to_be_found_by_one(message, concrete, codes, test):
    by = {code: error_catalogue()[code]["checked_by"] for code in codes}
    union_valid = validator_for(message).is_valid(test["data"])
    assert union_valid == ("schema" not in by.values()), by
    if concrete is not None:
        concrete_valid = validator_for(concrete).is_valid(test["data"])
        assert concrete_valid == (by.keys() <= checked_by("domain_rule")), (concrete, by)
