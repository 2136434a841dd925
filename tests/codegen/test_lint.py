"""Redocly and Spectral on both documents: no error, and every schema example valid.

The document as written is linted by its $id URL (tools/codegen/schema-ids.mjs maps the $id
prefix to schemas/, offline), so that Redocly resolves references in examples against the same
base as the $id inside each schema file, as every JSON Schema validator does.
"""

from __future__ import annotations

import json
import shutil

import pytest

from .helpers import BUNDLE, CODEGEN, SCHEMAS, run

pytestmark = pytest.mark.slow
WRITTEN = "https://picsellia-mock.invalid/schemas/openapi.json"
DOCUMENTS = {"bundled": str(BUNDLE), "written": WRITTEN}
PRELOAD = f"--import={CODEGEN / 'schema-ids.mjs'}"


def redocly(node_tools, document: str, **env: str) -> dict:
    """Redocly's report (its built-in recommended rules), as JSON."""
    args = [node_tools / "redocly", "lint", document, "--format=json"]
    output = run(args, cwd=CODEGEN, NODE_OPTIONS=PRELOAD, **env)
    return json.loads(output[output.index("{") :])


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_redocly_finds_no_error_and_no_invalid_example(node_tools, document):
    report = redocly(node_tools, document)
    assert report["totals"]["errors"] == 0, report["problems"]
    examples = [p for p in report["problems"] if p["ruleId"] == "no-invalid-schema-examples"]
    assert examples == []


def test_redocly_does_check_the_examples_of_the_written_document(node_tools, tmp_path):
    copy = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, copy, ignore=shutil.ignore_patterns("vectors"))
    schema = json.loads((copy / "login-request.json").read_text())
    schema["examples"][0]["api_token"] = 42
    (copy / "login-request.json").write_text(json.dumps(schema))
    report = redocly(node_tools, WRITTEN, PICSELLIA_SCHEMA_DIR=str(copy))
    rules = {p["ruleId"] for p in report["problems"]}
    assert "no-invalid-schema-examples" in rules, report["problems"]


@pytest.mark.parametrize("document", [BUNDLE, SCHEMAS / "openapi.json"], ids=DOCUMENTS.keys())
def test_spectral_oas_ruleset_finds_no_error(node_tools, document):
    args = [node_tools / "spectral", "lint", document, "--ruleset", CODEGEN / ".spectral.yaml"]
    output = run([*args, "--format=json", "--quiet"], cwd=CODEGEN)
    errors = [p for p in json.loads(output or "[]") if p["severity"] == 0]
    assert errors == []
