"""TypeScript from the bundle and the schemas compiles under tsc --strict, with 0 errors.

openapi-typescript's types (with a usage file that must accept real payloads and refuse wrong
ones), the fetch clients of @hey-api/openapi-ts (the ``hey_api`` fixture) and orval, and
quicktype's types from the JSON Schema files. (openapi-generator's typescript-fetch client:
test_openapi_generator.py.)
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from .helpers import BUNDLE, FIXTURES, compile_strict, message_files, run

pytestmark = pytest.mark.slow


def test_openapi_typescript_types_and_a_usage_file_compile(node_tools, generated):
    folder = generated / "openapi-typescript"
    folder.mkdir()
    run([node_tools / "openapi-typescript", BUNDLE, "--enum", "-o", folder / "schema.ts"])
    shutil.copy(FIXTURES / "openapi_typescript_usage.ts", folder / "usage.ts")
    compile_strict(node_tools, folder)
    # a free-form object (metadata) typed as an object with no keys would refuse every key;
    # only a schema that allows no key (DeploymentInfoInput: no input) may be one
    schemas = json.loads(BUNDLE.read_text())["components"]["schemas"]
    for name in re.findall(
        r"(\w+)\??:\s*Record<string, never>", (folder / "schema.ts").read_text()
    ):
        schema = schemas.get(name, {})
        assert schema.get("additionalProperties") is False and not schema.get("properties"), name


def test_hey_api_fetch_client_compiles(hey_api):
    # compiled under --strict by the fixture, with the predict program the gate runs
    assert (hey_api / "out" / "sdk.gen.js").exists() and (hey_api / "out" / "predict.js").exists()
    assert "formDataBodySerializer" in (hey_api / "sdk.gen.ts").read_text()


def test_orval_fetch_client_compiles_and_sends_the_image_as_a_blob(node_tools, generated):
    folder = generated / "orval"
    folder.mkdir()
    args = ["-i", BUNDLE, "-o", folder / "client.ts", "--client", "fetch", "--mode", "single"]
    run([node_tools / "orval", *args], cwd=folder)
    compile_strict(node_tools, folder)
    assert "media: Blob;" in (folder / "client.ts").read_text()


def test_quicktype_types_from_the_json_schemas_compile(node_tools, generated):
    folder = generated / "quicktype-typescript"
    folder.mkdir()
    args = ["--src-lang", "schema", "--lang", "typescript", "-o", folder / "contract.ts"]
    run([node_tools / "quicktype", *args, *message_files()])
    compile_strict(node_tools, folder)
    source = (folder / "contract.ts").read_text()
    assert "export interface MonitoringPredictionRequest" in source
