"""The error catalogue (schemas/error-codes.json) against the codes the code can emit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mockserver.errors import ApiError
from picsellia_contract import error_catalogue, retry_after_statuses, status_titles
from picsellia_contract.problems import FALLBACK_CODE, KEYWORD_CODES

ROOT = Path(__file__).resolve().parent.parent
# Every emission names its code as the first argument of Problem, ApiError or _unauthorized.
EMISSION = re.compile(r"\b(?:Problem|ApiError|_unauthorized)\(\s*\"([a-z0-9_]+)\"")


def emitted_codes() -> set[str]:
    codes = set(KEYWORD_CODES.values()) | {FALLBACK_CODE}
    for path in [
        *(ROOT / "mockserver").rglob("*.py"),
        *(ROOT / "picsellia_contract").rglob("*.py"),
    ]:
        codes |= set(EMISSION.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "schemas").glob("*.json"):
        codes |= set(re.findall(r'"x-error-code": "([a-z0-9_]+)"', path.read_text()))
    return codes


def test_code_emits_no_uncatalogued_code():
    assert emitted_codes() - set(error_catalogue()) == set()


def test_catalogue_lists_no_code_that_nothing_emits():
    assert set(error_catalogue()) - emitted_codes() == set()


def test_catalogue_matches_its_schema():
    document = json.loads((ROOT / "schemas" / "error-codes.json").read_text())
    schema = json.loads((ROOT / "schemas" / "meta" / "error-codes.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    codes = [entry["code"] for entry in document["codes"]]
    assert len(codes) == len(set(codes))


def test_every_catalogued_status_has_a_title():
    statuses = {entry["status"] for entry in error_catalogue().values()} - {None}
    assert statuses - set(status_titles()) == set()


@pytest.mark.parametrize("status", [400, 404, 415, 429, 503])
def test_an_error_answer_is_titled_from_the_catalogue(status):
    body = ApiError("injected_fault", "down", status=status).body()
    document = json.loads((ROOT / "schemas" / "error-codes.json").read_text())
    assert body["title"] == document["statuses"][str(status)]["title"]


def test_retry_after_statuses_come_from_the_catalogue():
    document = json.loads((ROOT / "schemas" / "error-codes.json").read_text())
    marked = {int(k) for k, v in document["statuses"].items() if v["retry_after"]}
    assert retry_after_statuses() == marked == {429, 503}
    retry = re.compile(r"\(\s*429\s*,\s*503\s*\)|\{\s*429\s*,\s*503\s*\}")
    restated = [
        str(path.relative_to(ROOT))
        for folder in ("mockserver", "checklive", "conformance", "mockdriver", "picsellia_contract")
        for path in (ROOT / folder).rglob("*.py")
        if retry.search(path.read_text(encoding="utf-8"))
    ]
    assert restated == []


def annotations(node, found):
    """Every (keyword, value) of an x- keyword anywhere in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("x-"):
                found.append((key, value))
            annotations(value, found)
    elif isinstance(node, list):
        for item in node:
            annotations(item, found)
    return found


def test_every_annotation_keyword_is_in_the_vocabulary_and_fits_it():
    vocabulary = json.loads((ROOT / "schemas" / "meta" / "vocabulary.json").read_text())
    keywords = vocabulary["keywords"]
    used = set()
    for path in sorted((ROOT / "schemas").glob("*.json")):
        for key, value in annotations(json.loads(path.read_text()), []):
            assert key in keywords, (path.name, key)
            assert list(Draft202012Validator(keywords[key]["schema"]).iter_errors(value)) == []
            used.add(key)
    assert {"x-checks", "x-geometry", "x-deployment-type", "x-generated-from"} <= used


def test_warnings_are_contract_codes():
    for code, entry in error_catalogue().items():
        if entry["severity"] == "warning":
            assert entry["source"] == "contract", code
