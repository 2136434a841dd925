"""The schema files and the registry that loads them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from picsellia_contract import load_schema, message_names, registry, validate, validator_for
from picsellia_contract.problems import MISSING, resolve
from picsellia_contract.registry import BASE_URI

SCHEMA_NAMES = message_names()


def test_every_message_of_the_issue_has_a_schema():
    expected = {
        "login-request",
        "login-response",
        "predict-form",
        "predict-v2-request",
        "predict-shadow-v2-request",
        "predict-response",
        "monitoring-prediction-request",
        "monitoring-prediction-response",
        "shadow-request",
        "deployment-info-response",
        "stats-response",
        "error",
        *(f"raw-predictions-{t}" for t in ("classification", "object-detection", "segmentation")),
        *(f"raw-predictions-{t}" for t in ("point", "keypoint", "line", "mask")),
    }
    assert expected <= set(SCHEMA_NAMES)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_well_formed_draft_2020_12(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{BASE_URI}{name}.json"
    assert schema["title"] and schema["description"] and schema["examples"]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_example_validates_without_problem(name):
    for example in load_schema(name)["examples"]:
        assert validate(name, example) == [], example


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_reference_resolves(name):
    validator = validator_for(name)
    resolver = registry().resolver(base_uri=validator.schema["$id"])

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                resolver.lookup(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema(name))


def test_schema_found_by_stem_file_name_and_id():
    by_stem = load_schema("login-request")
    assert load_schema("login-request.json") is by_stem
    assert load_schema(BASE_URI + "login-request.json") is by_stem


def test_unknown_schema_name_lists_the_known_ones():
    with pytest.raises(KeyError, match="login-request"):
        load_schema("logon-request")


def test_compiled_validators_are_cached():
    assert validator_for("login-request") is validator_for("login-request.json")


def test_json_files_use_one_formatting(schema_dir):
    for path in sorted(schema_dir.rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", path


@pytest.mark.parametrize("package", ["picsellia_contract", "reference_client"])
def test_the_contract_and_the_client_import_no_web_framework_nor_pillow(package):
    """A sender validates with the contract alone; a porter reads a client without a server."""
    import subprocess
    import sys

    code = (
        f"import sys, {package}\n"
        "import picsellia_contract.cli, picsellia_contract.routes, picsellia_contract.integers\n"
        "banned = ('flask', 'werkzeug', 'gunicorn', 'waitress', 'PIL', 'mockserver')\n"
        "found = sorted({m.split('.')[0] for m in sys.modules} & set(banned))\n"
        "print(found)\n"
        "sys.exit(1 if found else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lone_surrogate_is_validated_not_crashed_on():
    """jsonschema-rs cannot take a string that is not UTF-8; the Python validator does."""
    assert validate("login-request", {"api_token": "\ud800", "deployment_id": "x"}) == []
    problems = validate("login-request", {"api_token": "t", "deployment_id": "x", "\udfff": 1})
    assert [p.code for p in problems] == ["unknown_property"]


def test_one_json_pointer_resolver():
    """Every walk of a JSON Pointer goes through picsellia_contract.problems.resolve."""
    root = Path(__file__).resolve().parent.parent
    unescape = re.compile(r"""replace\(\s*["']~1["']\s*,\s*["']/["']\s*\)""")
    walkers = [
        str(path.relative_to(root))
        for folder in ("picsellia_contract", "mockserver", "mockdriver", "conformance", "checklive")
        for path in (root / folder).rglob("*.py")
        if unescape.search(path.read_text(encoding="utf-8"))
    ]
    assert walkers == ["picsellia_contract/problems.py"]


@pytest.mark.parametrize(
    "where, expected",
    [("", {"a/b": [1, {"~k": 2}]}), ("/a~1b/1/~0k", 2), ("/a~1b/2", MISSING), ("/x", MISSING)],
)
def test_the_resolver_follows_rfc_6901(where, expected):
    assert resolve({"a/b": [1, {"~k": 2}]}, where) == expected
